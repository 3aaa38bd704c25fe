import restify from 'restify';
import type { BotApp } from './teams/app.js';
import type { BotConfig } from './config.js';
import type { Logger } from './log.js';
import type { BotStore } from './store/database.js';
import { applyConnectionLimits } from './net/connection-limits.js';

export interface RunningServer {
  url: string;
  /** Stops accepting, lets in-flight turns finish (bounded by SHUTDOWN_TIMEOUT_MS), then closes the store. */
  close(): Promise<void>;
}

function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/**
 * The HTTP face of the bot: `/api/messages` for the channel, `/healthz` (process alive) and `/readyz` (store
 * reachable). Oversize bodies are refused before they are read, malformed JSON is a 400, and nothing the client
 * sends can crash the process.
 */
export interface ServerDeps {
  config: BotConfig;
  bot: BotApp;
  store: BotStore;
  log: Logger;
  /** Extra routes (the identity module's `/auth/start` and `/auth/callback`), added before listening. */
  routes?: (server: restify.Server) => void;
}

export async function startServer(deps: ServerDeps): Promise<RunningServer> {
  const { config, bot, store, log } = deps;
  const server = restify.createServer({ name: 'teams-admin-bot', handleUncaughtExceptions: false });
  // Timeouts, keep-alive bounds and the per-address cap on unfinished uploads come before any body is read.
  applyConnectionLimits(server, config, log);
  let inFlight = 0;
  let draining = false;

  server.pre((req, res, next) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > config.MAX_BODY_BYTES) {
      res.send(413, errorBody('PayloadTooLarge', `Request bodies are limited to ${config.MAX_BODY_BYTES} bytes.`));
      return next(false);
    }
    return next();
  });
  server.use(restify.plugins.bodyParser({ maxBodySize: config.MAX_BODY_BYTES, mapParams: false, mapFiles: false }));

  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'alive' });
    return next();
  });

  server.get('/readyz', async (_req, res) => {
    try {
      if (draining) throw new Error('shutting down');
      await store.ping();
      res.send(200, { status: 'ready', store: store.backend });
    } catch {
      res.send(503, { status: 'unavailable', store: store.backend });
    }
  });

  server.post('/api/messages', async (req, res) => {
    if (draining) {
      res.send(503, errorBody('ShuttingDown', 'The bot is restarting; retry shortly.'));
      return;
    }
    if (!req.is('application/json')) {
      res.send(415, errorBody('UnsupportedMediaType', 'Activities must be sent as application/json.'));
      return;
    }
    if (
      typeof req.body !== 'object' ||
      req.body === null ||
      typeof (req.body as { type?: unknown }).type !== 'string'
    ) {
      res.send(400, errorBody('BadRequest', 'The body must be a Bot Framework activity with a "type".'));
      return;
    }
    inFlight++;
    try {
      await bot.handle(req, res);
    } catch (err) {
      log.error(
        { err: err instanceof Error ? { type: err.name, message: err.message } : String(err) },
        'activity processing failed',
      );
      if (!res.headersSent) res.send(500, errorBody('InternalError', 'The activity could not be processed.'));
    } finally {
      inFlight--;
    }
  });

  deps.routes?.(server);

  server.on('restifyError', (req, res, err, callback) => {
    // Keep restify's status (400 bad JSON, 413 too large, 404, 405…) but answer in our shape, without internals.
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    const code = (err as { restCode?: string }).restCode ?? 'Error';
    err.toJSON = () => errorBody(code, status >= 500 ? 'Internal error.' : err.message);
    return callback();
  });

  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, () => resolve()));
  const address = server.address() as { address: string; port: number };
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  return {
    url,
    async close() {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive sockets would otherwise hold close() open until they time out.
      server.server.closeIdleConnections();
      const deadline = Date.now() + config.SHUTDOWN_TIMEOUT_MS;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      if (inFlight > 0) log.warn({ inFlight }, 'shutdown timeout: turns still running');
      server.server.closeIdleConnections();
      await closed;
      await store.close();
    },
  };
}
