import { Agent, createServer, request, type Server } from 'node:http';
import { startKillableBot } from '../helpers/bot-process.js';

/**
 * One bot process, started the way production starts it (`bot/index.ts`, configured by environment variables
 * only), on an ephemeral loopback port. Its log lines stay in memory (they are JSON; the test may read them) and
 * are never printed: they name users.
 */
export interface BotProcess {
  readonly name: string;
  readonly url: string;
  readonly lines: Record<string, unknown>[];
  stop(): Promise<void>;
}

export async function startBotProcess(
  name: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<BotProcess> {
  const bot = await startKillableBot(env, timeoutMs);
  return { name, url: bot.url, lines: bot.lines, stop: () => bot.stop() };
}

/**
 * The load balancer in front of the instances: each request goes to the next instance in turn (round robin), as
 * Azure App Service's front end may do without session affinity. Counts what each instance was sent.
 */
export interface RoundRobinProxy {
  readonly url: string;
  readonly sent: Map<string, number>;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(targets: string[]): Promise<RoundRobinProxy> {
  let next = 0;
  const sent = new Map<string, number>(targets.map((t) => [t, 0]));
  // Like a real load balancer: a bounded connection pool to each instance (requests queue, none are refused).
  const upstreamAgent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server: Server = createServer((req, res) => {
    const target = new URL(targets[next++ % targets.length]);
    sent.set(target.origin, (sent.get(target.origin) ?? 0) + 1);
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent: upstreamAgent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  // A burst of 1,000 connects exceeds the default listen backlog (511): give the proxy room, as load balancers have.
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        upstreamAgent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
