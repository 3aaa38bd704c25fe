import { request as httpsRequest, createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A TLS-terminating pass-through in front of the Graph stand-in (same certificate, so the bot trusts it as it
 * trusts Graph). Requests matching `hold` are forwarded at once — Graph applies them — but their answer is kept
 * back until `release()`: the bot is left waiting on a write that already happened, which is where a crash leaves
 * the outcome truly unknown.
 */
export interface GraphHold {
  readonly url: string;
  /** Resolves once a request whose path contains `fragment` has been applied by Graph and its answer is held. */
  whenHeld(fragment: string, timeoutMs?: number): Promise<void>;
  /** Paths of the requests whose answers are held now. */
  readonly holding: string[];
  release(): void;
  close(): Promise<void>;
}

export async function startGraphHold(
  graphUrl: string,
  tls: { key: string; cert: string; ca: string },
  hold: (method: string, path: string) => boolean,
): Promise<GraphHold> {
  const target = new URL(graphUrl);
  let released = false;
  const waiting: Array<() => void> = [];
  const holding: string[] = [];
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';

    const upstream = httpsRequest(
      {
        host: target.hostname,
        port: target.port,
        method,
        path,
        headers: { ...req.headers, host: target.host },
        ca: tls.ca,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const deliver = () => {
            if (res.destroyed) return;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(chunks));
          };
          if (!released && hold(method, path)) {
            waiting.push(deliver);
            holding.push(`${method} ${path}`);
          } else deliver();
        });
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://127.0.0.1:${port}`,
    holding,
    async whenHeld(fragment: string, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!holding.some((h) => h.includes(fragment))) {
        if (Date.now() > deadline) throw new Error(`no request to ${fragment} reached Graph within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    release() {
      released = true;
      holding.splice(0);
      for (const deliver of waiting.splice(0)) deliver();
    },
    close: () =>
      new Promise<void>((resolve) => {
        released = true;
        waiting.splice(0);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
