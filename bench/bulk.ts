// `npm run bench -- --bulk [--quick] [--users N] [--graph-latency ms] [--no-kill | --kill-only]` (issue 19): the bot
// from the production build as a child process, the `large` devtenant in this process with Microsoft's documented
// throttling and a Graph delay on every answer. Two `bulk policy grant` jobs over the same users (AllOff, then AllOn):
// one runs undisturbed; the other is killed with SIGKILL at ~50 % and a new process on the same store finishes it.
// Counts come from the stand-in: its request log (requests, 429s) and its directory audit (one entry per user
// assigned), so "missing" and "changed twice" are Graph's view, not the bot's. Writes bench/results/bulk-*.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { botEnv } from './lib/bot-env.js';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { startDevTenant, type DevTenant } from '../devtenant/index.js';
import { TENANT_USER_COUNTS } from '../devtenant/seed/index.js';
import { postActivity } from '../test/helpers/bot-server.js';
import { ConnectorStandIn } from '../test/helpers/connector.js';
import { cardText } from '../test/helpers/test-adapter.js';
import { fromUser, readReply, teamsUser, type TeamsUser } from '../test/identity/harness.js';
import { BUILD_DIR, buildForBench } from './lib/build.js';
import { departmentFilter } from './lib/bulk-target.js';
import { memoryMb, startChild, type StartedChild } from './lib/children.js';
import { followSignInLink, isSignInLink, signInAdmin } from './lib/sign-in.js';
import { round } from './lib/stats.js';

const arg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
};
/** --quick: ~2,000 users wanted; whole departments are taken, so one department (~5,800 users on `large`). */
const QUICK = process.argv.includes('--quick');
const WANTED = Number(arg('--users') ?? (QUICK ? 2_000 : 20_000));
const LATENCY_MS = Number(arg('--graph-latency') ?? 50);
const KILL = !process.argv.includes('--no-kill');
/** --kill-only: only the killed job (AllOff on a fresh tenant: the same work as the undisturbed one). */
const KILL_ONLY = process.argv.includes('--kill-only');
/** The documented limit that binds `policy grant`: Teams administration, 30 requests/s per app (throttle-limits.ts). */
const TEAMS_ADMIN_PER_SECOND = 30;
const POWERSHELL_SECONDS_PER_USER = 2.2;

interface Bench {
  dev: DevTenant;
  connector: ConnectorStandIn;
  admin: TeamsUser;
  env: Record<string, string>;
  logs: string;
  bot?: StartedChild;
}

function activity(b: Bench, text: string): Partial<Activity> {
  return fromUser(b.admin, b.dev, b.connector, {
    text,
    conversation: {
      id: 'a:bench-bulk',
      conversationType: 'personal',
      tenantId: b.dev.tenant.id,
      isGroup: false,
      name: '',
    },
  });
}

/** Sends a command; follows a sign-in or step-up link (a write needs a fresh MFA): the parked command then resumes. */
async function ask(b: Bench, text: string, answer: RegExp, timeoutMs = 600_000): Promise<string> {
  const since = b.connector.replies.length;
  const answered = b.connector.next((r) => r.method === 'POST' && answer.test(readReply(r).text), timeoutMs, since);
  const first = b.connector.next(
    (r) => r.method === 'POST' && (isSignInLink(readReply(r).url) || answer.test(readReply(r).text)),
    timeoutMs,
    since,
  );
  await (await postActivity(b.bot!.url, activity(b, text))).arrayBuffer();
  const reply = readReply(await first);
  if (isSignInLink(reply.url)) await followSignInLink(b.bot!.url, b.dev, b.admin, reply.url!);
  return readReply(await answered).text;
}

async function startBot(b: Bench): Promise<StartedChild> {
  b.bot = await startChild('bot', join(BUILD_DIR, 'bot/index.js'), b.env, b.logs, /"msg":"bot listening"/);
  return b.bot;
}

/** Users the stand-in's directory audit records as assigned `policy` since `from` (one entry per user assigned). */
function assignedSince(dev: DevTenant, from: number, policy: string): Map<string, number> {
  const times = new Map<string, number>();
  const audits = dev.tenant.directoryAudits;
  for (let i = from; i < audits.length; i++) {
    const a = audits[i]!;
    if (a.activityDisplayName !== 'Assign Teams policy to user') continue;
    const target = a.targetResources?.[0];
    if (!target?.id || target.modifiedProperties?.[0]?.newValue !== JSON.stringify(policy)) continue;
    times.set(target.id, (times.get(target.id) ?? 0) + 1);
  }
  return times;
}

/** Target users (by department) who do not hold `policy` as a direct TeamsMeetingPolicy assignment in the stand-in. */
function missingAfter(dev: DevTenant, departments: string[], policy: string): number {
  const policyId = dev.tenant.teamsPolicies.find(
    (p) => p.policyType === 'TeamsMeetingPolicy' && p.name === policy,
  )?.policyId;
  const holding = new Set(
    dev.tenant.teamsPolicyAssignments
      .filter((a) => a.policyId === policyId && a.assignmentType === 'direct')
      .map((a) => a.userId),
  );
  let missing = 0;
  for (const u of dev.tenant.liveUsers())
    if (u.department && departments.includes(u.department) && !holding.has(u.id)) missing++;
  return missing;
}

/** One job: preview, run, optionally SIGKILL at `killAt` of the users and restart; measured to the final card. */
async function job(b: Bench, target: { filter: string; departments: string[] }, policy: string, killAt?: number) {
  const auditFrom = b.dev.tenant.directoryAudits.length;
  const t0 = Date.now();
  const preview = await ask(b, `bulk policy grant TeamsMeetingPolicy "${policy}" --filter "${target.filter}"`, /Job\n/);
  const previewSeconds = (Date.now() - t0) / 1000;
  const id = /Job\n([0-9A-F]{8})/.exec(preview)?.[1];
  const users = Number(/Users\n(\d+)/.exec(preview)?.[1]);
  if (!id) throw new Error(`no job id in the preview: ${preview.slice(0, 300)}`);
  await new Promise((r) => setTimeout(r, 3_000));
  const rssIdleMb = memoryMb(b.bot!.child.pid)?.rssMb ?? Number.NaN;
  let rssPeakMb = rssIdleMb;
  const sampler = setInterval(() => {
    const rss = memoryMb(b.bot?.child.pid)?.rssMb; // NaN or undefined while a killed process is gone
    if (rss) rssPeakMb = Math.max(rssPeakMb, rss);
  }, 250);
  const logFrom = b.dev.graph.requestLog.length;
  const since = b.connector.replies.length;
  const started = Date.now();
  await ask(b, `bulk run ${id}`, new RegExp(`Job ${id}|${id}`));
  let killedAtUsers: number | undefined;
  let restartSeconds: number | undefined;
  const ourCard = (text: string) => text.includes(`Job ${id}`) || text.includes(`Job\n${id}`);
  const cards = () =>
    b.connector.replies
      .slice(since)
      .filter((r) => r.method === 'PUT' || r.method === 'POST')
      .map((r) => cardText(r.activity.attachments?.[0]?.content as Record<string, unknown>))
      .filter(ourCard);
  const updateTimes: number[] = [];
  let seen = 0;
  for (;;) {
    const all = b.connector.replies.slice(since).filter((r) => r.method === 'PUT');
    for (; seen < all.length; seen++) updateTimes.push(Date.now());
    if (cards().some((text) => /(Done|Failed|Cancelled): policy grant/.test(text))) break;
    if (killAt !== undefined && killedAtUsers === undefined) {
      const done = assignedSince(b.dev, auditFrom, policy).size;
      if (done >= users * killAt) {
        process.kill(b.bot!.child.pid!, 'SIGKILL');
        killedAtUsers = done;
        const t = Date.now();
        // As a restarted single instance would: the new process takes the job once the dead one's lease expires.
        await startBot(b);
        restartSeconds = (Date.now() - t) / 1000;
      }
    }
    if (Date.now() - started > 3 * 3600_000) throw new Error('job did not finish in 3 hours');
    await new Promise((r) => setTimeout(r, 100));
  }
  const wallSeconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  const final = cards().at(-1)!;
  const log = b.dev.graph.requestLog.slice(logFrom);
  const requests = log.filter((e) => e.viaBatch || !e.url.includes('$batch'));
  const teamsAdmin = requests.filter((e) => /\/admin\/teams\//i.test(e.url) && e.status !== 429).length;
  const assigned = assignedSince(b.dev, auditFrom, policy);
  const intervals = updateTimes.slice(1).map((t, i) => (t - updateTimes[i]!) / 1000);
  const floorSeconds = teamsAdmin / TEAMS_ADMIN_PER_SECOND;
  return {
    id,
    policy,
    users,
    previewSeconds: round(previewSeconds),
    wallSeconds: round(wallSeconds),
    usersPerSecond: round(users / wallSeconds),
    graphRequests: requests.length,
    teamsAdminRequests: teamsAdmin,
    throttled429: requests.filter((e) => e.status === 429).length,
    floorSeconds: round(floorSeconds),
    floorMinutes: round(floorSeconds / 60),
    throughputVsFloor: Math.round((floorSeconds / wallSeconds) * 100) / 100,
    assignedByGraph: assigned.size,
    missing: missingAfter(b.dev, target.departments, policy),
    changedTwice: [...assigned.values()].filter((n) => n > 1).length,
    finalCard: final.replace(/\n/g, ' · ').slice(0, 400),
    progressUpdates: updateTimes.length,
    progressIntervalSeconds: intervals.length
      ? { min: round(Math.min(...intervals)), max: round(Math.max(...intervals)) }
      : null,
    rssIdleMb,
    rssPeakMb,
    ...(killAt !== undefined ? { killedAtUsers, restartSeconds: restartSeconds && round(restartSeconds) } : {}),
  };
}

type JobResult = Awaited<ReturnType<typeof job>>;

export async function benchBulk(): Promise<void> {
  const startedAt = new Date();
  const [m1, m5, m15] = os.loadavg().map((l) => round(l));
  const stateDir = mkdtempSync(join(os.tmpdir(), 'bench-bulk-'));
  const connector = await new ConnectorStandIn().start();
  let b: Bench | undefined;
  const killBot = () => b?.bot?.child.pid && b.bot.child.running && process.kill(b.bot.child.pid, 'SIGKILL');
  process.once('exit', killBot);
  try {
    const build = buildForBench();
    console.log(`production build in ${round(build.buildMs)} ms`);
    const dev = await startDevTenant({
      size: 'large',
      dataDir: join(stateDir, 'devtenant'),
      graphThrottle: 'documented',
      graphFaults: LATENCY_MS ? [{ path: '/**', fault: { kind: 'delay', ms: LATENCY_MS } }] : undefined,
    });
    b = {
      dev,
      connector,
      admin: teamsUser(dev, 'teamsadmin'),
      logs: join(stateDir, 'logs'),
      env: botEnv(dev, stateDir, {
        // One admin's job; the second-admin approval tier is tested elsewhere (test/jobs/bulk.test.ts).
        BULK_APPROVAL_THRESHOLD: '1000000',
      }),
    };
    await startBot(b);
    const bench = b;
    await signInAdmin(b.bot!.url, dev, connector, b.admin, (text) => activity(bench, text));
    const target = departmentFilter(dev.tenant.liveUsers(), WANTED);
    console.log(`target: ${target.users} users (${target.filter})`);
    // Written after each job, so an interrupted bench keeps the uninterrupted run's numbers.
    const write = (uninterrupted?: JobResult, killed?: JobResult) => {
      const report = {
        generatedAt: startedAt.toISOString(),
        mode: QUICK ? 'quick' : 'full',
        tenant: { size: 'large', users: TENANT_USER_COUNTS.large },
        graph: {
          throttle: 'documented (Teams administration: 30 requests/s per app, the limit that binds policy grant)',
          latencyMs: LATENCY_MS,
        },
        botBuild: 'production build, plain node, SQLite store, LOG_LEVEL=info',
        machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, loadAverageAtStart: { m1, m5, m15 } },
        loadAverageAtEnd: round(os.loadavg()[0] ?? 0),
        powershellMinutes: round((target.users * POWERSHELL_SECONDS_PER_USER) / 60),
        uninterrupted: uninterrupted ?? null,
        killed: killed ?? null,
        killedVsUninterrupted:
          killed && uninterrupted ? Math.round((killed.wallSeconds / uninterrupted.wallSeconds) * 100) / 100 : null,
      };
      const out = new URL('./results/', import.meta.url);
      mkdirSync(out, { recursive: true });
      const json = `${JSON.stringify(report, null, 2)}\n`;
      writeFileSync(new URL(`bulk-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`, out), json);
      writeFileSync(new URL(`bulk-${QUICK ? 'quick-' : ''}${KILL_ONLY ? 'killed-' : ''}latest.json`, out), json);
      console.log(json);
    };
    if (KILL_ONLY) {
      write(undefined, await job(b, target, 'AllOff', 0.5));
      return;
    }
    const uninterrupted = await job(b, target, 'AllOff');
    write(uninterrupted);
    if (KILL) write(uninterrupted, await job(b, target, 'AllOn', 0.5));
  } finally {
    await b?.bot?.child.stop();
    await connector.close();
    await b?.dev.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
