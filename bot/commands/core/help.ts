import { z } from 'zod';
import { UnknownCommandError } from '../../errors.js';
import { closestNames } from '../suggest.js';
import { TIER_PRESENTATION } from '../tiers.js';
import { defineCommand, type AnyCommand, type CommandOutput } from '../types.js';

const AREA_TITLES: Record<string, string> = {
  core: 'General',
  users: 'Users',
  mfa: 'Authentication and MFA',
  roles: 'Roles and PIM',
  licenses: 'Licences',
  groups: 'Groups',
  teams: 'Teams',
  voice: 'Teams policies and phone numbers',
  tenant: 'Tenant and service health',
  approvals: 'Approvals and audit',
  schedules: 'Scheduled reports',
};

function overview(commands: readonly AnyCommand[]): CommandOutput {
  const areas = new Map<string, AnyCommand[]>();
  for (const command of commands) areas.set(command.area, [...(areas.get(command.area) ?? []), command]);
  const ordered = [...areas.entries()].sort(([a], [b]) => (a === 'core' ? -1 : b === 'core' ? 1 : a.localeCompare(b)));
  return {
    card: 'help',
    data: {
      areas: ordered.map(([area, list]) => ({
        title: AREA_TITLES[area] ?? area,
        commands: [...list]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((c) => ({
            name: c.name,
            summary: c.summary,
            tierLabel: TIER_PRESENTATION[c.tier].label,
            tierColor: TIER_PRESENTATION[c.tier].color,
          })),
      })),
    },
    text: `Commands: ${commands.map((c) => c.name).join(', ')}. Type "help <command>" for details.`,
  };
}

function detail(command: AnyCommand): CommandOutput {
  const tier = TIER_PRESENTATION[command.tier];
  return {
    card: 'help-command',
    data: {
      name: command.name,
      summary: command.summary,
      usage: command.usage,
      examples: command.examples,
      area: AREA_TITLES[command.area] ?? command.area,
      tierLabel: tier.label,
      tierMeaning: tier.meaning,
      aliases: command.aliases?.join(', ') || 'none',
      scopes: command.scopes.join(', ') || 'none',
    },
    text: `${command.name}: ${command.summary} Usage: ${command.usage}`,
  };
}

export default defineCommand({
  name: 'help',
  aliases: ['commands'],
  area: 'core',
  summary: 'Lists the commands (all, or those of an area), or explains one.',
  usage: 'help [<command> | <area>]',
  examples: ['help', 'help user search', 'help users'],
  args: { positional: ['command...'], schema: z.object({ command: z.string().optional() }).strict() },
  tier: 'read',
  scopes: [],
  requiresSignIn: false,
  card: 'help',
  async run(ctx, args) {
    const registry = ctx.services.registry;
    if (!args.command) return overview(registry.all());
    const command = registry.find(args.command);
    if (command) return detail(command);
    // An area's commands (`help users`), for the areas no command is named after.
    const area = registry.all().filter((c) => c.area === args.command!.trim().toLowerCase());
    if (area.length > 0) return overview(area);
    const names = registry.all().flatMap((c) => [c.name, ...(c.aliases ?? [])]);
    throw new UnknownCommandError(args.command, closestNames(args.command.split(' '), names));
  },
});
