// `npm run bench -- --reports` (issue 20): tenant-wide reports on the `large` tenant (50,000 users) with the stand-in's
// throttling on. The bot's command path runs in this process (teams-ai app on botbuilder's TestAdapter, Graph over
// HTTPS to the stand-in), so RSS here includes the stand-in serving the pages: an upper bound for the bot's own.
// Writes bench/results/reports-latest.json; the numbers go to BENCHMARKS.md by hand.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { ConversationAddress, Messenger, PostedMessage } from '../bot/commands/ports.js';
import type { CommandOutput } from '../bot/commands/types.js';
import { TENANT_USER_COUNTS } from '../devtenant/seed/index.js';
import { CommandHarness } from '../test/helpers/command-harness.js';
import { DEMO } from '../test/helpers/devtenant.js';
import { warmUp } from '../test/commands/mfa/_warm-up.js';
import { benchReportsInChild } from './reports-child.js';

/** A per-app token bucket tight enough that fan-out meets 429s (the bot must honour Retry-After). */
const THROTTLE = { capacity: 50, refillPerSecond: 20 };
const SIZE = process.argv.includes('--quick') ? 'demo' : 'large';

class TimedMessenger implements Messenger {
  firstPostAt?: number;
  updates = 0;
  async post(address: ConversationAddress, _output: CommandOutput): Promise<PostedMessage> {
    this.firstPostAt ??= Date.now();
    return { address, messageId: 'progress' };
  }
  async update(): Promise<void> {
    this.updates++;
  }
  async members(): Promise<string[]> {
    return [];
  }
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function measure(harness: CommandHarness, messenger: TimedMessenger, text: string) {
  global.gc?.();
  const idle = process.memoryUsage().rss;
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  messenger.firstPostAt = undefined;
  messenger.updates = 0;
  const started = Date.now();
  const answer = await harness.ask(text);
  const ms = Date.now() - started;
  clearInterval(sampler);
  const direct = answer.graph.filter((e) => !e.viaBatch);
  const result = {
    command: text,
    seconds: Math.round(ms / 100) / 10,
    firstProgressCardMs: messenger.firstPostAt ? messenger.firstPostAt - started : null,
    progressUpdates: messenger.updates,
    graphRoundTrips: direct.length,
    graphRequestsInBatches: answer.graph.length - direct.length,
    throttled429: answer.graph.filter((e) => e.status === 429).length,
    rssIdleMb: mb(idle),
    rssPeakDeltaMb: mb(peak - idle),
    summary: answer.summary,
  };
  console.log(JSON.stringify(result));
  return result;
}

/** The command path in this process (TestAdapter), with the stand-in's request log: round trips, 429s. */
async function inProcess() {
  const messenger = new TimedMessenger();
  const harness = new CommandHarness();
  console.log(`starting the ${SIZE} tenant (${TENANT_USER_COUNTS[SIZE]} users), throttle ${JSON.stringify(THROTTLE)}…`);
  await harness.start({ size: SIZE, graphThrottle: THROTTLE }, { services: { messenger } });
  harness.signIn(DEMO.admin);
  await warmUp(harness);
  const results = [];
  try {
    results.push(await measure(harness, messenger, 'policy report TeamsMeetingPolicy'));
    results.push(await measure(harness, messenger, 'mfa report'));
    // On the demo tenant the fallback runs here; on `large` it gets its own 5,000-user tenant (fallbackOn5000).
    if (SIZE === 'demo') {
      withoutPremium(harness);
      results.push(await measure(harness, messenger, 'mfa report'));
    }
  } finally {
    await harness.close();
  }
  return results;
}

/** Graph's answer to the registration report on a tenant without Entra ID P1/P2. */
function withoutPremium(harness: CommandHarness): void {
  harness.dev.graph.faults.add({
    path: '/reports/authenticationMethods/**',
    fault: {
      kind: 'error',
      status: 403,
      code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
      message: "Neither tenant is B2C or tenant doesn't have premium license",
    },
  });
}

/** Live users of the fallback measurement (issue 20: "the fallback path of mfa report (no P1/P2) on 5,000 users"). */
const FALLBACK_USERS = 5_000;
/** `--graph-latency <ms>` (validated by bench/run.ts): the stand-in answers each request after this delay. */
const latencyAt = process.argv.indexOf('--graph-latency');
const LATENCY_MS = latencyAt === -1 ? 0 : Number(process.argv[latencyAt + 1]);

/**
 * The no-P1/P2 fallback of `mfa report` (one authentication-methods read per user, in $batches of 20) on 5,000
 * users, under the stand-in's documented throttling. The seed has a 60- and a 50,000-user tenant only, so this is
 * the `large` seed with every user past the first 5,000 soft-deleted (recycle bin: absent from /users, the reports
 * and role membership, and from the user count that picks the identity throttling tier: > 500 users, 8,000 RU/10 s).
 */
async function fallbackOn5000() {
  const messenger = new TimedMessenger();
  const harness = new CommandHarness();
  const graphLatency = LATENCY_MS > 0 ? { fixedMs: LATENCY_MS } : null;
  await harness.start({ size: 'large', graphThrottle: 'documented', graphLatency }, { services: { messenger } });
  try {
    const tenant = harness.dev.tenant;
    for (const user of tenant.users.slice(FALLBACK_USERS)) tenant.deleteUser(user);
    const live = [...tenant.liveUsers()].length;
    console.log(`fallback: ${live} live users, documented throttling, latency ${LATENCY_MS} ms, no P1/P2…`);
    harness.signIn(DEMO.admin);
    await warmUp(harness);
    withoutPremium(harness);
    const result = await measure(harness, messenger, 'mfa report');
    return { liveUsers: live, throttle: 'documented', graphLatencyMs: LATENCY_MS, ...result };
  } finally {
    await harness.close();
  }
}

/** `--child-only`: only the bot-as-a-child-process runs; `--fallback-only`: only the 5,000-user fallback. */
export async function benchReports(): Promise<void> {
  if (process.argv.includes('--fallback-only')) {
    const fallback = await fallbackOn5000();
    writeResults('reports-fallback-latest.json', { at: new Date().toISOString(), fallback });
    return;
  }
  const results = process.argv.includes('--child-only') ? [] : await inProcess();
  const fallback = SIZE === 'large' && !process.argv.includes('--child-only') ? await fallbackOn5000() : null;
  // The bot alone as a child process: its own RSS, and the cards as the channel receives them.
  const child = await benchReportsInChild(SIZE, THROTTLE, ['policy report TeamsMeetingPolicy', 'mfa report']);
  writeResults('reports-latest.json', {
    at: new Date().toISOString(),
    size: SIZE,
    throttle: THROTTLE,
    results,
    fallback,
    child,
  });
}

function writeResults(name: string, data: unknown): void {
  const out = new URL('./results/', import.meta.url);
  mkdirSync(out, { recursive: true });
  writeFileSync(new URL(name, out), JSON.stringify(data, null, 2));
}
