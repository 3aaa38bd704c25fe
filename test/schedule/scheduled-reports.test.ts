import type { ConversationAddress } from '../../bot/commands/ports.js';
import { catalog } from '../helpers/catalog.js';
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { AuditLog } from '../../bot/audit/log.js';
import { CommandRegistry } from '../../bot/commands/registry.js';
import { ScheduleRepository, type ScheduleRow } from '../../bot/schedule/repository.js';
import { nextRunAfter } from '../../bot/schedule/timing.js';
import type { DevTenant } from '../../devtenant/index.js';
import { APP_IDS } from '../../devtenant/seed/index.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { registerTestSecret } from '../helpers/secrets.js';
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

const [adminsNomfa, verify, help, whoami, licenses, add, list, remove, health, teams, userBlock, userDelete, user] =
  catalog(
    'admins nomfa',
    'audit verify',
    'help',
    'whoami',
    'licenses',
    'schedule add',
    'schedule list',
    'schedule remove',
    'health',
    'teams',
    'user block',
    'user delete',
    'user',
  );

const DAY = 24 * 3600_000;
const GROUP = (tenantId: string) => ({
  id: '19:reports@thread.v2',
  conversationType: 'groupChat',
  isGroup: true,
  tenantId,
  name: 'Admins',
});

describe('scheduled reports end to end (devtenant identity + Graph; reports app by certificate)', function () {
  this.timeout(60_000);
  let dev: DevTenant;
  let ib: IdentityBot;
  let admin: TeamsUser;
  let now = Date.now();
  let repo: ScheduleRepository;

  before(async () => {
    dev = await startTestDevTenant();
    const registry = new CommandRegistry([
      help,
      whoami,
      add,
      list,
      remove,
      adminsNomfa,
      health,
      licenses,
      teams,
      userBlock,
      userDelete,
      user,
      verify,
    ]);
    const certificate = dev.identity.reportsCertificate;
    // The reports app's private key must never reach a log: the run's final log scan looks for its lines.
    for (const line of certificate.privateKeyPem
      .split('\n')
      .filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l))
      .slice(0, 3))
      registerTestSecret(line);
    ib = await startIdentityBot(
      dev,
      // The refusal table sends 17 `schedule add` (write) commands in a row: above the default 10 changes a minute.
      {
        TEAMS_SSO: 'false',
        RATE_LIMIT_CHANGES_PER_USER_PER_MINUTE: '100',
        RATE_LIMIT_COMMANDS_PER_USER_PER_MINUTE: '200',
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

  const inGroup = (who: TeamsUser, text: string) =>
    fromUser(who, dev, ib.connector, { text, conversation: GROUP(dev.tenant.id) as Activity['conversation'] });
  const stored = () => ib.bot.store.db.selectFrom('schedules').selectAll().execute();
  const schedule = async (): Promise<ScheduleRow> => (await repo.inConversation(GROUP(dev.tenant.id).id))[0];

  /** Sends `text`, completes sign-in/step-up links (password, then TOTP when asked) and returns the last reply. */
  async function run(who: TeamsUser, text: string): Promise<{ replies: CardReply[]; held: boolean }> {
    let replies = await say(ib, inGroup(who, text));
    let held = false;
    for (let hops = 0; replies.at(-1)?.url && hops < 3; hops++) {
      held = true;
      const since = ib.connector.replies.length;
      await followSignInLink(ib, dev, replies.at(-1)!.url!, who);
      replies = await waitReplies(ib, since, 2);
    }
    return { replies, held };
  }

  /** Runs one scheduler pass and returns the cards it posted. */
  async function tick(expectedRuns: number): Promise<CardReply[]> {
    const since = ib.connector.replies.length;
    assert.equal(await ib.bot.scheduler!.tick(), expectedRuns);
    return expectedRuns ? waitReplies(ib, since, expectedRuns) : [];
  }

  it('holds "schedule add" for the creator\'s fresh MFA: nothing is stored until they verify, then it is stored once', async () => {
    const [signIn] = await say(ib, inGroup(admin, 'schedule add daily 08:00 "admins nomfa"'));
    assert.match(signIn.text, /Sign in to run/);
    // A change: the first sign-in asks for the MFA at once (password and code), no second "Verify with MFA".
    assert.match(signIn.text, /with multi-factor authentication/);
    assert.equal((await stored()).length, 0, 'held without MFA: nothing stored');

    const after = ib.connector.replies.length;
    const outcome = await followSignInLink(ib, dev, signIn.url!, admin);
    assert.deepEqual(outcome.signIn.pages, ['password', 'totp']);
    const [, result] = await waitReplies(ib, after, 2);
    assert.match(result.text, /Report scheduled/);
    assert.match(result.text, /"admins nomfa" · daily 08:00 \(UTC\)/);
    const rows = await stored();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].created_by_upn, admin.upn);
    assert.equal(rows[0].cron, '0 8 * * *');
    assert.equal(Number(rows[0].next_run_at), nextRunAfter({ cron: '0 8 * * *', timeZone: 'UTC' }, now));
    assert.equal(new Date(Number(rows[0].next_run_at)).toISOString().slice(11, 16), '08:00');
  });

  it(
    'refuses, with a card and without storing anything: changes, unknown and non-schedulable commands, bad ' +
      'schedules, too frequent, bad arguments',
    async () => {
      const bob = 'bob@contoso.onmicrosoft.com';
      const refusals: Array<[string, RegExp]> = [
        [`schedule add daily 08:00 "user block ${bob}"`, /"user block" changes the tenant \(write\)/],
        [`schedule add daily 08:00 "user delete ${bob}"`, /"user delete" changes the tenant \(dangerous\)/],
        ['schedule add daily 08:00 "frobnicate everything"', /I don't know the command "frobnicate everything"/],
        [`schedule add daily 08:00 "user ${bob}"`, /"user" cannot run unattended as the reports app/],
        ['schedule add daily 08:00 "whoami"', /"whoami" cannot run unattended/],
        ['schedule add daily 25:00 "admins nomfa"', /"25:00" is not a time of day/],
        ['schedule add weekly someday 08:00 "admins nomfa"', /"someday" is not a day of the week/],
        ['schedule add hourly "admins nomfa"', /"hourly" is not a schedule/],
        ['schedule add cron "61 8 * * *" "admins nomfa"', /"61 8 \* \* \*" is not a cron pattern/],
        ['schedule add cron "0 0 8 * * *" "admins nomfa"', /is not a cron pattern/],
        ['schedule add cron 0 8 * * * "admins nomfa"', /Put the cron pattern in quotes/],
        ['schedule add cron "*/30 * * * *" "admins nomfa"', /runs more often than once an hour/],
        ['schedule add cron "0,30 8 * * 1-5" "admins nomfa"', /runs more often than once an hour/],
        ['schedule add daily 08:00 "admins nomfa" --tz Mars/Olympus_Mons', /"Mars\/Olympus_Mons" is not a time zone/],
        ['schedule add daily 08:00', /Say which command to run/],
        ['schedule add daily 08:00 "admins nomfa everyone"', /Unexpected argument "everyone"/],
        ['schedule add daily 08:00 "admins nomfa --cursor abcdefghijklmnop"', /cursor expires within the hour/],
      ];
      const before = (await stored()).length;
      const wrong: string[] = [];
      for (const [text, expected] of refusals) {
        const [reply] = await say(ib, inGroup(admin, text));
        if (!expected.test(reply.text)) wrong.push(`${text} → ${reply.text.slice(0, 200)}`);
        if ((await stored()).length !== before) wrong.push(`${text} stored a schedule`);
      }
      assert.deepEqual(wrong, []);
      console.log(`      ${refusals.length} refusals, 0 stored`);
    },
  );

  it('accepts weekly and cron schedules in a time zone, and caps a conversation at 20 schedules', async () => {
    const [weekly] = await say(ib, inGroup(admin, 'schedule add weekly mon 08:00 "licenses" --tz Europe/Paris'));
    assert.match(weekly.text, /"licenses" · weekly mon 08:00 \(Europe\/Paris\)/);
    const [cron] = await say(ib, inGroup(admin, 'schedule add cron "0 8 * * 1-5" "health"'));
    assert.match(cron.text, /"health" · cron 0 8 \* \* 1-5 \(UTC\)/);
    const rows = await stored();
    const paris = rows.find((r) => r.command_text === 'licenses')!;
    const next = new Date(Number(paris.next_run_at));
    assert.equal(next.getUTCDay(), 1);
    assert.match(next.toISOString(), /T0[67]:00:00/, '08:00 in Paris is 06:00 or 07:00 UTC');
    // Fill the conversation up to the cap, then one more is refused.
    const template = rows[0];
    for (let i = rows.length; i < 20; i++) {
      await repo.create({ ...fromRow(template), commandText: `health ${i}` }, now);
    }
    const [capped] = await say(ib, inGroup(admin, 'schedule add daily 09:00 "admins nomfa"'));
    assert.match(capped.text, /already has 20 schedules \(at most 20\)/);
    assert.equal((await stored()).length, 20);
    for (const row of (await stored()).filter((r) => r.command_text !== 'admins nomfa')) await repo.remove(row.id);
  });

  it('runs a due schedule as the reports app (client credentials, no user) and posts the card here with its header', async () => {
    const row = await schedule();
    now = row.next_run_at + 5_000;
    dev.graph.clearLog();
    const [card] = await tick(1);
    assert.equal(card.reply.conversationId, GROUP(dev.tenant.id).id);
    assert.match(card.text, /^Scheduled report · admins nomfa · \d{1,2} \w{3} \d{4}, 08:00 UTC/);
    assert.match(card.text, /Admins without MFA/);
    assert.match(card.text, /helpdesk@contoso\.onmicrosoft\.com/);
    const log = dev.graph.requestLog;
    assert.ok(log.length > 0);
    assert.deepEqual(
      [...new Set(log.map((e) => `${e.appId}/${e.userId}/${e.upn}`))],
      [`${APP_IDS.reports}/null/null`],
      'app-only tokens of the reports app',
    );
    const trips = log.filter((e) => !e.viaBatch);
    // The creator re-checked first (account enabled, active role assignments), then the report page and one $batch
    // of role look-ups.
    assert.match(
      decodeURIComponent(trips[0].url),
      new RegExp(`/users/${row.created_by_aad_id}\\?\\$select=id,accountEnabled$`),
    );
    assert.match(
      decodeURIComponent(trips[1].url),
      new RegExp(
        `/roleManagement/directory/roleAssignmentScheduleInstances\\?\\$filter=principalId eq ` +
          `'${row.created_by_aad_id}'`,
      ),
    );
    assert.equal(trips.length, 4, 'creator check (2), the report page and one $batch of role look-ups');
    assert.ok(log.every((e) => e.status === 200));
    console.log(
      `      Graph requests of the run: ${trips.length} round trips, ${log.length - trips.length} in the batch, ` +
        `all as app ${APP_IDS.reports}`,
    );
    const after = await schedule();
    assert.equal(after.last_outcome, 'succeeded');
    assert.equal(after.run_count, 1);
    assert.equal(after.lease_owner, null);
    assert.equal(after.next_run_at, row.next_run_at + DAY);
    assert.equal(await ib.bot.scheduler!.tick(), 0, 'the same tick never runs twice');
  });

  it('runs ticks missed during three days of downtime once', async () => {
    const row = await schedule();
    now = row.next_run_at + 3 * DAY + 60_000;
    const cards = await tick(1);
    assert.match(cards[0].text, /^Scheduled report · admins nomfa/);
    assert.equal(await ib.bot.scheduler!.tick(), 0);
    const after = await schedule();
    assert.equal(after.run_count, 2);
    assert.ok(after.next_run_at > now && after.next_run_at <= now + DAY, 'next run computed from now');
  });

  it("posts Graph's error code and request-id when a run fails, and shows the failure in schedule list", async () => {
    const row = await schedule();
    now = row.next_run_at + 1_000;
    dev.graph.clearLog();
    dev.graph.faults.add({ path: '/reports/**', first: 1, fault: { kind: 'status', status: 500 } });
    try {
      const [card] = await tick(1);
      const failed = dev.graph.requestLog.find((e) => e.status === 500)!;
      assert.ok(failed, 'Graph answered 500');
      assert.match(card.text, /^Scheduled report · admins nomfa/);
      assert.ok(card.text.includes(failed.requestId), 'the card shows the request-id');
      const listed = (await run(admin, 'schedule list')).replies.at(-1)!;
      assert.match(listed.text, new RegExp(`${row.id} · admins nomfa`));
      assert.match(listed.text, /daily 08:00 \(UTC\)/);
      assert.match(listed.text, /failed · Graph \S+ \(request-id /);
      assert.ok(listed.text.includes(failed.requestId));
      assert.match(listed.text, new RegExp(admin.upn));
      assert.equal((await schedule()).last_outcome, 'failed');
    } finally {
      dev.graph.faults.clear();
    }
  });

  it(
    'lets another admin remove it (with their own fresh MFA); it never runs again; everything is audited and the ' +
      'chain verifies',
    async () => {
      const row = await schedule();
      const other = teamsUser(dev, 'useradmin');
      const { replies, held } = await run(other, `schedule remove ${row.id}`);
      assert.ok(held, 'remove is held for sign-in and MFA');
      assert.match(replies.at(-1)!.text, new RegExp(`Schedule ${row.id} .*\\(created by ${admin.upn}\\) is removed`));
      assert.equal((await stored()).length, 0);
      now += 30 * DAY;
      assert.equal(await ib.bot.scheduler!.tick(), 0);

      const audit = new AuditLog(ib.bot.store.db);
      const records = await audit.recent({ limit: 500 });
      const of = (action: string) => records.filter((r) => r.action === action);
      assert.equal(of('schedule.add').length, 3);
      assert.ok(of('schedule.add').every((r) => r.actor_upn === admin.upn && JSON.parse(r.mfa!).amr.length > 0));
      const runs = of('schedule.run').filter((r) => r.args?.includes(row.id));
      assert.deepEqual(runs.map((r) => r.outcome).reverse(), [
        'started',
        'succeeded',
        'started',
        'succeeded',
        'started',
        runs[0].outcome,
      ]);
      assert.match(runs[0].outcome, /^failed:Graph /);
      assert.ok(runs.every((r) => r.actor_aad_id === APP_IDS.reports && JSON.parse(r.args!).createdBy === admin.upn));
      assert.ok(
        runs.filter((r) => r.outcome !== 'started').every((r) => JSON.parse(r.graph_request_ids ?? '[]').length > 0),
      );
      const removed = of('schedule.remove');
      assert.equal(removed.length, 1);
      assert.equal(removed[0].actor_upn, other.upn);
      assert.equal((await audit.verify()).ok, true);
      const [verified] = await say(ib, inGroup(admin, 'audit verify'));
      assert.match(verified.text, /Audit chain intact\nAll \d+ records link up/);
    },
  );

  // The devtenant Graph gives the audit logs to a Teams Administrator (ROLES.auditReaders), so "directory audit" and
  // "user signins" are no refusal there; /teams is refused to a User Administrator (ROLES.teamsReaders): that is
  // the case.
  it(
    'refuses to schedule a report its creator cannot read with their own role (Graph 403 to their sign-in): ' +
      'nothing stored, audited as nothing',
    async () => {
      const userAdmin = teamsUser(dev, 'useradmin');
      const conversation = {
        ...GROUP(dev.tenant.id),
        id: '19:useradmin-reports@thread.v2',
      } as Activity['conversation'];
      const since = dev.graph.requestLog.length;
      let replies = await say(
        ib,
        fromUser(userAdmin, dev, ib.connector, { text: 'schedule add daily 08:00 "teams"', conversation }),
      );
      for (let hops = 0; replies.at(-1)?.url && hops < 3; hops++) {
        const before = ib.connector.replies.length;
        await followSignInLink(ib, dev, replies.at(-1)!.url!, userAdmin);
        replies = await waitReplies(ib, before, 2);
      }
      const refusal = replies.at(-1)!;
      assert.match(refusal.text, /You cannot read this report yourself/);
      assert.match(
        refusal.text,
        /Microsoft Graph refused "teams" to your own sign-in \(403, request-id [0-9a-f-]{36}\).*Nothing was stored/,
      );
      const denied = dev.graph.requestLog.slice(since).filter((e) => e.url.includes('/v1.0/teams'));
      assert.deepEqual(
        denied.map((e) => [e.upn, e.status]),
        [[userAdmin.upn, 403]],
        'the read ran once, as the creator, and Graph refused it',
      );
      assert.equal((await stored()).length, 0);
      const added = (await new AuditLog(ib.bot.store.db).recent({ limit: 500 })).filter(
        (r) => r.action === 'schedule.add' && r.actor_upn === userAdmin.upn,
      );
      assert.equal(added.filter((r) => r.outcome === 'created').length, 0);
    },
  );

  it(
    'skips the runs of a schedule whose creator lost their admin role, records creator-no-longer-admin, audits it ' +
      'and says so once',
    async () => {
      const teamsAdmin = teamsUser(dev, 'teamsadmin');
      const conversation = {
        ...GROUP(dev.tenant.id),
        id: '19:teamsadmin-reports@thread.v2',
      } as Activity['conversation'];
      let replies = await say(
        ib,
        fromUser(teamsAdmin, dev, ib.connector, { text: 'schedule add daily 07:00 "health"', conversation }),
      );
      for (let hops = 0; replies.at(-1)?.url && hops < 3; hops++) {
        const before = ib.connector.replies.length;
        await followSignInLink(ib, dev, replies.at(-1)!.url!, teamsAdmin);
        replies = await waitReplies(ib, before, 2);
      }
      assert.match(replies.at(-1)!.text, /Report scheduled/);
      const [row] = await repo.inConversation(conversation!.id);
      assert.equal(row.created_by_upn, teamsAdmin.upn);

      const user = dev.tenant.userByUpn(teamsAdmin.upn)!;
      const removed = dev.tenant.roleAssignments.filter((a) => a.principalId === user.id);
      assert.ok(removed.length > 0);
      dev.tenant.roleAssignments.splice(
        0,
        dev.tenant.roleAssignments.length,
        ...dev.tenant.roleAssignments.filter((a) => a.principalId !== user.id),
      );
      try {
        now = row.next_run_at + 1_000;
        dev.graph.clearLog();
        const [notice] = await tick(1);
        assert.equal(notice.reply.conversationId, conversation!.id);
        assert.match(
          notice.text,
          new RegExp(
            `Scheduled report skipped[\\s\\S]*Schedule ${row.id} \\("health"\\) did not run: its creator ` +
              `${teamsAdmin.upn} is no longer an admin \\(they no longer hold an admin role\\)`,
          ),
        );
        assert.equal(
          dev.graph.requestLog.filter((e) => e.url.includes('/admin/serviceAnnouncement')).length,
          0,
          'the report itself never ran',
        );
        const after = await repo.get(row.id);
        assert.equal(after!.last_outcome, 'failed');
        assert.match(after!.last_detail!, /^creator-no-longer-admin: /);

        // The next tick is skipped too, and recorded, but not said again.
        now = after!.next_run_at + 1_000;
        const posted = ib.connector.replies.length;
        assert.equal(await ib.bot.scheduler!.tick(), 1);
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(ib.connector.replies.length, posted, 'the notice is posted once');
        assert.equal((await repo.get(row.id))!.run_count, 2);
        const runs = (await new AuditLog(ib.bot.store.db).recent({ limit: 500 })).filter(
          (r) => r.action === 'schedule.run' && r.args?.includes(row.id),
        );
        assert.deepEqual(runs.map((r) => r.outcome.replace(/:.*/, ':…')).reverse(), [
          'started',
          'failed:…',
          'started',
          'failed:…',
        ]);
        assert.ok(
          runs
            .filter((r) => r.outcome !== 'started')
            .every((r) => r.outcome.startsWith('failed:creator-no-longer-admin')),
        );
      } finally {
        dev.tenant.roleAssignments.push(...removed);
      }
      // Role back: the schedule runs again.
      now = (await repo.get(row.id))!.next_run_at + 1_000;
      const [report] = await tick(1);
      assert.match(report.text, /^Scheduled report · health/);
      assert.equal((await repo.get(row.id))!.last_outcome, 'succeeded');
    },
  );
});

function fromRow(row: {
  tenant_id: string;
  conversation_id: string;
  conversation_ref: string;
  cron: string;
  time_zone: string;
  created_by_aad_id: string;
  created_by_upn: string;
  next_run_at: number | string;
}) {
  return {
    tenantId: row.tenant_id,
    conversationId: row.conversation_id,
    address: JSON.parse(row.conversation_ref) as ConversationAddress,
    commandName: 'health',
    commandText: 'health',
    cron: row.cron,
    timeZone: row.time_zone,
    description: 'filler',
    createdByAadId: row.created_by_aad_id,
    createdByUpn: row.created_by_upn,
    nextRunAt: Number(row.next_run_at) + DAY,
  };
}
