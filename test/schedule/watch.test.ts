import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { CommandRegistry } from '../../bot/commands/registry.js';
import { catalog } from '../helpers/catalog.js';
import { ScheduleRepository, type ScheduleRow } from '../../bot/schedule/repository.js';
import type { DevTenant } from '../../devtenant/index.js';
import { APP_IDS } from '../../devtenant/seed/index.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import {
  followSignInLink,
  fromUser,
  say,
  startIdentityBot,
  teamsUser,
  waitReplies,
  type CardReply,
  type IdentityBot,
  type TeamsUser,
} from '../identity/harness.js';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const GROUP = (tenantId: string) => ({
  id: '19:watch@thread.v2',
  conversationType: 'groupChat',
  isGroup: true,
  tenantId,
  name: 'Admins',
});

describe('watches: a report on a schedule that posts only when it changes (reports app)', function () {
  this.timeout(60_000);
  let dev: DevTenant;
  let ib: IdentityBot;
  let admin: TeamsUser;
  let now = Date.now();
  let repo: ScheduleRepository;

  before(async () => {
    dev = await startTestDevTenant();
    const registry = new CommandRegistry(
      catalog(
        'schedule add',
        'schedule remove',
        'admins report',
        'mfa report',
        'watch add',
        'watch check',
        'watch list',
        'watch remove',
      ),
    );
    const certificate = dev.identity.reportsCertificate;
    ib = await startIdentityBot(
      dev,
      {
        TEAMS_SSO: 'false',
        REPORTS_APP_ID: APP_IDS.reports,
        REPORTS_CERT_THUMBPRINT_SHA256: certificate.thumbprintSha256,
        REPORTS_PRIVATE_KEY_FILE: certificate.privateKeyPath,
      },
      registry,
      { scheduler: { clock: () => now, intervalMs: 0 } },
    );
    admin = teamsUser(dev, 'admin');
    repo = new ScheduleRepository(ib.bot.store.db);
  });
  after(async () => {
    await ib?.close();
    await dev?.close();
  });

  const inGroup = (text: string) =>
    fromUser(admin, dev, ib.connector, { text, conversation: GROUP(dev.tenant.id) as Activity['conversation'] });
  const watch = async (): Promise<ScheduleRow> => (await repo.inConversation(GROUP(dev.tenant.id).id))[0];

  /** Whether the last `run` was held for a sign-in or step-up link. */
  let held = false;
  async function run(text: string): Promise<CardReply[]> {
    let replies = await say(ib, inGroup(text));
    held = false;
    for (let hops = 0; replies.at(-1)?.url && hops < 3; hops++) {
      held = true;
      const since = ib.connector.replies.length;
      await followSignInLink(ib, dev, replies.at(-1)!.url!, admin);
      replies = await waitReplies(ib, since, 2);
    }
    return replies;
  }

  /** Runs the due watch once; returns what it posted (nothing, or one card). */
  async function tick(): Promise<CardReply | undefined> {
    const row = await watch();
    now = row.next_run_at + 1_000;
    const since = ib.connector.replies.length;
    dev.graph.clearLog();
    assert.equal(await ib.bot.scheduler!.tick(), 1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const posted = ib.connector.replies.slice(since);
    assert.ok(posted.length <= 1);
    assert.deepEqual(
      [...new Set(dev.graph.requestLog.map((e) => `${e.appId}/${e.userId}`))],
      [`${APP_IDS.reports}/null`],
      'every Graph request of the run is the reports app, app-only',
    );
    assert.ok(dev.graph.requestLog.every((e) => e.status === 200));
    return posted.length ? (await waitReplies(ib, since, 1))[0] : undefined;
  }

  it('watch add is held for fresh MFA, checks the creator can read the report, and stores a schedule', async () => {
    const replies = await run('watch add "admins report"');
    assert.ok(held, 'held for sign-in and MFA');
    assert.match(replies.at(-1)!.text, /Watch added/);
    assert.match(replies.at(-1)!.text, /Watching "admins report" \(daily 07:00 \(UTC\)\)/);
    const row = await watch();
    assert.equal(row.command_text, 'watch check "admins report"');
    assert.equal(row.created_by_upn, admin.upn);
  });

  it('refuses what cannot be watched, storing nothing', async () => {
    for (const [text, expected] of [
      ['watch add "user bob@contoso.onmicrosoft.com"', /A watch follows one of: mfa report, admins report/],
      ['watch add "mfa report --csv"', /A watch follows a whole report/],
    ] as const) {
      const replies = await run(text);
      assert.match(replies.at(-1)!.text, expected);
    }
    assert.equal((await repo.inConversation(GROUP(dev.tenant.id).id)).length, 1);
  });

  it('the first run posts the baseline; a run with no change posts nothing', async () => {
    const baseline = await tick();
    assert.match(
      baseline!.text,
      /Watching "admins report" from now on.*Baseline: \d+ role holders; Global Administrators: 1 /s,
    );
    assert.equal(await tick(), undefined, 'nothing changed: nothing posted');
    const row = await watch();
    assert.equal(row.last_outcome, 'succeeded');
    assert.equal(row.run_count, 2);
  });

  it('names what changed: a new Global Administrator without MFA', async () => {
    const tenant = dev.tenant;
    const newcomer = [...tenant.liveUsers()].find(
      (u) =>
        u.userType === 'Member' &&
        !u.authMethods.some((m) => m.kind !== 'password') &&
        ![...tenant.roleAssignments, ...tenant.roleEligibilities, ...tenant.activeActivations()].some(
          (a) => a.principalId === u.id,
        ),
    )!;
    tenant.roleAssignments.push({
      id: tenant.newId(),
      principalId: newcomer.id,
      roleDefinitionId: GA,
      directoryScopeId: '/',
      createdDateTime: tenant.nowIso(),
    });
    const card = await tick();
    assert.ok(card, 'a change is posted');
    assert.match(card.text, /"admins report" changed/);
    assert.match(card.text, new RegExp(`1 new admins without MFA: ${newcomer.userPrincipalName}`));
    assert.match(card.text, new RegExp(`1 new Global Administrators: ${newcomer.userPrincipalName}`));
    assert.match(card.text, /Global Administrators 1 → 2/);
    assert.match(card.text, /Role holders \d+ → \d+/);
    assert.equal(await tick(), undefined, 'the same state again: nothing posted');
  });

  it('watch list shows it; watch remove removes the schedule and its snapshot', async () => {
    const row = await watch();
    const listed = (await run('watch list')).at(-1)!;
    assert.match(listed.text, new RegExp(`${row.id}`));
    assert.match(listed.text, /admins report/);
    const removed = (await run(`watch remove ${row.id}`)).at(-1)!;
    assert.match(removed.text, new RegExp(`Schedule ${row.id} .* is removed`));
    assert.equal((await repo.inConversation(GROUP(dev.tenant.id).id)).length, 0);
    const snapshots = await ib.bot.store.db.selectFrom('report_snapshots').selectAll().execute();
    assert.equal(snapshots.length, 0);
  });
});
