// `npx tsx bench/bulk-engine.ts [--users 20000]`: the bulk job engine in-process (not yet `npm run bench -- --bulk`,
// which runs the bot as a child process): a `bulk policy grant` over ~N users of the `large` devtenant, resolved
// with a department filter, run to the end. Reports wall time, users/s, Graph requests, and the floor the job's own
// budget allows (requests ÷ (BULK_BUDGET_PER_10S / 10 × BULK_BUDGET_SHARE)), and RSS growth during the job.
import { DEMO } from '../test/helpers/devtenant.js';
import { finished, jobIdOf, startBulkHarness } from '../test/jobs/_fixture.js';
import { DEFAULT_RUNNER_SETTINGS } from '../bot/jobs/runner.js';
import { departmentFilter } from './lib/bulk-target.js';

const at = process.argv.indexOf('--users');
const wanted = at === -1 ? 20_000 : Number(process.argv[at + 1]);
const cAt = process.argv.indexOf('--concurrency');
const maxConcurrency = cAt === -1 ? DEFAULT_RUNNER_SETTINGS.maxConcurrency : Number(process.argv[cAt + 1]);
const h = await startBulkHarness({
  devtenant: { size: 'large' },
  approvalThreshold: 1_000_000,
  // Product cadence for cards; the job's pace is the default budget share.
  runner: { heartbeatMs: 2_000, progressMinMs: 5_000, progressMaxMs: 15_000, leaseMs: 60_000, maxConcurrency },
});
h.harness.signIn(DEMO.teamsAdmin);
const { filter } = departmentFilter(h.harness.dev.tenant.liveUsers(), wanted);
const rssIdle = process.memoryUsage().rss;
let t = Date.now();
const preview = await h.harness.ask(`bulk policy grant TeamsMeetingPolicy "AllOff" --filter "${filter}"`);
const previewMs = Date.now() - t;
const id = jobIdOf(preview.text);
const job = (await h.repo.get(id))!;
h.harness.dev.graph.clearLog();
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 500);
t = Date.now();
await h.harness.ask(`bulk run ${id}`);
const done = await finished(h.repo, id, 30 * 60_000);
const wallMs = Date.now() - t;
clearInterval(sampler);
const counts = await h.repo.counts(id);
const requests = h.harness.dev.graph.requestLog.filter((e) => e.viaBatch || !e.url.includes('$batch')).length;
const { budgetPer10s, share } = DEFAULT_RUNNER_SETTINGS;
const allowedPerSecond = (budgetPer10s / 10) * share;
const floorMs = (requests / allowedPerSecond) * 1000;
console.log(
  JSON.stringify(
    {
      users: job.total,
      maxConcurrency,
      status: done.status,
      counts,
      previewSeconds: previewMs / 1000,
      wallSeconds: wallMs / 1000,
      usersPerSecond: Math.round((job.total / wallMs) * 1000),
      graphRequests: requests,
      budget: `${budgetPer10s}/10 s × ${share} = ${allowedPerSecond}/s`,
      floorSeconds: Math.round(floorMs / 100) / 10,
      throughputVsFloor: Math.round((floorMs / wallMs) * 100) / 100,
      powershellAt2_2sPerUserMinutes: Math.round((job.total * 2.2) / 60),
      rssIdleMB: Math.round(rssIdle / 1e6),
      rssPeakMB: Math.round(peakRss / 1e6),
      progressUpdates: h.messenger.updates.length,
    },
    null,
    2,
  ),
);
await h.jobs.runner.stop();
await h.harness.close();
process.exit(0);
