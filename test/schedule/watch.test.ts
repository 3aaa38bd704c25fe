import assert from 'node:assert/strict';
import { GROUP, WatchHarness } from './_watch-harness.js';

const GA = '62e90394-69f5-4237-9190-012177145e10';

describe('watches: a report on a schedule that posts only when it changes (reports app)', function () {
  this.timeout(60_000);
  const h = new WatchHarness();
  before(() => h.start());
  after(() => h.close());

  it('watch add is held for fresh MFA, checks the creator can read the report, and stores a schedule', async () => {
    const replies = await h.run('watch add "admins report"');
    assert.ok(h.held, 'held for sign-in and MFA');
    assert.match(replies.at(-1)!.text, /Watch added/);
    assert.match(replies.at(-1)!.text, /Watching "admins report" \(daily 07:00 \(UTC\)\)/);
    const row = await h.watch();
    assert.equal(row.command_text, 'watch check "admins report"');
    assert.equal(row.created_by_upn, h.admin.upn);
  });

  it('refuses what cannot be watched, storing nothing', async () => {
    for (const [text, expected] of [
      ['watch add "user bob@contoso.onmicrosoft.com"', /A watch follows one of: mfa report, admins report/],
      ['watch add "mfa report --csv"', /A watch follows a whole report/],
    ] as const) {
      const replies = await h.run(text);
      assert.match(replies.at(-1)!.text, expected);
    }
    assert.equal((await h.repo.inConversation(GROUP(h.dev.tenant.id).id)).length, 1);
  });

  it('the first run posts the baseline; a run with no change posts nothing', async () => {
    const baseline = await h.tick();
    assert.match(
      baseline!.text,
      /Watching "admins report" from now on.*Baseline: \d+ role holders; Global Administrators: 1 /s,
    );
    assert.equal(await h.tick(), undefined, 'nothing changed: nothing posted');
    const row = await h.watch();
    assert.equal(row.last_outcome, 'succeeded');
    assert.equal(row.run_count, 2);
  });

  it('names what changed: a new Global Administrator without MFA', async () => {
    const tenant = h.dev.tenant;
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
    const card = await h.tick();
    assert.ok(card, 'a change is posted');
    assert.match(card.text, /"admins report" changed/);
    assert.match(card.text, new RegExp(`1 new admins without MFA: ${newcomer.userPrincipalName}`));
    assert.match(card.text, new RegExp(`1 new Global Administrators: ${newcomer.userPrincipalName}`));
    assert.match(card.text, /Global Administrators 1 → 2/);
    assert.match(card.text, /Role holders \d+ → \d+/);
    assert.equal(await h.tick(), undefined, 'the same state again: nothing posted');
  });

  it('watch list shows it; watch remove removes the schedule and its snapshot', async () => {
    const row = await h.watch();
    const listed = (await h.run('watch list')).at(-1)!;
    assert.match(listed.text, new RegExp(`${row.id}`));
    assert.match(listed.text, /admins report/);
    const removed = (await h.run(`watch remove ${row.id}`)).at(-1)!;
    assert.match(removed.text, new RegExp(`Schedule ${row.id} .* is removed`));
    assert.equal((await h.repo.inConversation(GROUP(h.dev.tenant.id).id)).length, 0);
    const snapshots = await h.ib.bot.store.db.selectFrom('report_snapshots').selectAll().execute();
    assert.equal(snapshots.length, 0);
  });
});
