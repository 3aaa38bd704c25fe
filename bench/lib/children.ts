// The bench's child processes (the real bot and the echo baseline, both from the production build), supervised like
// the demo's: loopback-only preload, output to a log file, stopped by pid. Also reads a child's memory from
// /proc (Linux).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SupervisedChild } from '../../scripts/demo/child-process.js';
import { REPO_ROOT } from '../../scripts/demo/stack.js';

const PRELOAD = pathToFileURL(join(REPO_ROOT, 'scripts/demo/loopback-only.mjs')).href;
const MEMORY_PROBE = pathToFileURL(join(REPO_ROOT, 'bench/lib/memory-probe.mjs')).href;

export interface StartedChild {
  child: SupervisedChild;
  url: string;
  coldStartMs: number;
  memoryFile: string;
}

export interface MemoryBreakdown {
  rssMb: number;
  heapTotalMb: number;
  heapUsedMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  heapSpacesMb: Record<string, number>;
}

/** Asks the child (through the bench's memory probe) for its memory after a full GC. */
export async function memoryBreakdown(started: StartedChild): Promise<MemoryBreakdown | undefined> {
  const { pid } = started.child;
  if (pid === undefined) return undefined;
  rmSync(started.memoryFile, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      return JSON.parse(readFileSync(started.memoryFile, 'utf8')) as MemoryBreakdown;
    } catch {
      /* not written yet */
    }
  }
  return undefined;
}

/**
 * Spawns `entry` (a compiled .js file, plain node; `{ tsx }`: a .ts file through tsx, for comparison) and waits for its
 * JSON "listening" line and a 200 from /readyz.
 */
export async function startChild(
  name: string,
  entry: string | { tsx: string },
  env: Record<string, string>,
  logsDir: string,
  listening: RegExp,
  nodeArgs: string[] = [],
  timeoutMs = 90_000,
): Promise<StartedChild> {
  const started = performance.now();
  const child = new SupervisedChild({
    name,
    command: process.execPath,
    args: [
      '--disable-warning=DEP0111',
      ...nodeArgs,
      ...(typeof entry === 'string' ? [entry] : ['--import', 'tsx/esm', join(REPO_ROOT, entry.tsx)]),
    ],
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: `--import=${PRELOAD} --import=${MEMORY_PROBE} --expose-gc`,
      NODE_NO_WARNINGS: '1',
      NODE_ENV: 'production',
      BENCH_MEMORY_FILE: join(logsDir, `${name}.memory.json`),
      ...env,
    },
    logFile: join(logsDir, `${name}.log`),
  });
  try {
    const line = await child.waitForLine(listening, timeoutMs);
    const url = new URL((JSON.parse(line.input ?? '{}') as { url: string }).url).origin;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ok = await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (!child.running || Date.now() > deadline) throw child.failure('not ready in time');
      await new Promise((r) => setTimeout(r, 50));
    }
    return { child, url, coldStartMs: performance.now() - started, memoryFile: join(logsDir, `${name}.memory.json`) };
  } catch (err) {
    await child.stop();
    throw err;
  }
}

/** Current and peak resident set size of a process, in MB (VmRSS / VmHWM). */
export function memoryMb(pid: number | undefined): { rssMb: number; peakRssMb: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: Math.round(kb('VmRSS') / 102.4) / 10, peakRssMb: Math.round(kb('VmHWM') / 102.4) / 10 };
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system) a process has used so far, in ms (/proc/<pid>/stat; robust to other load on the machine).
 */
export function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th, in clock ticks (100/s).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
