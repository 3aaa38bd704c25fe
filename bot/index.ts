import 'dotenv/config';
import { startBot } from './compose.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';

/** Process entry: validated config → store → command registry → teams-ai app → HTTP, with graceful shutdown. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger({ level: config.LOG_LEVEL });
  const server = await startBot(config, log);
  if (!config.MICROSOFT_APP_ID) {
    log.warn(
      { host: config.HOST },
      'no MICROSOFT_APP_ID: inbound requests are NOT authenticated, so the bot listens on loopback only (local ' +
        'use with the Agents Playground)',
    );
  }
  log.info(
    { url: `${server.url}/api/messages`, commands: server.registry.all().length, store: server.store.backend },
    'bot listening',
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err: String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Bot failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
