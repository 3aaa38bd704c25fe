import assert from 'node:assert/strict';
import { CommandHarness, requestLine } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { warmUp } from './_warm-up.js';

describe('command: user mfa reset', () => {
  const harness = new CommandHarness();
  const methodsOf = (upn: string) => harness.dev.tenant.userByUpn(upn)!.authMethods;
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
    await warmUp(harness);
  });
  after(() => harness.close());

  it('is dangerous', () => {
    assert.equal(harness.registry.find('user mfa reset')?.tier, 'dangerous');
  });

  it('lists the methods and deletes every non-password method in a $batch; the tenant keeps only the password', async () => {
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    const toDelete = alice.authMethods.filter((m) => m.kind !== 'password');
    assert.ok(toDelete.length >= 2);
    const answer = await harness.ask(`user mfa reset ${DEMO.alice}`);
    assert.deepEqual(answer.problems, []);
    const trips = answer.graph.filter((e) => !e.viaBatch);
    assert.ok(trips.every((e) => requestLine(e) === 'POST /v1.0/$batch'));
    // Read batch, delete batch, and a retry batch only if Graph refused the default method while others remained
    // (batch steps run in parallel, so whether that happens depends on their order).
    assert.ok(trips.length === 2 || trips.length === 3);
    assert.ok(answer.graph.some((e) => requestLine(e) === `GET /v1.0/users('${DEMO.alice}')/authentication/methods`));
    const deletes = answer.graph.filter((e) => e.method === 'DELETE');
    for (const method of toDelete) {
      const attempts = deletes.filter((e) => requestLine(e).endsWith(`/${method.id}`));
      assert.equal(attempts.at(-1)?.status, 204, `${method.kind} finally deleted`);
      assert.ok(attempts.length <= 2);
    }
    assert.deepEqual(
      methodsOf(DEMO.alice).map((m) => m.kind),
      ['password'],
    );
    assert.match(answer.text, new RegExp(`${toDelete.length} of ${toDelete.length} deleted`));
    assert.match(answer.text, /MFA reset/);
    assert.match(answer.text, /Kept/);
    assert.match(answer.text, new RegExp(`user tap ${DEMO.alice} --once`));
  });

  it('retries a refused default method once, and reports a method it cannot delete', async () => {
    // The default (phone) cannot go while another MFA method remains; here that other one is of a type the bot
    // has no delete path for, so Graph refuses the phone on both attempts, deterministically.
    const user = harness.dev.tenant.userByUpn(DEMO.teamsAdmin)!;
    const phone = {
      id: 'b1111111-0000-4000-8000-000000000001',
      kind: 'phone' as const,
      createdDateTime: user.createdDateTime,
      props: { phoneNumber: '+1 4255550100', phoneType: 'mobile', smsSignInState: 'notAllowedByPolicy' },
    };
    const unknown = {
      id: 'b1111111-0000-4000-8000-000000000002',
      kind: 'hardwareOath',
      createdDateTime: user.createdDateTime,
      props: {},
    } as unknown as typeof phone;
    user.authMethods.push(phone, unknown);
    user.defaultMfaMethodId = phone.id;
    const answer = await harness.ask(`user mfa reset ${DEMO.teamsAdmin}`);
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.graph.filter((e) => !e.viaBatch).length, 3, 'read, delete, one retry');
    const phoneAttempts = answer.graph.filter(
      (e) => requestLine(e) === `DELETE /v1.0/users/${user.id}/authentication/phoneMethods/${phone.id}`,
    );
    assert.deepEqual(
      phoneAttempts.map((e) => e.status),
      [400, 400],
    );
    assert.ok(!answer.graph.some((e) => e.method === 'DELETE' && requestLine(e).endsWith(unknown.id)));
    assert.deepEqual(
      user.authMethods.map((m) => m.id).sort(),
      [user.authMethods.find((m) => m.kind === 'password')!.id, phone.id, unknown.id].sort(),
    );
    const total = 3; // authenticator, phone, unknown
    assert.match(answer.text, new RegExp(`MFA reset incomplete`));
    assert.match(answer.text, new RegExp(`1 of ${total} deleted`));
    assert.match(answer.text, new RegExp(`BadRequest: .*request-id ${phoneAttempts[1].requestId}`));
    assert.match(answer.text, /cannot delete this type/);
  });

  it('reports every method with its outcome when Graph refuses the deletes (never half a report)', async () => {
    // An Authentication Administrator may list an admin's methods but not delete them.
    harness.signIn(DEMO.helpdesk);
    const before = methodsOf(DEMO.teamsAdmin).map((m) => m.id);
    try {
      const answer = await harness.ask(`user mfa reset ${DEMO.teamsAdmin}`);
      assert.deepEqual(answer.problems, []);
      const deletes = answer.graph.filter((e) => e.method === 'DELETE');
      assert.ok(deletes.length > 0 && deletes.every((e) => e.status === 403));
      assert.deepEqual(
        methodsOf(DEMO.teamsAdmin).map((m) => m.id),
        before,
      );
      const mfaCount = before.length - 1;
      assert.match(answer.text, new RegExp(`0 of ${mfaCount} deleted`));
      assert.match(answer.text, /MFA reset incomplete/);
      for (const del of deletes)
        assert.match(answer.text, new RegExp(`Authorization_RequestDenied: .*request-id ${del.requestId}`));
      assert.equal((answer.text.match(/Not deleted/g) ?? []).length, mfaCount);
    } finally {
      harness.signIn(DEMO.admin);
    }
  });

  it('has nothing to do for a user with only a password (one round trip, no deletes)', async () => {
    const answer = await harness.ask(`user mfa reset ${DEMO.bob}`);
    assert.equal(answer.graph.filter((e) => !e.viaBatch).length, 1);
    assert.ok(!answer.graph.some((e) => e.method === 'DELETE'));
    assert.match(answer.text, /Nothing to reset/);
  });

  it('shows 403 when the methods may not even be read', async () => {
    const answer = await harness.askAs(DEMO.teamsAdmin, `user mfa reset ${DEMO.alice}`);
    const read = answer.graph.find((e) => e.viaBatch && requestLine(e).endsWith('/authentication/methods'))!;
    assert.equal(read.status, 403);
    assert.match(answer.text, /Authorization_RequestDenied/);
    assert.ok(!answer.graph.some((e) => e.method === 'DELETE'));
  });
});
