import assert from 'node:assert/strict';
import { CommandHarness, requestLine, requestParts, assertDenied } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { warmUp } from '../mfa/_warm-up.js';

describe('command: user signins', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
    await warmUp(harness);
    // Twelve fresh sign-ins of Alice (one failed), newest last, so paging and failures are deterministic.
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    const base = harness.dev.tenant.signIns[0];
    for (let i = 0; i < 12; i++) {
      harness.dev.tenant.signIns.push({
        ...base,
        id: `00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
        userId: alice.id,
        userPrincipalName: alice.userPrincipalName,
        userDisplayName: alice.displayName,
        createdDateTime: new Date(Date.now() - (12 - i) * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
        appDisplayName: 'Microsoft Teams',
        status:
          i === 11
            ? { errorCode: 50126, failureReason: 'Invalid username or password.', additionalDetails: null }
            : { errorCode: 0, failureReason: null, additionalDetails: null },
      });
    }
  });
  after(() => harness.close());

  it('filters the sign-in log by UPN with $top=10 in one round trip, newest first', async () => {
    const answer = await harness.ask(`user signins ${DEMO.alice}`);
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.graph.length, 1);
    assert.deepEqual(requestParts(answer.graph[0]), {
      method: 'GET',
      path: '/v1.0/auditLogs/signIns',
      query: { $filter: `userPrincipalName eq '${DEMO.alice}'`, $top: '10' },
    });
    assert.match(answer.text, /10 sign-ins · page 1 · more available/);
    assert.match(answer.text, /Failed 50126/);
    assert.match(answer.text, /Invalid username or password/);
    assert.ok(
      answer.text.indexOf('Failed 50126') < answer.text.indexOf('Success'),
      'the newest (failed) sign-in comes first',
    );
    assert.match(answer.summary, /^Sign-ins of alice@/);
  });

  it('pages on with More', async () => {
    const first = await harness.ask(`user signins ${DEMO.alice} --last 5`);
    const more = JSON.stringify(first.card.actions ?? []).match(
      /user signins \S+ --last 5 --cursor [A-Za-z0-9_-]+/,
    )?.[0];
    assert.ok(more, 'a More action');
    const second = await harness.ask(more);
    assert.equal(second.graph.length, 1);
    assert.match(requestLine(second.graph[0]), /\$skiptoken=/);
    assert.match(second.text, /page 2/);
  });

  it('filters by userId for an object id and escapes quotes in a UPN', async () => {
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    const byId = await harness.ask(`user signins ${alice.id} --last 3`);
    assert.equal(requestParts(byId.graph[0]).query.$filter, `userId eq '${alice.id}'`);
    assert.match(byId.text, /3 sign-ins/);
    const quoted = await harness.ask(`user signins "o'brien@contoso.onmicrosoft.com"`);
    assert.equal(
      requestParts(quoted.graph[0]).query.$filter,
      "userPrincipalName eq 'o''brien@contoso.onmicrosoft.com'",
    );
    assert.equal(quoted.graph[0].status, 200);
    assert.match(quoted.text, /No sign-in of o'brien/);
  });

  it('validates --last without calling Graph', async () => {
    for (const bad of ['0', '51', 'ten']) {
      const answer = await harness.ask(`user signins ${DEMO.alice} --last ${bad}`);
      assert.match(answer.text, /--last/);
      assert.equal(answer.graph.length, 0);
    }
  });

  it('reports 403 for an admin without a log-reading role', async () => {
    const answer = await harness.askAs(DEMO.bob, `user signins ${DEMO.alice}`);
    assertDenied(answer, answer.graph[0]);
  });
});
