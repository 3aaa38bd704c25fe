import assert from 'node:assert/strict';
import { CommandHarness, requestLine } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { warmUp } from './_warm-up.js';
import { registerTestSecret } from '../../helpers/secrets.js';

describe('command: user tap', () => {
  const harness = new CommandHarness();
  const tapOf = (upn: string) =>
    harness.dev.tenant.userByUpn(upn)!.authMethods.find((m) => m.kind === 'temporaryAccessPass');
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
    await warmUp(harness);
  });
  after(() => harness.close());

  it('is dangerous and answers only in a 1:1 chat: refused in a group chat before any Graph call', async () => {
    const command = harness.registry.find('user tap')!;
    assert.equal(command.tier, 'dangerous');
    assert.equal(command.personalOnly, true);
    const answer = await harness.ask(`user tap ${DEMO.bob}`, {
      conversation: { id: '19:group', conversationType: 'groupChat', isGroup: true, name: 'Ops', tenantId: 'x' },
    });
    assert.match(answer.text, /Only in a 1:1 chat/);
    assert.equal(answer.graph.length, 0);
    assert.equal(tapOf(DEMO.bob), undefined);
  });

  it('creates a pass in one $batch round trip and shows the secret on the card only', async () => {
    const answer = await harness.ask(`user tap ${DEMO.bob} --once --minutes 120`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.filter((e) => !e.viaBatch).map(requestLine), ['POST /v1.0/$batch']);
    const create = answer.graph.find((e) => e.viaBatch && e.method === 'POST')!;
    assert.equal(requestLine(create), `POST /v1.0/users('${DEMO.bob}')/authentication/temporaryAccessPassMethods`);
    assert.equal(create.status, 201);
    const tap = tapOf(DEMO.bob)!;
    const secret = String(tap.props.secret);
    registerTestSecret(secret);
    assert.equal(tap.props.lifetimeInMinutes, 120);
    assert.equal(tap.props.isUsableOnce, true);
    assert.ok(answer.text.includes(secret), 'the pass is on the card');
    assert.ok(!answer.summary.includes(secret), 'but not in the notification summary');
    assert.match(answer.text, /Usable once/);
    assert.match(answer.text, /120 minutes/);
    assert.match(answer.text, new RegExp(`request-id: ${create.requestId}`));
  });

  it('shows Graph 400 when the user already has a pass', async () => {
    const answer = await harness.ask(`user tap ${DEMO.bob}`);
    const create = answer.graph.find((e) => e.viaBatch && e.method === 'POST')!;
    assert.equal(create.status, 400);
    assert.match(answer.text, /BadRequest/);
    assert.match(answer.text, /already has a Temporary Access Pass/);
    assert.match(answer.text, new RegExp(create.requestId));
  });

  it('validates --minutes (10–43200) without calling Graph', async () => {
    for (const bad of ['5', '43201', 'soon']) {
      const answer = await harness.ask(`user tap ${DEMO.alice} --minutes ${bad}`);
      assert.match(answer.text, /--minutes/);
      assert.equal(answer.graph.length, 0);
    }
  });

  it('shows 403 when the role may not manage authentication methods', async () => {
    const answer = await harness.askAs(DEMO.teamsAdmin, `user tap ${DEMO.alice}`);
    const create = answer.graph.find((e) => e.viaBatch && e.method === 'POST')!;
    assert.equal(create.status, 403);
    assert.match(answer.text, /Authorization_RequestDenied/);
    assert.equal(tapOf(DEMO.alice), undefined);
  });
});
