import assert from 'node:assert/strict';
import { CommandHarness, requestLine, assertDenied } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { warmUp } from '../mfa/_warm-up.js';
import { registerTestSecret } from '../../helpers/secrets.js';

describe('command: user password reset', () => {
  const harness = new CommandHarness();
  const password = (upn: string) => harness.dev.tenant.userByUpn(upn)!.credentials.password;
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
    await warmUp(harness);
  });
  after(() => harness.close());

  it('is dangerous and refused outside a 1:1 chat before any Graph call', async () => {
    const command = harness.registry.find('user password reset')!;
    assert.equal(command.tier, 'dangerous');
    assert.equal(command.personalOnly, true);
    const before = password(DEMO.alice);
    const answer = await harness.ask(`user password reset ${DEMO.alice}`, {
      conversation: { id: '19:channel', conversationType: 'channel', isGroup: true, name: 'General', tenantId: 'x' },
    });
    assert.match(answer.text, /Only in a 1:1 chat/);
    assert.equal(answer.graph.length, 0);
    assert.equal(password(DEMO.alice), before);
  });

  it('resets to a Graph-generated password ($batch read + reset, then polls the operation) and shows it once', async () => {
    const before = password(DEMO.alice);
    const answer = await harness.ask(`user password reset ${DEMO.alice}`);
    assert.deepEqual(answer.problems, []);
    const trips = answer.graph.filter((e) => !e.viaBatch).map(requestLine);
    assert.equal(trips[0], 'POST /v1.0/$batch');
    assert.ok(trips.length >= 2 && trips.length <= 5, 'a bounded number of polls');
    assert.match(
      trips[1],
      new RegExp(`^GET /v1.0/users/${harness.dev.tenant.userByUpn(DEMO.alice)!.id}/authentication/operations/`),
    );
    const reset = answer.graph.find((e) => e.viaBatch && e.method === 'POST')!;
    assert.equal(
      requestLine(reset),
      `POST /v1.0/users('${DEMO.alice}')/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword`,
    );
    assert.equal(reset.status, 202);
    const now = password(DEMO.alice);
    registerTestSecret(now);
    assert.notEqual(now, before);
    assert.ok(answer.text.includes(now), 'the new password is on the card');
    assert.ok(!answer.summary.includes(now), 'but not in the summary');
    assert.match(answer.text, /Password reset/);
    assert.match(answer.text, /succeeded/);
    assert.match(answer.text, new RegExp(`request-id: ${reset.requestId}`));
  });

  it("shows 403 when resetting an admin's password without a privileged role; nothing changes", async () => {
    harness.signIn(DEMO.helpdesk);
    const before = password(DEMO.teamsAdmin);
    try {
      const answer = await harness.ask(`user password reset ${DEMO.teamsAdmin}`);
      const reset = answer.graph.find((e) => e.viaBatch && e.method === 'POST')!;
      assertDenied(answer, reset);
      assert.equal(password(DEMO.teamsAdmin), before);
    } finally {
      harness.signIn(DEMO.admin);
    }
  });

  it('needs a user, without calling Graph', async () => {
    const answer = await harness.ask('user password reset');
    assert.match(answer.text, /<user> is required/);
    assert.equal(answer.graph.length, 0);
  });
});
