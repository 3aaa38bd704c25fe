import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnyCommand, Command, CommandDescriptor, CommandRegistryView } from './types.js';
import type { z } from 'zod';

const COMMANDS_DIR = fileURLToPath(new URL('.', import.meta.url));
const TIERS = new Set(['read', 'write', 'dangerous']);
const NAME_PATTERN = /^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)*$/;

/**
 * Every command, discovered from `bot/commands/<area>/<verb>.(ts|js)`: adding a command is adding a file, never
 * editing a switch. Files starting with `_` are helpers of their area, not commands; `_lib/` holds helpers
 * shared by all areas.
 */
export class CommandRegistry implements CommandRegistryView {
  private readonly byName = new Map<string, AnyCommand>();
  private readonly ordered: AnyCommand[] = [];

  constructor(commands: AnyCommand[]) {
    for (const command of commands) this.add(command);
  }

  static async discover(dir = COMMANDS_DIR): Promise<CommandRegistry> {
    const files = readdirSync(dir)
      .filter((entry) => !entry.startsWith('_') && statSync(join(dir, entry)).isDirectory())
      .flatMap((area) =>
        readdirSync(join(dir, area))
          .filter((file) => /^[^_.].*\.(ts|js)$/.test(file) && !/\.(d|test|spec)\.(ts|js)$/.test(file))
          .map((file) => join(dir, area, file)),
      )
      .sort();
    const commands: AnyCommand[] = [];
    for (const file of files) {
      const module = (await import(pathToFileURL(file).href)) as { default?: CommandDescriptor };
      if (!module.default) throw new Error(`${file} has no default export; every command file exports its descriptor`);
      commands.push(inArea(basename(dirname(file)), module.default));
    }
    return new CommandRegistry(commands);
  }

  all(): readonly AnyCommand[] {
    return this.ordered;
  }

  find(name: string): AnyCommand | undefined {
    return this.byName.get(name.toLowerCase().trim().replace(/\s+/g, ' '));
  }

  /** Canonical names and aliases: what a typed command is matched and suggested against. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** The longest command name (up to three words) that the typed words start with. */
  match(words: string[]): { command: AnyCommand; consumed: number } | undefined {
    for (let count = Math.min(3, words.length); count > 0; count--) {
      const command = this.find(words.slice(0, count).join(' '));
      if (command) return { command, consumed: count };
    }
    return undefined;
  }

  private add(command: AnyCommand): void {
    const problems = validateDescriptor(command);
    if (problems.length > 0) throw new Error(`Command "${command.name}": ${problems.join('; ')}`);
    for (const name of [command.name, ...(command.aliases ?? [])]) {
      if (this.byName.has(name)) throw new Error(`Command name "${name}" is declared twice`);
      this.byName.set(name, command);
    }
    this.ordered.push(command);
  }
}

/** A descriptor placed in its area: the folder it lives in, for discovered commands. */
export function inArea<S extends z.ZodTypeAny>(area: string, descriptor: CommandDescriptor<S>): Command<S> {
  return { ...descriptor, area };
}

function validateDescriptor(command: AnyCommand): string[] {
  const problems: string[] = [];
  for (const name of [command.name, ...(command.aliases ?? [])]) {
    if (!NAME_PATTERN.test(name)) problems.push(`name "${name}" must be lowercase words separated by single spaces`);
  }
  if (!TIERS.has(command.tier)) problems.push(`tier must be read, write or dangerous`);
  if (!command.summary) problems.push('summary is empty');
  if (!command.usage.startsWith(command.name)) problems.push('usage must start with the command name');
  if (command.examples.length === 0) problems.push('needs at least one example');
  if (command.tier !== 'read' && command.public) problems.push('a command that changes the tenant needs sign-in');
  if (command.args.positional.slice(0, -1).some((p) => p.endsWith('...')))
    problems.push('only the last positional may take the rest');
  if (command.schedulable && command.tier !== 'read')
    problems.push('only read commands can be scheduled (they run as an app without MFA)');
  return problems;
}
