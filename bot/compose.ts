import { createBotApp, type BotApp } from './app.js';
import { noIdentityGate, type CommandGate } from './commands/gate.js';
import { CommandRegistry } from './commands/registry.js';
import type { BotConfig } from './config.js';
import type { Logger } from './log.js';
import { startServer, type RunningServer } from './server.js';
import { openSqliteStore, type BotStore } from './store/database.js';

export interface RunningBot extends RunningServer {
  bot: BotApp;
  store: BotStore;
  registry: CommandRegistry;
}

/**
 * Wires one bot instance: store → command registry → gate → teams-ai app → HTTP server. The entry point and the
 * HTTP tests both start the bot through here, so tests exercise the same composition that production runs.
 */
export async function startBot(config: BotConfig, log: Logger, options: { gate?: CommandGate } = {}): Promise<RunningBot> {
  const store = await openSqliteStore(config.DATA_DIR);
  try {
    const registry = await CommandRegistry.discover();
    const bot = createBotApp({ config, store, log, registry, gate: options.gate ?? noIdentityGate, services: { registry } });
    const server = await startServer({ config, bot, store, log });
    return { ...server, bot, store, registry };
  } catch (err) {
    await store.close();
    throw err;
  }
}
