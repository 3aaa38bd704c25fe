import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { appendToRunLog } from './log-capture.js';

/**
 * A bot process started as production starts it (`bot/index.ts`, environment only) that a test may kill with
 * SIGKILL. Log lines stay in memory (they may name users) and are never printed.
 */
export interface KillableBot {
  readonly url: string;
  readonly lines: Record<string, unknown>[];
  /** SIGKILL: no shutdown hook, no drain, no store close — a crash. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** Graceful SIGTERM (after hooks). */
  stop(): Promise<void>;
}

/** How a process that was expected to fail at start ended. */
export interface EarlyExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Whether it ever said "bot listening". */
  listened: boolean;
}

function spawnBot(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx/esm', '--disable-warning=DEP0111', 'bot/index.ts'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If the test process dies without its after hooks, the bot must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  return child;
}

const gone = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function waitExit(child: ChildProcess): Promise<void> {
  return gone(child) ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startKillableBot(env: Record<string, string>, timeoutMs = 90_000): Promise<KillableBot> {
  const child = spawnBot(env);
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    appendToRunLog(chunk.toString('utf8'));
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the bot did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      appendToRunLog(line);
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        lines.push(parsed);
        if (parsed.msg === 'bot listening') {
          clearTimeout(timer);
          resolve(String(parsed.url).replace(/\/api\/messages$/, ''));
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bot exited with ${code} before listening: ${stderr}`));
    });
  });
  return {
    url,
    lines,
    async kill() {
      if (gone(child)) return;
      const exited = waitExit(child);
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (gone(child)) return;
      const exited = waitExit(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts a bot that should refuse to start; returns how it ended (killed after `timeoutMs` if it did not). */
export async function startExpectingExit(env: Record<string, string>, timeoutMs = 90_000): Promise<EarlyExit> {
  const child = spawnBot(env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await closed;
  clearTimeout(timer);
  // The secret scan at the end of the run reads these too.
  if (stdout) appendToRunLog(stdout);
  if (stderr) appendToRunLog(stderr);
  return {
    code: child.exitCode,
    signal: child.signalCode,
    stdout,
    stderr,
    listened: stdout.includes('"bot listening"'),
  };
}
