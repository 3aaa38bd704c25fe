// The production build the bench runs: the same compiler and tsconfig as `npm run build`, written to a private
// output folder inside the repository (node_modules and cards/ resolve from there as from dist/), so a bench never
// races another engineer's `npm run build` or `rimraf dist`. Incremental: a rebuild after small edits is quick.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/demo/stack.js';

export const BUILD_DIR = join(REPO_ROOT, '.data', 'bench-build');

export class BenchBuildError extends Error {
  readonly code = 'BENCH_BUILD';
}

/** Compiles bot/, bench/ (and what they import) to BUILD_DIR; returns the build time and the compiler's complaints. */
export function buildForBench(): { buildMs: number; diagnostics: string } {
  const started = performance.now();
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(
    process.execPath,
    [
      tsc,
      '-p',
      'tsconfig.build.json',
      '--outDir',
      BUILD_DIR,
      '--incremental',
      '--tsBuildInfoFile',
      join(BUILD_DIR, '.tsbuildinfo'),
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  // Type errors in someone else's half-edited file still emit JavaScript (as `npm run build` would): warn, go on.
  const diagnostics = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  for (const entry of ['bot/index.js', 'bench/echo-bot.js']) {
    if (!existsSync(join(BUILD_DIR, entry)))
      throw new BenchBuildError(`build produced no ${entry}:\n${diagnostics.slice(0, 2000)}`);
  }
  return { buildMs: performance.now() - started, diagnostics };
}
