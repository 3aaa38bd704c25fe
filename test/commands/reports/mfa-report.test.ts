import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import type { SeedUser } from '../../../devtenant/seed/index.js';
import { CommandHarness, requestParts } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { RecordedFiles } from '../../helpers/recorded-files.js';
import { warmUp } from '../mfa/_warm-up.js';

/** Counted from the seed, not from the stand-in's report code: a second-factor method, and an account that works. */
function expected(harness: CommandHarness) {
  const tenant = harness.dev.tenant;
  const users = [...tenant.liveUsers()];
  const mfa = (u: SeedUser) =>
    u.authMethods.some((m) => !['password', 'email', 'temporaryAccessPass'].includes(m.kind));
  const adminIds = new Set([
    ...tenant.roleAssignments.map((a) => a.principalId),
    ...tenant.activeActivations().map((a) => a.principalId),
  ]);
  return {
    users: users.length,
    capable: users.filter((u) => mfa(u) && u.accountEnabled).length,
    adminsWithoutMfa: users
      .filter((u) => adminIds.has(u.id) && !mfa(u))
      .map((u) => u.userPrincipalName)
      .sort(),
  };
}

describe('command: mfa report', () => {
  const files = new RecordedFiles();
  const harness = new CommandHarness();
  before(async () => {
    await harness.start({}, { services: { files } });
    harness.signIn(DEMO.admin);
    await warmUp(harness);
  });
  after(() => harness.close());

  it('counts every user from the registration report at the largest page, admins without MFA listed', async () => {
    const want = expected(harness);
    const answer = await harness.ask('mfa report');
    assert.deepEqual(answer.problems, []);
    assert.match(
      answer.summary,
      new RegExp(
        `MFA: ${want.capable.toLocaleString('en-US')} of ${want.users.toLocaleString('en-US')} users can do MFA`,
      ),
    );
    assert.match(answer.summary, new RegExp(`${want.adminsWithoutMfa.length} admins without MFA`));
    for (const upn of want.adminsWithoutMfa) assert.match(answer.text, new RegExp(upn));
    const report = answer.graph.filter((e) => e.url.includes('userRegistrationDetails'));
    assert.ok(report.length >= 1);
    assert.equal(requestParts(report[0]).query.$top, '999');
    assert.match(answer.text, /CSV of the full data/);
  });

  it('--csv offers every user as a row, with formula cells neutralised', async () => {
    const tenant = harness.dev.tenant;
    const victim = [...tenant.liveUsers()].find((u) => u.userType === 'Member' && u.department)!;
    const before = victim.department;
    victim.department = '=HYPERLINK("http://evil","x"), "quoted"';
    try {
      const answer = await harness.ask('mfa report --csv');
      assert.match(answer.text, /accept the file card/);
      const rows = parse(files.lastText(), { columns: true }) as Record<string, string>[];
      assert.equal(rows.length, expected(harness).users);
      assert.deepEqual(Object.keys(rows[0]), [
        'id',
        'userPrincipalName',
        'displayName',
        'department',
        'isAdmin',
        'mfaRegistered',
        'mfaCapable',
        'passwordlessCapable',
        'methods',
      ]);
      const row = rows.find((r) => r.id === victim.id)!;
      assert.equal(row.department, `'=HYPERLINK("http://evil","x"), "quoted"`);
      assert.equal(rows.filter((r) => r.mfaCapable === 'true').length, expected(harness).capable);
    } finally {
      victim.department = before;
    }
  });

  it("without P1/P2 (Graph's licence error) counts from each user's methods in $batches of 20, and says so", async () => {
    const want = expected(harness);
    harness.dev.graph.faults.add({
      path: '/reports/authenticationMethods/**',
      fault: {
        kind: 'error',
        status: 403,
        code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
        message: "Neither tenant is B2C or tenant doesn't have premium license",
      },
    });
    try {
      const answer = await harness.ask('mfa report');
      assert.deepEqual(answer.problems, []);
      assert.match(answer.summary, new RegExp(`MFA: ${want.capable} of ${want.users} users can do MFA`));
      assert.match(answer.summary, new RegExp(`${want.adminsWithoutMfa.length} admins without MFA`));
      assert.match(answer.summary, /no Entra ID P1\/P2/);
      assert.match(answer.text, /has no Entra ID P1\/P2.*\$batches of 20/);
      const perUser = answer.graph.filter((e) => e.viaBatch && /\/authentication\/methods$/.test(e.url));
      assert.equal(perUser.length, want.users, 'one methods read per user, all inside $batches');
      const batches = answer.graph.filter((e) => !e.viaBatch && e.url.endsWith('/$batch'));
      assert.equal(batches.length, Math.ceil(want.users / 20));
    } finally {
      harness.dev.graph.faults.clear();
    }
  });

  it('in a group chat, --csv sends no file and says to ask in 1:1', async () => {
    const offered = files.offered.length;
    const answer = await harness.ask('mfa report --csv', {
      conversation: { id: '19:group', conversationType: 'groupChat', isGroup: true, name: '' },
    });
    assert.match(answer.text, /1:1 chat only: ask me "mfa report --csv" there/);
    assert.equal(files.offered.length, offered);
  });
});
