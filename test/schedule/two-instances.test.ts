import { catalog } from '../helpers/catalog.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../bot/audit/log.js';
import { CommandRegistry } from '../../bot/commands/registry.js';
import { ScheduleRepository } from '../../bot/schedule/repository.js';
import type { DevTenant } from '../../devtenant/index.js';
import { APP_IDS } from '../../devtenant/seed/index.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { startIdentityBot, type IdentityBot } from '../identity/harness.js';

const [health, add, list] = catalog('health', 'schedule add', 'schedule list');

const HOUR = 3600_000;
const SCHEDULES = 3;
const ROUNDS = 15;

/**
 * Two complete bot instances (compose.ts: store, identity, reports app, scheduler) on one store, each running its
 * scheduler on the same due ticks at the same moment: every tick is posted once, as the reports app.
 */
describe('scheduled reports on two bot instances sharing one store', function () {
  this.timeout(60_000);
  let dev: DevTenant;
  let bots: IdentityBot[] = [];
  let dataDir = '';
  let now = Date.UTC(2026, 10, 26, 12, 0, 0);

  before(async () => {
    dev = await startTestDevTenant();
    dataDir = mkdtempSync(join(tmpdir(), 'schedule-two-'));
    const certificate = dev.identity.reportsCertificate;
    const env = {
      TEAMS_SSO: 'false',
      DATA_DIR: dataDir,
      REPORTS_APP_ID: APP_IDS.reports,
      REPORTS_CERT_THUMBPRINT_SHA256: certificate.thumbprintSha256,
      REPORTS_PRIVATE_KEY_FILE: certificate.privateKeyPath,
    };
    for (const name of ['a', 'b']) {
      bots.push(
        await startIdentityBot(dev, env, new CommandRegistry([add, list, health]), {
          scheduler: { clock: () => now, intervalMs: 0, instanceId: `instance-${name}` },
        }),
      );
    }
    const repo = new ScheduleRepository(bots[0].bot.store.db);
    const admin = dev.tenant.userByUpn('admin@contoso.onmicrosoft.com')!;
    for (let i = 0; i < SCHEDULES; i++) {
      const conversation = {
        id: `19:team-${i}@thread.v2`,
        conversationType: 'groupChat',
        isGroup: true,
        tenantId: dev.tenant.id,
      };
      await repo.create(
        {
          tenantId: dev.tenant.id,
          conversationId: conversation.id,
          commandName: 'health',
          commandText: 'health',
          cron: '0 * * * *',
          timeZone: 'UTC',
          address: {
            conversationId: conversation.id,
            kind: 'groupChat',
            tenantId: dev.tenant.id,
            channelRef: JSON.stringify({
              channelId: 'msteams',
              serviceUrl: bots[0].connector.url,
              conversation,
              bot: { id: '28:bot', name: 'Admin Bot' },
            }),
          },
          description: 'cron 0 * * * * (UTC)',
          createdByAadId: admin.id,
          createdByUpn: admin.userPrincipalName,
          nextRunAt: now + HOUR,
        },
        now,
      );
    }
  });
  after(async () => {
    for (const ib of bots) await ib.close();
    bots = [];
    await dev?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`posts each tick once, whichever instance wins it (${ROUNDS} rounds × ${SCHEDULES} schedules)`, async () => {
    const connector = bots[0].connector;
    const since = connector.replies.length;
    dev.graph.clearLog();
    const ran = { a: 0, b: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      now += HOUR;
      // Who starts first alternates, so each instance wins some ticks.
      const [a, b] =
        round % 2
          ? await Promise.all([bots[0].bot.scheduler!.tick(), bots[1].bot.scheduler!.tick()])
          : (await Promise.all([bots[1].bot.scheduler!.tick(), bots[0].bot.scheduler!.tick()])).reverse();
      ran.a += a;
      ran.b += b;
      assert.equal(a + b, SCHEDULES, `round ${round}: one run per due schedule`);
    }
    assert.ok(ran.a > 0 && ran.b > 0, `both instances ran ticks (a ${ran.a}, b ${ran.b})`);
    const posts = connector.replies.slice(since);
    assert.equal(posts.length, ROUNDS * SCHEDULES, 'one card per tick');
    const perConversation = new Map<string, number>();
    for (const post of posts)
      perConversation.set(post.conversationId, (perConversation.get(post.conversationId) ?? 0) + 1);
    assert.deepEqual([...perConversation.values()], Array(SCHEDULES).fill(ROUNDS));
    assert.equal(bots[1].connector.replies.length, 0);
    const graph = dev.graph.requestLog;
    // Per run: the creator re-checked (account, role assignments), then the report's one request.
    assert.equal(
      graph.filter((e) => e.url.includes('/admin/serviceAnnouncement')).length,
      ROUNDS * SCHEDULES,
      'one report request per run',
    );
    assert.equal(
      graph.filter((e) => e.url.includes('/roleAssignmentScheduleInstances')).length,
      ROUNDS * SCHEDULES,
      "the creator's roles re-checked every run",
    );
    assert.equal(graph.length, 3 * ROUNDS * SCHEDULES);
    assert.ok(graph.every((e) => e.appId === APP_IDS.reports && e.userId === null && e.status === 200));
    const rows = await new ScheduleRepository(bots[1].bot.store.db).due(Number.MAX_SAFE_INTEGER, 10);
    assert.ok(rows.every((r) => r.run_count === ROUNDS && r.last_outcome === 'succeeded'));
    const audit = new AuditLog(bots[0].bot.store.db);
    const runs = (await audit.recent({ limit: 1000 })).filter(
      (r) => r.action === 'schedule.run' && r.outcome === 'succeeded',
    );
    assert.equal(runs.length, ROUNDS * SCHEDULES);
    assert.equal((await audit.verify()).ok, true);
    console.log(
      `      ${ROUNDS * SCHEDULES} ticks on two instances: ${posts.length} cards, ${graph.length} Graph requests ` +
        `(app-only); instance a ran ${ran.a}, b ran ${ran.b}`,
    );
  });
});
