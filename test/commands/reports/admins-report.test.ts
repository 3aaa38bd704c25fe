import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { CommandHarness } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { RecordedFiles } from '../../helpers/recorded-files.js';
import { warmUp } from '../mfa/_warm-up.js';

const GA = '62e90394-69f5-4237-9190-012177145e10';

/** Role holders from the seed: permanent assignments, live activations and eligibilities. */
function expected(harness: CommandHarness) {
  const tenant = harness.dev.tenant;
  const grants = [
    ...tenant.roleAssignments.map((a) => ({ principalId: a.principalId, role: a.roleDefinitionId, how: 'permanent' })),
    ...tenant
      .activeActivations()
      .map((a) => ({ principalId: a.principalId, role: a.roleDefinitionId, how: 'activated' })),
    ...tenant.roleEligibilities.map((e) => ({ principalId: e.principalId, role: e.roleDefinitionId, how: 'eligible' })),
  ];
  const holders = [...new Set(grants.map((g) => g.principalId))];
  const withoutMfa = holders.filter((id) => {
    const user = tenant.userById(id)!;
    return !user.authMethods.some((m) => !['password', 'email', 'temporaryAccessPass'].includes(m.kind));
  });
  const gas = [...new Set(grants.filter((g) => g.role === GA).map((g) => g.principalId))];
  return { grants, holders, withoutMfa, gas };
}

describe('command: admins report', () => {
  const files = new RecordedFiles();
  const harness = new CommandHarness();
  before(async () => {
    await harness.start({}, { services: { files } });
    harness.signIn(DEMO.admin);
    await warmUp(harness);
  });
  after(() => harness.close());

  it('counts holders, Global Administrators and holders without MFA as the seed does, without MFA first', async () => {
    const want = expected(harness);
    const answer = await harness.ask('admins report');
    assert.deepEqual(answer.problems, []);
    assert.match(
      answer.summary,
      new RegExp(`^${want.holders.length} role holders; Global Administrators: ${want.gas.length} `),
    );
    assert.match(answer.summary, new RegExp(`; ${want.withoutMfa.length} without MFA\\.$`));
    assert.match(answer.text, /Microsoft recommends 2–4/);
    const firstRows = [...answer.text.matchAll(/^user mfa (\S+)$/gm)].map((m) => m[1]).slice(0, want.withoutMfa.length);
    const tenant = harness.dev.tenant;
    assert.deepEqual(
      firstRows.sort(),
      want.withoutMfa.map((id) => tenant.userById(id)!.userPrincipalName).sort(),
      'holders without MFA come first',
    );
    assert.match(answer.text, /eligible \(PIM\)/);
  });

  it('a new Global Administrator shows in the count; --csv has a row per role held', async () => {
    const tenant = harness.dev.tenant;
    const alice = tenant.userByUpn(DEMO.alice)!;
    tenant.roleAssignments.push({
      id: tenant.newId(),
      principalId: alice.id,
      roleDefinitionId: GA,
      directoryScopeId: '/',
      createdDateTime: tenant.nowIso(),
    });
    try {
      const want = expected(harness);
      const answer = await harness.ask('admins report --csv');
      assert.match(answer.summary, new RegExp(`Global Administrators: ${want.gas.length} `));
      const rows = parse(files.lastText(), { columns: true }) as Record<string, string>[];
      assert.equal(rows.length, want.grants.length);
      const aliceRow = rows.find((r) => r.userPrincipalName === DEMO.alice)!;
      assert.equal(aliceRow.role, 'Global Administrator');
      assert.equal(aliceRow.howHeld, 'permanent');
    } finally {
      tenant.roleAssignments.pop();
    }
  });
});
