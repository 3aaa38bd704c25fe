// Bench-only preload (NODE_OPTIONS=--import, never part of the bot): on SIGUSR2 the process writes its memory
// breakdown to BENCH_MEMORY_FILE, after a full GC when --expose-gc is on, so RSS can be split into JS heap, external
// (Buffers, native) and the rest (code, native libraries, allocator slack) without a heap snapshot.
import { writeFileSync } from 'node:fs';
import v8 from 'node:v8';

const file = process.env.BENCH_MEMORY_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    globalThis.gc?.();
    const mb = (n) => Math.round(n / 104857.6) / 10;
    const usage = process.memoryUsage();
    const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, mb(s.space_used_size)]));
    writeFileSync(
      file,
      JSON.stringify({
        rssMb: mb(usage.rss),
        heapTotalMb: mb(usage.heapTotal),
        heapUsedMb: mb(usage.heapUsed),
        externalMb: mb(usage.external),
        arrayBuffersMb: mb(usage.arrayBuffers),
        heapSpacesMb: spaces,
      }),
    );
  });
}
