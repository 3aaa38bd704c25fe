import { CommandRegistry } from '../../bot/commands/registry.js';
import type { AnyCommand } from '../../bot/commands/types.js';

// Discovered once per test process, the way the bot does it: each command's area comes from its folder.
const discovered = await CommandRegistry.discover();

/** Catalog commands by canonical name, for tests that run the bot with a few of them (plus probes). */
export function catalog(...names: string[]): AnyCommand[] {
  return names.map((name) => {
    const command = discovered.find(name);
    if (!command || command.name !== name) throw new Error(`catalog: no command named "${name}"`);
    return command;
  });
}
