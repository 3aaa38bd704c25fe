import type { IncomingMessage, ServerResponse } from 'node:http';
import type restify from 'restify';
import { z } from 'zod';
import { clientIp } from '../limits/client-ip.js';
import type { Logger } from '../log.js';

/**
 * How long a client may take to send a request, and how many slow ones it may hold. A Teams activity (a few KB)
 * arrives in well under a second and a browser's sign-in redirect likewise; a client slower than this is broken or
 * hostile, and without these bounds Node's defaults let one hold a connection for 5 minutes (requestTimeout 300 s).
 */
const seconds = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const connectionSettingsShape = {
  /** All request headers must have arrived this long after the connection (or the previous request) started. */
  HTTP_HEADERS_TIMEOUT_SECONDS: seconds(1, 60, 5),
  /** The whole request (headers and body) must have arrived within this; then 408 and the connection is closed. */
  HTTP_REQUEST_TIMEOUT_SECONDS: seconds(1, 120, 10),
  /** An idle keep-alive connection is closed after this (the channel reconnects cheaply). */
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: seconds(1, 120, 5),
  /** Requests served on one keep-alive connection before it is closed. */
  HTTP_MAX_REQUESTS_PER_SOCKET: z.coerce.number().int().min(1).max(100_000).default(1000),
  /**
   * Requests to /api/messages and /auth/* whose body is still arriving, per client address; more get 503 before
   * their body is read. Only unfinished uploads count, so a busy channel with many turns in flight is not limited.
   */
  HTTP_UNFINISHED_REQUESTS_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(16),
};

export interface ConnectionSettings {
  HTTP_HEADERS_TIMEOUT_SECONDS: number;
  HTTP_REQUEST_TIMEOUT_SECONDS: number;
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: number;
  HTTP_MAX_REQUESTS_PER_SOCKET: number;
  HTTP_UNFINISHED_REQUESTS_PER_ADDRESS: number;
  TRUSTED_PROXY_HOPS: number;
}

/** Node checks both timeouts on this interval (default 30 s, which would let a slow client run 30 s over). */
const TIMEOUT_CHECK_MS = 1000;

const LIMITED_ROUTES = /^\/(api\/messages|auth\/)/;

/** Sets the server's timeouts and keep-alive bounds; call before `listen` (the check interval is read then). */
export function applyConnectionLimits(server: restify.Server, settings: ConnectionSettings, log: Logger): void {
  const http = server.server as typeof server.server & { connectionsCheckingInterval: number };
  http.headersTimeout = Math.min(settings.HTTP_HEADERS_TIMEOUT_SECONDS, settings.HTTP_REQUEST_TIMEOUT_SECONDS) * 1000;
  http.requestTimeout = settings.HTTP_REQUEST_TIMEOUT_SECONDS * 1000;
  http.keepAliveTimeout = settings.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000;
  http.maxRequestsPerSocket = settings.HTTP_MAX_REQUESTS_PER_SOCKET;
  http.connectionsCheckingInterval = TIMEOUT_CHECK_MS;

  const unfinished = new Map<string, number>();
  server.pre((req, res, next) => {
    const raw = req as unknown as IncomingMessage;
    if (raw.complete || !LIMITED_ROUTES.test(req.path())) return next();
    const address = clientIp(raw, settings.TRUSTED_PROXY_HOPS);
    const count = unfinished.get(address) ?? 0;
    if (count >= settings.HTTP_UNFINISHED_REQUESTS_PER_ADDRESS) {
      log.warn({ address, unfinished: count }, 'too many unfinished requests from one address');
      refuse(res as unknown as ServerResponse);
      return next(false);
    }
    unfinished.set(address, count + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (unfinished.get(address) ?? 1) - 1;
      if (left > 0) unfinished.set(address, left);
      else unfinished.delete(address);
    };
    raw.once('end', release);
    res.once('close', release);
    return next();
  });
}

/** 503 without reading the body; the connection is closed so the unread body cannot be used to hold it. */
function refuse(res: ServerResponse): void {
  res.shouldKeepAlive = false;
  res.writeHead(503, { 'content-type': 'application/json', connection: 'close', 'retry-after': '5' });
  res.end(JSON.stringify({ error: { code: 'TooManyConnections', message: 'Too many unfinished requests.' } }));
}
