// The bot alone, as a child process (from source through tsx), for the reports bench: its RSS while a report runs,
// the first progress card and the report's answer as the channel (connector stand-in) receives them.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { botEnv } from './lib/bot-env.js';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { startDevTenant } from '../devtenant/index.js';
import { postActivity } from '../test/helpers/bot-server.js';
import { ConnectorStandIn } from '../test/helpers/connector.js';
import { fromUser, readReply, teamsUser } from '../test/identity/harness.js';
import { memoryMb, startChild } from './lib/children.js';
import { signInAdmin } from './lib/sign-in.js';

export interface ChildReportRun {
  command: string;
  seconds: number;
  firstProgressCardMs: number | null;
  rssIdleMb: number;
  rssPeakMb: number;
  rssDeltaMb: number;
  summary: string;
}

export async function benchReportsInChild(
  size: 'demo' | 'large',
  throttle: { capacity: number; refillPerSecond: number },
  commands: string[],
): Promise<ChildReportRun[]> {
  const stateDir = mkdtempSync(join(os.tmpdir(), 'bench-reports-'));
  const connector = await new ConnectorStandIn().start();
  const dev = await startDevTenant({ size, dataDir: join(stateDir, 'devtenant'), graphThrottle: throttle });
  const bot = await startChild(
    'bot',
    { tsx: 'bot/index.ts' },
    botEnv(dev, stateDir),
    join(stateDir, 'logs'),
    /"msg":"bot listening"/,
  );
  const results: ChildReportRun[] = [];
  try {
    const admin = teamsUser(dev, 'admin');
    const activity = (text: string): Partial<Activity> =>
      fromUser(admin, dev, connector, {
        text,
        conversation: {
          id: 'a:bench-reports',
          conversationType: 'personal',
          tenantId: dev.tenant.id,
          isGroup: false,
          name: '',
        },
      });
    await signInAdmin(bot.url, dev, connector, admin, activity).catch((err: unknown) => {
      console.error(connector.replies.map((r) => String(r.activity.summary ?? r.activity.text)).join('\n'));
      throw err;
    });
    for (const command of commands) {
      await new Promise((r) => setTimeout(r, 2_000));
      const idle = memoryMb(bot.child.pid)?.rssMb ?? Number.NaN;
      let peak = idle;
      const sampler = setInterval(() => (peak = Math.max(peak, memoryMb(bot.child.pid)?.rssMb ?? peak)), 100);
      const since = connector.replies.length;
      const started = Date.now();
      let firstProgress: number | null = null;
      const progress = connector
        .next(
          (r) =>
            r.method === 'POST' &&
            /Teams policies|MFA registration|Privileged roles|Licences/.test(String(r.activity.summary)),
          120_000,
          since,
        )
        .then(
          () => (firstProgress = Date.now() - started),
          () => undefined,
        );
      const answered = connector.next(
        (r) =>
          r.activity.attachments?.[0]?.content !== undefined &&
          /^(MFA:|\w+Policy:|Teams policies of|\d+ role holders|Licences:)/.test(String(r.activity.summary)),
        180_000,
        since,
      );
      await (await postActivity(bot.url, activity(command))).arrayBuffer();
      const reply = readReply(
        await answered.catch((err: unknown) => {
          console.error(connector.replies.slice(since).map((r) => `${r.method} ${String(r.activity.summary)}`));
          throw err;
        }),
      );
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      clearInterval(sampler);
      await Promise.race([progress, new Promise((r) => setTimeout(r, 10))]);
      const run = {
        command,
        seconds,
        firstProgressCardMs: firstProgress,
        rssIdleMb: idle,
        rssPeakMb: peak,
        rssDeltaMb: Math.round((peak - idle) * 10) / 10,
        summary: String(reply.reply.activity.summary),
      };
      console.log(JSON.stringify(run));
      results.push(run);
    }
  } finally {
    await bot.child.stop();
    await connector.close();
    await dev.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
  return results;
}
