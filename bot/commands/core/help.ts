import { z } from 'zod';
import { UnknownCommandError } from '../../errors.js';
import { closestNames } from '../suggest.js';
import { defineCommand } from '../types.js';
import { areaOutput, commandOutput, findArea, helpTopics, overviewOutput } from './_help.js';

export default defineCommand({
  name: 'help',
  aliases: ['commands'],
  summary: 'Lists the areas of commands, the commands of one area, or explains one command.',
  usage: 'help [<area> | <command>] [--command]',
  examples: ['help', 'help users', 'help user search', 'help teams --command'],
  args: {
    positional: ['topic...'],
    schema: z
      .object({
        topic: z.string().max(200).optional(),
        // A few names are both an area and a command (teams, roles, licenses…): the area wins unless this is set.
        command: z.boolean().default(false),
      })
      .strict(),
  },
  tier: 'read',
  scopes: [],
  public: true,
  async run(ctx, args) {
    const commands = ctx.services.registry.all();
    if (!args.topic) return overviewOutput(commands);
    const area = args.command ? undefined : findArea(commands, args.topic);
    if (area) return areaOutput(area, commands);
    const command = ctx.services.registry.find(args.topic);
    if (command) return commandOutput(command, commands);
    throw new UnknownCommandError(args.topic, closestNames(args.topic.split(' '), helpTopics(commands)));
  },
});
