// BENCHMARKS.md from the latest bench report: the results table, the issue 9 targets and whether each is met.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { InteractivePhase } from './interactive-phase.js';
import type { LoadResult } from './load.js';
import type { LatencyStats } from './stats.js';

/** Hand-kept before/after record of each performance fix, embedded in BENCHMARKS.md. */
const FIXES = new URL('../fixes.md', import.meta.url);

export interface BenchReportView {
  generatedAt: string;
  mode: string;
  tenant: { size: string; users: number };
  botBuild: string;
  machine: { cpu: string; cores: number; node: string; loadAverageAtStart: { m1: number; m5: number; m15: number } };
  loadAverageAtEnd: number;
  p99Ratio: number;
  p99RatioMixAverage?: number;
  throughputRatio: number;
  invokeP99Ms: number | null;
  invokes: { decisions: LatencyStats; refresh: LatencyStats; approved: number; rejected: number; errors: string[] };
  rssMb: number | null;
  peakRssMb: number | null;
  echoRssMb: number | null;
  /** `admins nomfa` first card p50 on `postureTenant` (older reports: `posture50kFirstCardMs`, whatever the tenant). */
  postureFirstCardMs?: number;
  posture50kFirstCardMs?: number;
  postureTenant?: { size: string; users: number };
  graphLatencyMs?: number;
  interactive?: InteractivePhase;
  posture: Record<string, { p50: number; max: number; totalP50: number; peakRssMb?: number | null }>;
  roundTrips: Record<string, number>;
  /** Critical-path steps per command (only with `--graph-latency`). */
  sequentialRoundTrips?: Record<string, number | null>;
  minRoundTrips?: Record<string, { min: number; why: string } | null>;
  mixStandInMs: number;
  coldStartMs: { bot: number; echo: number; devtenant: number };
  load: { ours: LoadResult[]; echo: LoadResult[] };
  memory?: Record<
    'ours' | 'echo',
    Record<string, { rssMb: number; heapUsedMb: number; externalMb: number } | undefined>
  >;
}

/** "rss / heap / external" of one bot at one moment (after a full GC), or a dash. */
function memoryCell(m: { rssMb: number; heapUsedMb: number; externalMb: number } | undefined): string {
  return m ? `${m.rssMb} / ${m.heapUsedMb} / ${m.externalMb}` : '—';
}

/** The command line the report came from (mode and Graph latency). */
function benchFlags(r: BenchReportView): string {
  const flags = [r.mode === 'quick' ? '--quick' : '', r.graphLatencyMs ? `--graph-latency ${r.graphLatencyMs}` : '']
    .filter(Boolean)
    .join(' ');
  return flags ? ` -- ${flags}` : '';
}

const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? 'met' : '**missed**');

/** Issue 14: with the stand-in at L ms per request, the first card within n × L + slack (reads, posture, writes). */
const INTERACTIVE_TARGETS: { match: (command: string) => boolean; label: string; trips: number; slackMs: number }[] = [
  { match: (c) => /^user [^ ]+@/.test(c), label: '`user <upn>` p50', trips: 1, slackMs: 30 },
  { match: (c) => c === 'admins nomfa', label: '`admins nomfa` first card p50', trips: 2, slackMs: 40 },
  { match: (c) => c.startsWith('user revoke'), label: 'write (`user revoke`) p50', trips: 2, slackMs: 40 },
];

function interactiveRows(r: BenchReportView): { table: string; targets: string[][] } {
  const phase = r.interactive;
  if (!phase) return { table: '', targets: [] };
  const latency = phase.graphLatencyMs;
  const lines = phase.commands.map(
    (c) =>
      `| \`${c.command}\` | ${c.firstCard.p50} / ${c.firstCard.p95} / ${c.firstCard.max} | ${latency ? c.sequentialRoundTrips : '—'} ` +
      `| ${c.requests} | ${latency ? Math.round(c.firstCard.p50 - c.sequentialRoundTrips * latency) : '—'} | ` +
      `${c.botCpuMs ?? '—'} | ${c.steps.join('<br>')} |`,
  );
  const table = `## Interactive latency (Graph stand-in answers each request after ${latency} ms)

One command at a time, ${phase.commands[0]?.firstCard.count ?? 0} runs each, after one unmeasured run. Sequential round
trips = steps on the critical path, read from the stand-in's request log (requests arriving within half a delay of
each other were in flight together). Echo bot, same machine, same run: single turn p50 ${phase.echo.p50} ms
(p95 ${phase.echo.p95}).

| command | first card ms p50 / p95 / max | sequential round trips | requests | ms above the round trips (p50) | bot CPU ms per run | requests by step (last run) |
|---|---|---|---|---|---|---|
${lines.join('\n')}
`;
  const targets = INTERACTIVE_TARGETS.map((t) => {
    const c = phase.commands.find((x) => t.match(x.command));
    const limit = t.trips * latency + t.slackMs;
    if (!c || !latency) return [`${t.label} ≤ ${t.trips} × latency + ${t.slackMs} ms`, '—', verdict(undefined)];
    return [
      `${t.label} ≤ ${t.trips} × ${latency} + ${t.slackMs} = ${limit} ms`,
      `${c.firstCard.p50} ms (${c.sequentialRoundTrips} sequential round trip${c.sequentialRoundTrips === 1 ? '' : 's'})`,
      verdict(c.firstCard.p50 <= limit),
    ];
  });
  return { table, targets };
}

export function writeBenchmarksMd(file: URL, r: BenchReportView): void {
  const interactive = interactiveRows(r);
  const postureMs = r.postureFirstCardMs ?? r.posture50kFirstCardMs ?? Number.NaN;
  const postureTenant = r.postureTenant ?? r.tenant;
  const cpu = r.load.ours.map((o) => o.cpuMsPerTurn).filter((v): v is number => v !== undefined);
  const singleCpu = r.interactive?.commands
    .filter((c) => c.botCpuMs !== undefined)
    .map((c) => `\`${c.command.split(' ').slice(0, 2).join(' ')}\` ${c.botCpuMs}`)
    .join(', ');
  const echoRssAfter = r.memory?.echo.after1000Conversations?.rssMb ?? r.echoRssMb;
  const rows = r.load.ours.map((o, i) => {
    const e = r.load.echo[i]!;
    return (
      `| ${o.concurrency} | ${o.p50} / ${o.p95} / ${o.p99} | ${e.p50} / ${e.p95} / ${e.p99} | ${o.throughputPerS} ` +
      `| ${e.throughputPerS} | ${o.cpuMsPerTurn ?? '—'} / ${e.cpuMsPerTurn ?? '—'} | ${o.benchCpuMsPerTurn ?? '—'} ` +
      `/ ${e.benchCpuMsPerTurn ?? '—'} | ${o.count} / ${e.count} | ${o.errors} / ${e.errors} |`
    );
  });
  const peak = r.peakRssMb ?? r.rssMb;
  const targets = [
    [
      "p99 ≤ 1.3 × (echo p99 + the stand-in's time for that request), worst level",
      `${r.p99Ratio} ×${r.p99RatioMixAverage !== undefined ? ` (our p99 / (echo p99 + mix-average stand-in ${r.mixStandInMs} ms): ${r.p99RatioMixAverage} ×)` : ''}`,
      verdict(r.p99Ratio <= 1.3),
    ],
    ['throughput ≥ 0.6 × echo, worst level', `${r.throughputRatio} ×`, verdict(r.throughputRatio >= 0.6)],
    [
      'approval invoke < 1 s (p99 of Approve, Reject and refresh)',
      r.invokeP99Ms === null ? '—' : `${r.invokeP99Ms} ms`,
      verdict(r.invokeP99Ms === null ? undefined : r.invokeP99Ms < 1000),
    ],
    [
      'RSS ≤ 200 MB (with 1,000 conversations; peak)',
      `${r.rssMb ?? '—'} MB (peak ${peak ?? '—'} MB; echo ${r.echoRssMb ?? '—'} MB)`,
      verdict(peak === null ? undefined : peak <= 200),
    ],
    [
      `posture first card < 2 s on the 50,000-user tenant (\`admins nomfa\`, p50)`,
      `${postureMs} ms on \`${postureTenant.size}\` (${postureTenant.users} users)`,
      postureTenant.size === 'large'
        ? verdict(postureMs < 2000)
        : `not measured on 50k (${verdict(postureMs < 2000)} on ${postureTenant.users} users)`,
    ],
    ...interactive.targets,
    [
      'bot CPU per command ≤ 6 ms (worst load level)',
      cpu.length
        ? `${Math.max(...cpu)} ms (levels: ${cpu.join(' / ')}${singleCpu ? `; one at a time: ${singleCpu}` : ''})`
        : '—',
      verdict(cpu.length ? Math.max(...cpu) <= 6 : undefined),
    ],
    [
      'RSS after 1,000 conversations ≤ echo + 80 MB',
      r.rssMb !== null && echoRssAfter !== null && echoRssAfter !== undefined
        ? `${r.rssMb} MB vs echo ${echoRssAfter} MB (+${Math.round((r.rssMb - echoRssAfter) * 10) / 10} MB)`
        : '—',
      verdict(
        r.rssMb !== null && echoRssAfter !== null && echoRssAfter !== undefined
          ? r.rssMb <= echoRssAfter + 80
          : undefined,
      ),
    ],
  ];
  const md = `# Benchmarks

Generated by \`npm run bench${benchFlags(r)}\` (issues 9 and 14) at ${r.generatedAt}. Do not edit by hand; rerun the bench.

**Machine:** ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}. Load average at start ${r.machine.loadAverageAtStart.m1} / ${r.machine.loadAverageAtStart.m5} / ${r.machine.loadAverageAtStart.m15} (1/5/15 min), ${r.loadAverageAtEnd} at the end.
Graph stand-in latency: ${r.graphLatencyMs ? `${r.graphLatencyMs} ms per request (\`--graph-latency\`)` : 'none (answers as fast as it computes them)'}.

**Setup:** devtenant \`${r.tenant.size}\` (${r.tenant.users} users) in the bench process; bot ${r.botBuild}; baseline \`bench/echo-bot.ts\`
(same TeamsAdapter, no app id, restify); both bots are child processes on 127.0.0.1 and reply to the same connector stand-in.
One admin is signed in once through the devtenant pages (password + TOTP). Command mix: \`whoami\`, \`user <upn>\`, \`user search ali\`, \`teams\`.
Latency = POST of the activity → its reply at the connector stand-in. CPU ms/turn = the bot process's user + system CPU
time during the level divided by the turns answered (from /proc).
Bench-process CPU ms/turn = the same for the process that hosts the devtenant (Graph and Entra stand-ins), the
connector stand-in and the load generator: when it is near 1,000 ms per second of wall time, the stand-ins, not the bot, set the pace.

## Load (ms, p50 / p95 / p99)

| conversations | ours | echo | ours /s | echo /s | bot CPU ms/turn (ours / echo) | bench-process CPU ms/turn (ours / echo) | turns (ours / echo) | errors |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

${interactive.table}
## Single commands

| | value |
|---|---|
| cold start to ready (bot / echo / devtenant in-process) | ${r.coldStartMs.bot} / ${r.coldStartMs.echo} / ${r.coldStartMs.devtenant} ms |
| approval invokes, ms p50 / p95 / p99: Approve/Reject (${r.invokes.approved} / ${r.invokes.rejected}) | ${r.invokes.decisions.p50} / ${r.invokes.decisions.p95} / ${r.invokes.decisions.p99} |
| approval invokes, ms p50 / p95 / p99: \`approvalRefresh\` (${r.invokes.refresh.count}) | ${r.invokes.refresh.p50} / ${r.invokes.refresh.p95} / ${r.invokes.refresh.p99} |
| RSS with 1,000 conversations, after the load (bot / bot peak / echo) | ${r.rssMb ?? '—'} / ${r.peakRssMb ?? '—'} / ${r.echoRssMb ?? '—'} MB |
${r.memory ? (['ready', 'afterLoad', 'after1000Conversations'] as const).map((k) => `| memory ${k === 'ready' ? 'at ready' : k === 'afterLoad' ? 'after the load' : 'after 1,000 conversations'}, MB ` + `rss / JS heap / external after GC (bot · echo) | ${memoryCell(r.memory!.ours[k])} · ` + `${memoryCell(r.memory!.echo[k])} |`).join('\n') : ''}
${Object.entries(r.posture)
  .map(
    ([c, p]) =>
      `| \`${c}\` on ${postureTenant.size} (${postureTenant.users} users): first card p50 (max) / total p50; bot ` +
      `peak RSS so far | ${p.p50} (${p.max}) / ${p.totalP50} ms; ${p.peakRssMb ?? '—'} MB |`,
  )
  .join('\n')}
${Object.entries(r.roundTrips)
  .map(([c, n]) => {
    const min = r.minRoundTrips?.[c];
    const sequential = r.sequentialRoundTrips?.[c];
    const counted = sequential ? `${n} requests, ${sequential} sequential` : `${n}`;
    return `| Graph round trips: \`${c}\` | ${counted}${min ? ` (minimum ${min.min}: ${min.why})` : ''} |`;
  })
  .join('\n')}

## Targets

| target | this run | |
|---|---|---|
${targets.map((t) => `| ${t.join(' | ')} |`).join('\n')}

## Caveats

- Both bots run from the production build (\`tsc -p tsconfig.build.json\`, the \`npm run build\` compiler and config,
  into \`.data/bench-build\`) with plain \`node\` and \`NODE_ENV=production\`; \`--source\` runs both through tsx instead
  (results kept apart as \`*-source.json\`). Cold start is spawn → \`/readyz\` answers 200.
- "Stand-in time" of a command is its logged Graph GETs replayed sequentially with a minted token (best of 3). The p99
  ratio divides each of our turns by (echo p99 of the level + the stand-in time of that turn's command) and takes the
  99th percentile of the quotients. The devtenant shares the bench process with the load generator and the connector
  stand-in, so its work (a \`user search\` scans 50,000 users) also slows the load generator under load.
- Approval invokes: a requester asks for \`admin block\` in a group chat; each request gets two \`approvalRefresh\`
  invokes (approver's and requester's view) and one Approve or Reject click (Action.Execute \`run\`), posted one at a
  time; latency is POST → HTTP response (the decision, the card update and the posted answer happen before it).
  Approved commands run after the response and are awaited before the next request.
- Latency at 100 conversations includes queueing behind a saturated bot; loops are bounded by turn count and wall
  time, so the turn counts differ between bots.
- \`npm run bench -- --profile\` runs the bot under \`--cpu-prof\` and writes \`bench/results/profile-latest.txt\`
  (a profiled run never becomes latest).
${existsSync(FIXES) ? `\n${readFileSync(FIXES, 'utf8')}` : ''}`;
  writeFileSync(file, md + keptSections(file));
}

/** The bulk-job and report benches' sections (`--bulk`, `--reports`): kept when the load bench rewrites the file. */
const KEPT_SECTIONS = /^## (Tenant-wide reports|Bulk jobs)\b/m;

function keptSections(file: URL): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  const at = text.search(KEPT_SECTIONS);
  return at === -1 ? '' : `\n${text.slice(at)}`;
}
