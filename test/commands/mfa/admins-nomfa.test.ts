import assert from 'node:assert/strict';
import { CommandHarness, requestLine, requestParts, assertDenied } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { warmUp } from './_warm-up.js';

describe('command: admins nomfa', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
    await warmUp(harness);
  });
  after(() => harness.close());

  it('lists admins without MFA with their roles: report page + one $batch of role look-ups', async () => {
    const answer = await harness.ask('admins nomfa');
    assert.deepEqual(answer.problems, []);
    const trips = answer.graph.filter((e) => !e.viaBatch);
    assert.equal(trips.length, 2, 'two round trips');
    assert.deepEqual(requestParts(trips[0]), {
      method: 'GET',
      path: '/v1.0/reports/authenticationMethods/userRegistrationDetails',
      query: { $filter: 'isAdmin eq true and isMfaRegistered eq false', $top: '20' },
    });
    assert.equal(requestLine(trips[1]), 'POST /v1.0/$batch');
    const lookups = answer.graph.filter((e) => e.viaBatch);
    assert.ok(lookups.length >= 1 && lookups.length <= 20);
    const helpdesk = harness.dev.tenant.userByUpn(DEMO.helpdesk)!;
    assert.ok(lookups.some((e) => requestLine(e).includes(`principalId eq '${helpdesk.id}'`)));
    assert.match(answer.text, new RegExp(`${DEMO.helpdesk} · Authentication Administrator`));
    assert.doesNotMatch(answer.text, new RegExp(DEMO.admin), 'an admin with MFA is not listed');
  });

  it('follows nextLink page by page with More', async () => {
    // Make more than a page of MFA-less admins: strip MFA from 25 users and make them Helpdesk Administrators.
    const tenant = harness.dev.tenant;
    const users = [...tenant.liveUsers()].filter((u) => u.userType === 'Member').slice(10, 35);
    for (const user of users) {
      user.authMethods = user.authMethods.filter((m) => m.kind === 'password');
      tenant.roleAssignments.push({
        id: tenant.newId(),
        principalId: user.id,
        roleDefinitionId: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
        directoryScopeId: '/',
        createdDateTime: tenant.nowIso(),
      });
    }
    const first = await harness.ask('admins nomfa');
    assert.match(first.text, /20 admins · page 1 · more available/);
    const more = JSON.stringify(first.card.actions ?? []).match(/admins nomfa --cursor [A-Za-z0-9_-]+/)?.[0];
    assert.ok(more, 'a More action');
    const second = await harness.ask(more);
    assert.deepEqual(second.problems, []);
    assert.match(requestLine(second.graph[0]), /\$skiptoken=/);
    assert.match(second.text, /page 2/);
    assert.match(second.text, /Helpdesk Administrator/);
  });

  it('still lists the admins when the role look-ups are refused', async () => {
    // A Privileged Authentication Administrator may read the report but not role assignments (in the stand-in).
    const tenant = harness.dev.tenant;
    const alice = tenant.userByUpn(DEMO.alice)!;
    tenant.roleAssignments.push({
      id: tenant.newId(),
      principalId: alice.id,
      roleDefinitionId: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
      directoryScopeId: '/',
      createdDateTime: tenant.nowIso(),
    });
    const answer = await harness.askAs(DEMO.alice, 'admins nomfa');
    assert.deepEqual(answer.problems, []);
    const lookups = answer.graph.filter((e) => e.viaBatch);
    assert.ok(lookups.length > 0 && lookups.every((e) => e.status === 403));
    assert.match(answer.text, new RegExp(`${DEMO.helpdesk} · roles unknown \\(Authorization_RequestDenied\\)`));
  });

  it('reports 403 when the report may not be read', async () => {
    const answer = await harness.askAs(DEMO.bob, 'admins nomfa');
    assertDenied(answer, answer.graph[0]);
  });

  it('takes no arguments', async () => {
    const answer = await harness.ask('admins nomfa everyone');
    assert.match(answer.text, /Unexpected argument "everyone"/);
    assert.equal(answer.graph.length, 0);
  });
});
