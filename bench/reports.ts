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
    // The no-P1/P2 fallback (one methods read per user) is meant for 5,000 users; the stand-in has 60 or 50,000.
    if (SIZE === 'demo') {
      harness.dev.graph.faults.add({
        path: '/reports/authenticationMethods/**',
        fault: {
          kind: 'error',
          status: 403,
          code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
          message: "Neither tenant is B2C or tenant doesn't have premium license",
        },
      });
      results.push(await measure(harness, messenger, 'mfa report'));
    }
  } finally {
    await harness.close();
  }
  return results;
}

/** `--child-only`: only the bot-as-a-child-process runs. */
export async function benchReports(): Promise<void> {
  const results = process.argv.includes('--child-only') ? [] : await inProcess();
  // The bot alone as a child process: its own RSS, and the cards as the channel receives them.
  const child = await benchReportsInChild(SIZE, THROTTLE, ['policy report TeamsMeetingPolicy', 'mfa report']);
  const out = new URL('./results/', import.meta.url);
  mkdirSync(out, { recursive: true });
  writeFileSync(
    new URL('reports-latest.json', out),
    JSON.stringify({ at: new Date().toISOString(), size: SIZE, throttle: THROTTLE, results, child }, null, 2),
  );
}
