import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, createServer, request, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import { appendToRunLog } from '../helpers/log-capture.js';

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

export async function startBotProcess(name: string, env: Record<string, string>, timeoutMs = 60_000): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx/esm', '--disable-warning=DEP0111', 'bot/index.ts'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If the test process dies without its after hooks, the bot must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    appendToRunLog(chunk.toString('utf8'));
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms`)), timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      // Every line joins the run's secret scan (test/zz-log-secrets.test.ts), not only those of in-process bots.
      appendToRunLog(line);
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      lines.push(parsed);
      if (parsed.msg === 'bot listening') {
        clearTimeout(timer);
        resolve(String(parsed.url).replace(/\/api\/messages$/, ''));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening: ${stderr}`));
    });
  });
  return { name, url, lines, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
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
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent: upstreamAgent },
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
    close: () => new Promise<void>((resolve) => {
      upstreamAgent.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
