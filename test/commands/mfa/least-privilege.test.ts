import assert from 'node:assert/strict';
import { CommandHarness } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { warmUp } from './_warm-up.js';
import { registerTestSecret } from '../../helpers/secrets.js';

const AREAS = ['users', 'mfa'];

/**
 * The harness signs in with the union of every command's scopes; here each users/MFA command runs with a token
 * holding only the scopes it declares, so a scope missing from a descriptor shows up as Graph's 403. Display names
 * are used where a command resolves users, so the resolution's scope is exercised too.
 */
describe('least privilege: user and MFA commands work with only their declared scopes', () => {
  const harness = new CommandHarness();
  const restore: Array<() => void> = [];
  let spare = '';
  const cases = (): string[] => [
    'user "Alice Anders"',
    'user search ali',
    'user licenses "Alice Anders"',
    `user lastsignin ${DEMO.alice}`,
    'user signins "Alice Anders"',
    'user mfa "Alice Anders"',
    'user methods "Alice Anders"',
    'user permfa "Alice Anders"',
    'user permfa set "Alice Anders" enforced',
    'admins nomfa',
    'user block "Bob Berg"',
    `user unblock ${DEMO.bob}`,
    `user block ${DEMO.helpdesk}`,
    `admin block ${DEMO.helpdesk}`,
    `admin unblock ${DEMO.helpdesk}`,
    'user revoke "Alice Anders"',
    `user tap ${DEMO.bob} --once`,
    `user mfa reset ${DEMO.bob}`,
    `user mfa reset ${DEMO.alice}`,
    'user password reset "Alice Anders"',
    `user delete ${spare}`,
  ];

  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
    await warmUp(harness);
    spare = [...harness.dev.tenant.liveUsers()].find(
      (u) => u.userType === 'Member' && !u.id.startsWith('a0000000'),
    )!.userPrincipalName;
    restore.push(harness.onlyDeclaredScopes((command) => AREAS.includes(command.area)));
  });
  after(async () => {
    for (const undo of restore) undo();
    await harness.close();
  });

  it('covers every command of these areas', () => {
    const covered = new Set(cases().map((text) => harness.registry.match(text.split(' '))!.command.name));
    const names = harness.registry
      .all()
      .filter((c) => AREAS.includes(c.area))
      .map((c) => c.name);
    assert.deepEqual(
      names.filter((name) => !covered.has(name)),
      [],
    );
  });

  it('runs each command without a 401 or 403 from Graph', async () => {
    for (const text of cases()) {
      const answer = await harness.ask(text);
      assert.deepEqual(answer.problems, [], text);
      assert.ok(answer.graph.length > 0, text);
      const denied = answer.graph
        .filter((e) => e.status === 401 || e.status === 403)
        .map((e) => `${e.status} ${e.method} ${e.url}`);
      assert.deepEqual(denied, [], `${text}: ${answer.summary}`);
      for (const user of harness.dev.tenant.liveUsers()) {
        for (const m of user.authMethods)
          if (m.kind === 'temporaryAccessPass') registerTestSecret(String(m.props.secret));
      }
    }
    registerTestSecret(harness.dev.tenant.userByUpn(DEMO.alice)!.credentials.password);
  });
});
