// startGraphServer (contract): the local Microsoft Graph on 127.0.0.1, serving /v1.0 and /beta.
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { TenantStore } from '../seed/index.js';
import type { TrustOptions } from './auth.js';
import { GraphService, JSON_CONTENT_TYPE, type AuthContextRule } from './service.js';
import { handleBatch } from './batch.js';
import type { GraphThrottleSetting } from './throttle.js';
import type { LatencyOptions } from './latency.js';
import type { RequestLogEntry } from './request-log.js';
import { compiledRoutes } from './routes/index.js';
import { errorEnvelope, GraphError } from './errors.js';
import { applyFault, GraphFaults, type FaultRule } from './faults.js';

export interface GraphServerOptions {
  tenant: TenantStore;
  host?: string;
  port?: number;
  trust: TrustOptions;
  /** Off when absent or false; 'documented' = Microsoft's published limits; tests pass small buckets to provoke 429. */
  throttle?: GraphThrottleSetting | false;
  /** Endpoints protected by an authentication context (see STANDARD_AUTH_CONTEXT_RULES). */
  authContextRules?: readonly AuthContextRule[];
  /** Request bodies above this size get 413 (default 4 MiB, as Graph). */
  maxBodyBytes?: number;
  /**
   * Serve HTTPS with this key/certificate, as graph.microsoft.com does. Graph clients only attach bearer tokens
   * to https URLs (and only follow https nextLinks), so the bot needs this; plain HTTP stays for raw tests.
   */
  tls?: { key: string; cert: string };
  /** Injected faults (tests only; none by default). Changeable later through `GraphServer.faults`. */
  faults?: readonly FaultRule[];
  /** Seed of the generator behind probabilistic fault rules. */
  faultSeed?: number;
  /** Graph's latency, added to every answer (see latency.ts); none when absent. */
  latency?: LatencyOptions | null;
}

export interface GraphServer {
  url: string;
  v1: string;
  beta: string;
  requestLog: RequestLogEntry[];
  /** The fault rules in force; tests change them at runtime (there is deliberately no HTTP endpoint for this). */
  faults: GraphFaults;
  clearLog(): void;
  close(): Promise<void>;
}

/** Rules a deployment may opt into: user deletion and role activation need acrs c1. */
export const STANDARD_AUTH_CONTEXT_RULES: readonly AuthContextRule[] = [
  { method: 'DELETE', path: '/users/{id}', acrs: 'c1' },
  { method: 'POST', path: '/roleManagement/directory/roleAssignmentScheduleRequests', acrs: 'c1' },
];

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startGraphServer(opts: GraphServerOptions): Promise<GraphServer> {
  const service = new GraphService(
    {
      tenant: opts.tenant,
      trust: opts.trust,
      throttle: opts.throttle,
      authContextRules: opts.authContextRules,
      latency: opts.latency,
    },
    compiledRoutes,
  );
  service.batchHandler = (req, version, caller) => handleBatch(service, req, version, caller);
  const limit = opts.maxBodyBytes ?? 4 * 1024 * 1024;
  const faults = new GraphFaults(opts.faults ?? [], opts.faultSeed);
  const listener: RequestListener = (req, res) => {
    void (async () => {
      try {
        const raw = await readBody(req, limit);
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers))
          headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        if (raw === null) {
          const e = new GraphError(413, 'RequestBodyTooLarge', 'The request body exceeds the maximum allowed size.');
          const requestId = randomUUID();
          const clientRequestId = headers['client-request-id'] ?? requestId;
          send(
            res,
            413,
            { 'Content-Type': JSON_CONTENT_TYPE, 'request-id': requestId, 'client-request-id': clientRequestId },
            errorEnvelope(e, requestId, clientRequestId),
          );
          return;
        }
        const handle = () =>
          service.handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers, rawBody: raw });
        const fault = faults.pick(req.method ?? 'GET', req.url ?? '/');
        if (fault) {
          await applyFault(fault, { req, res, handle, send: (...args) => send(res, ...args), log: service.requestLog });
          return;
        }
        const out = await handle();
        send(res, out.status, out.headers, out.body);
      } catch {
        if (!res.headersSent)
          send(
            res,
            500,
            { 'Content-Type': JSON_CONTENT_TYPE },
            { error: { code: 'UnknownError', message: 'An internal server error occurred.' } },
          );
      }
    })();
  };
  const server = opts.tls
    ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, listener)
    : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // With TLS, use the certificate's name (localhost) so clients verify the host as they would graph.microsoft.com.
  const url = opts.tls ? `https://localhost:${port}` : `http://${opts.host ?? '127.0.0.1'}:${port}`;
  service.baseUrl = url;
  return {
    url,
    v1: `${url}/v1.0`,
    beta: `${url}/beta`,
    requestLog: service.requestLog,
    faults,
    clearLog: () => {
      service.requestLog.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
