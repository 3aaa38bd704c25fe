// `npm run bench [-- --quick]` (issue 9): the real bot and a bare teams-ai echo bot, both from the production build
// (`--source`: both through tsx instead, for comparison), as child processes, under the same bounded loopback load,
// replies captured by the same connector stand-in; the
// devtenant (large tenant; demo with --quick) runs in this process so its Graph request log can be read.
// Writes bench/results/<timestamp>.json, bench/results/latest.json and BENCHMARKS.md.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { botEnv } from './lib/bot-env.js';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { startDevTenant, type DevTenant } from '../devtenant/index.js';
import { TENANT_USER_COUNTS } from '../devtenant/seed/index.js';
import { ConnectorStandIn } from '../test/helpers/connector.js';
import { fromUser, readReply, teamsUser, type TeamsUser } from '../test/identity/harness.js';
import { BUILD_DIR, buildForBench } from './lib/build.js';
import {
  cpuMs,
  memoryBreakdown,
  memoryMb,
  startChild,
  type MemoryBreakdown,
  type StartedChild,
} from './lib/children.js';
import { measureInvokes, type GroupActivity } from './lib/invoke.js';
import { runLevel, timedTurn, touchConversations, type LoadLevel, type LoadResult } from './lib/load.js';
import { summarizeProfiles } from './lib/profile.js';
import { writeBenchmarksMd, type BenchReportView } from './lib/report.js';
import { graphCost, type CommandGraphCost } from './lib/standin-time.js';
import { latencyStats, percentile, round } from './lib/stats.js';
import { measureInteractivePhase } from './lib/interactive-phase.js';

const QUICK = process.argv.includes('--quick');
const round2 = (n: number) => Math.round(n * 100) / 100;
/**
 * --profile: the bot runs with --cpu-prof; the heaviest functions (self time) go to bench/results/profile-latest.txt.
 */
const PROFILE = process.argv.includes('--profile');
/** --source: both bots through tsx from source (how the first runs were measured), instead of the production build. */
const SOURCE = process.argv.includes('--source');
/** --node-flags "<flags>": extra node/V8 flags for both bots (e.g. heap sizing experiments); recorded in the report. */
const flagsAt = process.argv.indexOf('--node-flags');
const NODE_FLAGS = flagsAt === -1 ? [] : (process.argv[flagsAt + 1] ?? '').split(/\s+/).filter(Boolean);
/**
 * --graph-latency <ms>: the Graph stand-in answers every request (a `$batch` counts once) after this delay, as a
 * production Graph round trip would (~50–300 ms); the interactive phase then shows the critical path per command.
 */
const latencyAt = process.argv.indexOf('--graph-latency');
const GRAPH_LATENCY_MS = latencyAt === -1 ? 0 : Number(process.argv[latencyAt + 1]);
if (!Number.isFinite(GRAPH_LATENCY_MS) || GRAPH_LATENCY_MS < 0 || GRAPH_LATENCY_MS > 5_000)
  throw new Error('--graph-latency takes a delay in milliseconds (0–5000)');
/** Runs of each interactive command (one at a time). */
const INTERACTIVE_RUNS = QUICK ? 7 : 15;
const SIZE = QUICK ? 'demo' : 'large';
/** --graph-throttle: Graph's documented throttling limits (off by default, even on the large tenant). */
const GRAPH_THROTTLE = process.argv.includes('--graph-throttle');
const LEVELS: LoadLevel[] = QUICK
  ? [
      { concurrency: 1, maxRequests: 30, maxMs: 10_000 },
      { concurrency: 10, maxRequests: 100, maxMs: 12_000 },
      { concurrency: 100, maxRequests: 300, maxMs: 20_000 },
    ]
  : [
      { concurrency: 1, maxRequests: 150, maxMs: 30_000 },
      { concurrency: 10, maxRequests: 500, maxMs: 45_000 },
      { concurrency: 100, maxRequests: 1500, maxMs: 60_000 },
    ];
const POSTURE_RUNS = QUICK ? 2 : 5;
/** Approval requests in the invoke phase; each gives two refresh invokes and one decision (approve or reject). */
const INVOKE_REQUESTS = QUICK ? 10 : 30;
const RESULTS = new URL('./results/', import.meta.url);

/**
 * The fewest Graph requests each command can make, and why. Every Graph-backed command re-checks the admin's roles
 * (security rule: roles are asked of Graph per command, never taken from a cache or the token's `wids`); for reads the
 * re-check travels alongside the first request (issue 14), so it adds a request but no sequential round trip.
 */
const MIN_ROUND_TRIPS: Record<string, { min: number; why: string }> = {
  whoami: { min: 1, why: 'role re-check (whoami shows the roles held now)' },
  user: { min: 2, why: 'role re-check alongside GET /users/{upn}: 1 sequential' },
  'user search': { min: 2, why: 'role re-check alongside GET /users?$search (page and $count in one): 1 sequential' },
  teams: {
    min: 3,
    why:
      'role re-check alongside GET /teams (Graph fills only id/displayName/description), then one $batch of GET ' +
      '/teams/{id} for the page: 2 sequential',
  },
  'admins nomfa': {
    min: 3,
    why:
      "role re-check alongside the userRegistrationDetails page, then one $batch of the page's role assignments: 2 " +
      'sequential',
  },
};
const minimumFor = (command: string) =>
  MIN_ROUND_TRIPS[command] ??
  MIN_ROUND_TRIPS[command.split(' ').slice(0, 2).join(' ')] ??
  MIN_ROUND_TRIPS[command.split(' ')[0]!];

function machine() {
  const [m1, m5, m15] = os.loadavg().map((l) => round(l));
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: { m1, m5, m15 },
  };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const host = machine();
  const stateDir = mkdtempSync(join(os.tmpdir(), 'bench-'));
  const children: StartedChild[] = [];
  // Last resort if this process dies without reaching `finally` (a crash, Ctrl-C): no child outlives the bench.
  const killChildren = () => {
    for (const c of children) if (c.child.running && c.child.pid) process.kill(c.child.pid, 'SIGKILL');
  };
  process.once('exit', killChildren);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      killChildren();
      process.exit(130);
    });
  let dev: DevTenant | undefined;
  const connector = await new ConnectorStandIn().start();
  try {
    const build = SOURCE ? undefined : buildForBench();
    if (build)
      console.log(
        `production build in ${round(build.buildMs)} ms${build.diagnostics ? ` (compiler complaints, JavaScript emitted anyway):\n${build.diagnostics.slice(0, 800)}` : ''}`,
      );
    const entry = (name: string) => (SOURCE ? { tsx: `${name}.ts` } : join(BUILD_DIR, `${name}.js`));
    const t0 = performance.now();
    dev = await startDevTenant({
      size: SIZE,
      dataDir: join(stateDir, 'devtenant'),
      graphThrottle: GRAPH_THROTTLE ? 'documented' : false,
      // The stand-in's own `delay` fault: the handler runs on arrival, its answer leaves GRAPH_LATENCY_MS later.
      graphFaults: GRAPH_LATENCY_MS ? [{ path: '/**', fault: { kind: 'delay', ms: GRAPH_LATENCY_MS } }] : undefined,
    });
    const devtenantReadyMs = performance.now() - t0;
    const admin = teamsUser(dev, 'admin');
    const d = dev;
    const conversation =
      (user: TeamsUser) =>
      (n: number, text: string): Partial<Activity> =>
        fromUser(user, d, connector, {
          text,
          conversation: {
            id: `a:bench-${n}`,
            conversationType: 'personal',
            tenantId: d.tenant.id,
            isGroup: false,
            name: '',
          },
        });
    const ours = await startChild(
      'bot',
      entry('bot/index'),
      botEnv(dev, stateDir, {
        // The bench is one admin sending hundreds of commands a minute: the limiter still counts every command (its
        // cost is measured), but at a ceiling the load never reaches, so no answer is a "slow down" card.
        RATE_LIMIT_COMMANDS_PER_USER_PER_MINUTE: '100000',
        RATE_LIMIT_CHANGES_PER_USER_PER_MINUTE: '100000',
        RATE_LIMIT_COMMANDS_PER_TENANT_PER_MINUTE: '100000',
      }),
      join(stateDir, 'logs'),
      /"msg":"bot listening"/,
      [...NODE_FLAGS, ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(stateDir, 'prof')}`] : [])],
    );
    children.push(ours);
    const echo = await startChild(
      'echo',
      entry('bench/echo-bot'),
      { PORT: '0' },
      join(stateDir, 'logs'),
      /"msg":"echo listening"/,
      NODE_FLAGS,
    );
    children.push(echo);
    const memory: Record<'ours' | 'echo', Record<string, MemoryBreakdown | undefined>> = {
      ours: { ready: await memoryBreakdown(ours) },
      echo: { ready: await memoryBreakdown(echo) },
    };
    console.log(
      `devtenant ${SIZE} ready in ${round(devtenantReadyMs)} ms; bot cold start ${round(ours.coldStartMs)} ms; ` +
        `echo ${round(echo.coldStartMs)} ms`,
    );

    const activity = conversation(admin);
    const { followSignInLink, signInAdmin } = await import('./lib/sign-in.js');
    // Every bench conversation belongs to the one signed-in admin (the sign-in is per user, not per conversation).
    await signInAdmin(ours.url, dev, connector, admin, (text) => activity(0, text));

    // Approval invokes right after sign-in: deciding needs an MFA from the last 5 minutes (requester and approver).
    const approverUser = teamsUser(dev, 'useradmin');
    await signInAdmin(ours.url, dev, connector, approverUser, (text) => conversation(approverUser)(1, text));
    const group =
      (user: TeamsUser): GroupActivity =>
      (text, extra = {}) =>
        fromUser(user, d, connector, {
          text,
          conversation: {
            id: '19:bench-approvals@thread.v2',
            conversationType: 'groupChat',
            tenantId: d.tenant.id,
            isGroup: true,
            name: 'Bench approvers',
          },
          ...extra,
        });
    const invokes = await measureInvokes(
      ours.url,
      connector,
      group(admin),
      group(approverUser),
      `bob@${dev.tenant.domain}`,
      INVOKE_REQUESTS,
      {
        requester: (url) => followSignInLink(ours.url, d, admin, url),
        approver: (url) => followSignInLink(ours.url, d, approverUser, url),
      },
    );
    console.log(
      `invokes: decisions p99 ${invokes.decisions.p99} ms, refresh p99 ${invokes.refresh.p99} ms, errors ` +
        `${invokes.errors.length}`,
    );
    const upn = `alice@${dev.tenant.domain}`;
    const interactive = await measureInteractivePhase(dev, ours.url, echo.url, connector, (text) => activity(2, text), {
      read: `user ${upn}`,
      write: `user revoke bob@${dev.tenant.domain}`,
      runs: INTERACTIVE_RUNS,
      delayMs: GRAPH_LATENCY_MS,
      followStepUp: (url) => followSignInLink(ours.url, d, admin, url),
      botCpuMs: () => cpuMs(ours.child.pid),
    });
    console.log(
      `interactive (Graph latency ${GRAPH_LATENCY_MS} ms): ${interactive.commands.map((c) => `${c.command} p50 ${c.firstCard.p50} ms, ${c.sequentialRoundTrips} sequential of ${c.requests}`).join(' · ')}; ` +
        `echo p50 ${interactive.echo.p50} ms`,
    );
    const mix = ['whoami', `user ${upn}`, 'user search ali', 'teams'];

    const costs: CommandGraphCost[] = [];
    const replySamples: Record<string, string> = {};
    for (const command of [...mix, 'admins nomfa']) {
      costs.push(
        await graphCost(
          dev,
          command,
          admin.upn,
          () => timedTurn(ours.url, connector, activity(0, command)),
          GRAPH_LATENCY_MS,
        ),
      );
      // What the bot answered, so a run that only measured error cards is visible in the report.
      const last = connector.replies.filter((r) => r.conversationId === 'a:bench-0').at(-1);
      replySamples[command] = readReply(last!).text.replace(/\s+/g, ' ').slice(0, 100);
    }
    const mixStandInMs = round(
      costs.filter((c) => mix.includes(c.command)).reduce((s, c) => s + c.standInMs, 0) / mix.length,
    );

    const posture: Record<string, ReturnType<typeof latencyStats> & { totalP50: number; peakRssMb: number | null }> =
      {};
    for (const command of ['admins nomfa', 'user search ali']) {
      const first: number[] = [];
      const total: number[] = [];
      for (let i = 0; i < POSTURE_RUNS; i++) {
        const t = await timedTurn(ours.url, connector, activity(1, command), 60_000);
        first.push(t.firstReplyMs);
        total.push(t.totalMs);
      }
      // Peak RSS so far (VmHWM): the posture commands run before any load, so this is their peak.
      posture[command] = {
        ...latencyStats(first),
        totalP50: latencyStats(total).p50,
        peakRssMb: memoryMb(ours.child.pid)?.peakRssMb ?? null,
      };
    }

    const load: { ours: LoadResult[]; echo: LoadResult[] } = { ours: [], echo: [] };
    let offset = 1000;
    for (const level of LEVELS) {
      // Echo first, then ours, alternating per level so drift in machine load hits both.
      load.echo.push(
        await runLevel(echo.url, connector, activity, mix, level, (offset += 1000), () => cpuMs(echo.child.pid)),
      );
      load.ours.push(
        await runLevel(ours.url, connector, activity, mix, level, (offset += 1000), () => cpuMs(ours.child.pid)),
      );
      const [o, e] = [load.ours.at(-1)!, load.echo.at(-1)!];
      console.log(
        `c=${level.concurrency}: ours p99 ${o.p99} ms ${o.throughputPerS}/s ${o.cpuMsPerTurn} cpu-ms/turn (bench ` +
          `process ${o.benchCpuMsPerTurn}) · echo p99 ${e.p99} ms ${e.throughputPerS}/s ${e.cpuMsPerTurn} ` +
          `cpu-ms/turn`,
      );
    }
    memory.ours.afterLoad = await memoryBreakdown(ours);
    memory.echo.afterLoad = await memoryBreakdown(echo);
    // RSS with 1,000 conversations: each gets one command of the mix (the echo bot the same, for its floor).
    const conversations = {
      ours: await touchConversations(ours.url, connector, activity, mix, 1000, 20, 100_000),
      echo: await touchConversations(echo.url, connector, activity, mix, 1000, 20, 200_000),
    };
    const rss = memoryMb(ours.child.pid);
    const echoRss = memoryMb(echo.child.pid);
    memory.ours.after1000Conversations = await memoryBreakdown(ours);
    memory.echo.after1000Conversations = await memoryBreakdown(echo);
    console.log(
      `1,000 conversations: ours RSS ${rss?.rssMb} MB (heap ${memory.ours.after1000Conversations?.heapUsedMb}) · ` +
        `echo ${echoRss?.rssMb} MB (heap ${memory.echo.after1000Conversations?.heapUsedMb})`,
    );

    const worst = (rs: LoadResult[], f: (r: LoadResult, e: LoadResult) => number) =>
      Math.max(...rs.map((r, i) => f(r, load.echo[i]!)));
    // Issue 9: p99 ≤ 1.3 × (echo + the stand-in's own time for that request). Each of our turns is divided by the echo
    // p99 of its level plus the stand-in time of its command; the ratio is the 99th percentile of those quotients.
    const standInOf = new Map(costs.map((c) => [c.command, c.standInMs]));
    const p99Ratio = round2(
      worst(load.ours, (r, e) =>
        percentile(
          (r.turns ?? []).map((t) => t.ms / (e.p99 + (standInOf.get(t.command) ?? mixStandInMs))).sort((a, b) => a - b),
          99,
        ),
      ),
    );
    const p99RatioMixAverage = round2(worst(load.ours, (r, e) => r.p99 / (e.p99 + mixStandInMs)));
    for (const r of [...load.ours, ...load.echo]) delete r.turns;
    const throughputRatio = round2(
      Math.min(...load.ours.map((r, i) => r.throughputPerS / load.echo[i]!.throughputPerS)),
    );
    const report = {
      generatedAt: startedAt.toISOString(),
      mode: QUICK ? 'quick' : 'full',
      tenant: { size: SIZE, users: TENANT_USER_COUNTS[SIZE] },
      botBuild: SOURCE
        ? 'from source (tsx), LOG_LEVEL=info, SQLite store'
        : 'production build (tsc -p tsconfig.build.json, plain node, NODE_ENV=production), LOG_LEVEL=info, SQLite ' +
          'store',
      machine: host,
      loadAverageAtEnd: round(os.loadavg()[0] ?? 0),
      p99Ratio,
      p99RatioMixAverage,
      throughputRatio,
      invokeP99Ms: invokes.errors.length ? null : invokes.all.p99,
      invokes,
      rssMb: rss?.rssMb ?? null,
      peakRssMb: rss?.peakRssMb ?? null,
      echoRssMb: echoRss?.rssMb ?? null,
      echoPeakRssMb: echoRss?.peakRssMb ?? null,
      nodeFlags: NODE_FLAGS,
      rssNote:
        'VmRSS after 1,000 conversations (one command each, after the load levels); memory: ' +
        'process.memoryUsage() after a full GC',
      memory,
      conversations,
      graphLatencyMs: GRAPH_LATENCY_MS,
      interactive,
      postureFirstCardMs: posture['admins nomfa']!.p50,
      postureTenant: { size: SIZE, users: TENANT_USER_COUNTS[SIZE] },
      posture,
      roundTrips: Object.fromEntries(costs.map((c) => [c.command, c.roundTrips])),
      sequentialRoundTrips: Object.fromEntries(costs.map((c) => [c.command, c.sequential ?? null])),
      minRoundTrips: Object.fromEntries(costs.map((c) => [c.command, minimumFor(c.command) ?? null])),
      graphCosts: costs,
      mixStandInMs,
      replySamples,
      coldStartMs: { bot: round(ours.coldStartMs), echo: round(echo.coldStartMs), devtenant: round(devtenantReadyMs) },
      levels: LEVELS,
      load,
    };
    mkdirSync(RESULTS, { recursive: true });
    const json = `${JSON.stringify(report, null, 2)}\n`;
    // A profiled bot is slower and --source is not the production build: their numbers are kept apart, never "latest".
    const variant = `${PROFILE ? '-profiled' : ''}${SOURCE ? '-source' : ''}${NODE_FLAGS.length ? '-flags' : ''}`;
    writeFileSync(new URL(`${startedAt.toISOString().replace(/[:.]/g, '-')}${variant}.json`, RESULTS), json);
    if (!variant) {
      writeFileSync(new URL('latest.json', RESULTS), json);
      writeBenchmarksMd(new URL('../BENCHMARKS.md', import.meta.url), report);
    }
    console.log(
      JSON.stringify({
        p99Ratio,
        throughputRatio,
        rssMb: report.rssMb,
        postureFirstCardMs: report.postureFirstCardMs,
        interactive: Object.fromEntries(
          interactive.commands.map((c) => [c.command, [c.firstCard.p50, c.sequentialRoundTrips]]),
        ),
      }),
    );
  } finally {
    for (const c of children.reverse()) await c.child.stop();
    if (PROFILE) {
      summarizeProfiles(join(stateDir, 'prof'), new URL('profile-latest.txt', RESULTS));
      // The raw profile stays for a closer look (Chrome DevTools → Performance → Load profile): .data/ is
      // not committed.
      if (existsSync(join(stateDir, 'prof')))
        cpSync(join(stateDir, 'prof'), join(BUILD_DIR, '..', 'bench-profile'), { recursive: true });
    }
    await connector.close();
    await dev?.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** --report-only: BENCHMARKS.md again from bench/results/latest.json (after editing bench/fixes.md), no run. */
if (process.argv.includes('--bulk')) {
  // Bulk jobs at tenant scale (issue 19): bench/bulk.ts.
  void import('./bulk.js').then(({ benchBulk }) => benchBulk());
} else if (process.argv.includes('--reports')) {
  // Tenant-wide reports (issue 20): bench/reports.ts.
  void import('./reports.js').then(({ benchReports }) => benchReports());
} else if (process.argv.includes('--report-only')) {
  writeBenchmarksMd(
    new URL('../BENCHMARKS.md', import.meta.url),
    JSON.parse(readFileSync(new URL('latest.json', RESULTS), 'utf8')) as BenchReportView,
  );
} else {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? `${err.message}\n${(err as { logTail?: string }).logTail ?? ''}` : err);
    process.exitCode = 1;
  });
}
