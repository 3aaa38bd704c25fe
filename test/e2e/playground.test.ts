import { strict as assert } from 'node:assert';
import { FIXED_ACCOUNTS } from '../../devtenant/seed/index.js';
import { PLAYGROUND_APPROVER } from '../../scripts/demo/playground-config.js';
import { devtenantServerCertificate, launchBrowser, type TestBrowser } from './harness/browser.js';
import { startTestDemo, type TestDemo } from './harness/demo.js';
import { PlaygroundPage } from './harness/playground-page.js';
import { completeSignIn, openPopup } from './harness/sign-in-popup.js';

const admin = FIXED_ACCOUNTS.find((a) => a.key === 'admin')!;
const approver = FIXED_ACCOUNTS.find((a) => a.key === PLAYGROUND_APPROVER)!;

describe('e2e: the demo in the Agents Playground (Chromium)', function () {
  this.timeout(120_000);
  let demo: TestDemo;
  let browser: TestBrowser;
  let playground: PlaygroundPage;

  before(async () => {
    demo = await startTestDemo();
    browser = await launchBrowser({
      trustCertificatePem: devtenantServerCertificate(demo.stateDir),
      rewrite: { from: demo.publicBotUrl, to: demo.stack.botUrl },
    });
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('opens as the seeded admin, in a tenant whose people are devtenant users, and the bot greets', async () => {
    const response = await fetch(`${demo.stack.playgroundUrl}/_internal/v1/config`);
    const { config } = (await response.json()) as { config: { tenantId: string; currentUser: { aadObjectId: string }; users: { aadObjectId: string }[] } };
    assert.equal(config.currentUser.aadObjectId, admin.id);
    assert.ok(config.users.some((u) => u.aadObjectId === approver.id));
    playground = await PlaygroundPage.open(browser.context, demo.stack.playgroundUrl);
    await playground.card('Tenant admin bot').waitFor();
  });

  it('answers help with a card listing the commands', async () => {
    await playground.send('help');
    const card = playground.card('whoami');
    await card.waitFor();
    await card.getByText('user search').first().waitFor();
    await playground.screenshot('help', card);
  });

  it('signs the admin in through the sign-in card\'s window, then runs `user <upn>` by itself', async () => {
    await playground.send('user alice@contoso.onmicrosoft.com');
    const prompt = playground.card('Sign in to run "user"');
    await prompt.waitFor();
    await playground.screenshot('sign-in-card', prompt);
    const popup = await openPopup(playground.page, prompt.getByRole('link', { name: 'Sign in' }));
    const outcome = await completeSignIn(popup, admin, [demo.publicBotUrl, demo.stack.botUrl]);
    assert.match(outcome.resultText, /signed in|You can close/i);
    await popup.close();
    const card = playground.card('Alice Anders');
    await card.waitFor();
    await card.getByText('alice@contoso.onmicrosoft.com').first().waitFor();
    await playground.screenshot('user-card', card);
  });

  it('asks for MFA before a `write` command, then resumes it once verified', async () => {
    await playground.send('user revoke alice@contoso.onmicrosoft.com');
    const prompt = playground.card('Verify with MFA');
    await prompt.waitFor();
    await playground.screenshot('step-up-card', prompt);
    const popup = await openPopup(playground.page, prompt.getByRole('link', { name: 'Verify with MFA' }));
    const outcome = await completeSignIn(popup, admin, [demo.publicBotUrl, demo.stack.botUrl]);
    assert.equal(outcome.askedForCode, true, 'the step-up must ask for the authenticator code');
    await popup.close();
    const card = playground.card('Sessions revoked');
    await card.waitFor();
    await card.getByText('Signed out everywhere').waitFor();
    await playground.screenshot('step-up-resumed', card);
  });
});
