// One supervised child of `npm start` (devtenant, bot, Agents Playground): output goes to a log file, readiness is
// a line on stdout, and stopping is by pid (SIGTERM, then SIGKILL after a grace period) so Ctrl-C leaves nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class ChildStartError extends Error {
  readonly code = 'CHILD_START';
  constructor(
    readonly child: string,
    message: string,
    readonly logTail: string,
  ) {
    super(`${child}: ${message}`);
    this.name = 'ChildStartError';
  }
}

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
}

export class SupervisedChild {
  private readonly process: ChildProcess;
  private readonly lines: string[] = [];
  private readonly waiters = new Set<() => void>();
  private exitCode: number | null | undefined;
  readonly exited: Promise<void>;

  constructor(readonly spec: ChildSpec) {
    mkdirSync(dirname(spec.logFile), { recursive: true });
    const log = createWriteStream(spec.logFile, { flags: 'w' });
    this.process = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    this.process.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      pending += chunk.toString('utf8');
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      // Bounded: readiness lines come first; a chatty child must not grow this forever.
      for (const line of parts) if (this.lines.length < 500) this.lines.push(line);
      this.notify();
    });
    this.process.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code) => {
        this.exitCode = code;
        this.notify();
        log.end(() => resolve());
      });
      this.process.once('error', (err) => {
        log.write(`spawn failed: ${err.message}\n`);
        this.exitCode = -1;
        this.notify();
        log.end(() => resolve());
      });
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** The first stdout line matching `pattern`, waiting up to `timeoutMs`; fails early if the child exits. */
  async waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const line of this.lines) {
        const match = line.match(pattern);
        if (match) return match;
      }
      if (!this.running) throw this.failure(`exited (code ${this.exitCode}) before printing ${pattern}`);
      const left = deadline - Date.now();
      if (left <= 0) throw this.failure(`did not print ${pattern} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(() => done());
      });
    }
  }

  failure(message: string): ChildStartError {
    return new ChildStartError(this.spec.name, message, this.logTail());
  }

  logTail(lines = 20): string {
    try {
      return readFileSync(this.spec.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** SIGTERM by pid, SIGKILL after `graceMs`; resolves once the process has exited. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running || this.process.pid === undefined) return this.exited;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (this.running) this.process.kill('SIGKILL');
    }, graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }
}
