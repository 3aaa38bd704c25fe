import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXED_ACCOUNTS } from '../../devtenant/seed/index.js';
import { buildPlaygroundConfig, PLAYGROUND_APPROVER } from '../../scripts/demo/playground-config.js';
import { devtenantServerCertificate, launchBrowser, type TestBrowser } from './harness/browser.js';
import { startTestDemo, type TestDemo } from './harness/demo.js';
import { ARTIFACTS_DIR, PlaygroundPage } from './harness/playground-page.js';
import { clickAs } from './harness/playground-api.js';
import { completeSignIn, openPopup } from './harness/sign-in-popup.js';

/** A full-HD screen; help cards stay within two of them (the whole catalog in one card was 3,856 px). */
const SCREEN_HEIGHT = 1080;
const MAX_CARD_HEIGHT = 2 * SCREEN_HEIGHT;

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

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && playground) {
      await playground
        .screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`)
        .catch(() => undefined);
    }
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('opens as the seeded admin, in a tenant whose people are devtenant users, and the bot greets', async () => {
    const response = await fetch(`${demo.stack.playgroundUrl}/_internal/v1/config`);
    const { config } = (await response.json()) as {
      config: { tenantId: string; currentUser: { aadObjectId: string }; users: { aadObjectId: string }[] };
    };
    assert.equal(config.currentUser.aadObjectId, admin.id);
    assert.ok(config.users.some((u) => u.aadObjectId === approver.id));
    playground = await PlaygroundPage.open(browser.context, demo.stack.playgroundUrl);
    await playground.card('Tenant admin bot').waitFor();
    await playground.screenshot('playground');
  });

  it('answers help with the areas, and its Users button with that area: each card within two 1080 px screens', async () => {
    // Tall enough that each card is shown whole (the Playground's header would cover the top of a taller one).
    await playground.page.setViewportSize({ width: 1280, height: 2 * MAX_CARD_HEIGHT });
    let heights: Record<string, number>;
    try {
      await playground.send('help');
      const overview = playground.card('Tenant admin commands');
      const usersButton = overview.getByRole('button', { name: 'Users', exact: true });
      await usersButton.waitFor();
      await playground.screenshot('help', overview);
      await usersButton.click(); // Action.Execute `run` with "help users"
      const area = playground.card(/Tap one for its usage/);
      await area.getByText('user search').first().waitFor();
      await area.getByRole('button', { name: 'Usage' }).first().waitFor();
      await playground.screenshot('help-area', area);
      await area.getByRole('button', { name: 'Usage' }).nth(9).click(); // user search, the 10th of Users
      const detail = playground.card(/What it needs/);
      await detail.getByText('user search <text...>', { exact: false }).first().waitFor();
      await playground.screenshot('help-command', detail);
      heights = {
        help: (await overview.boundingBox())!.height,
        'help users': (await area.boundingBox())!.height,
      };
      writeFileSync(join(ARTIFACTS_DIR, 'help-heights.json'), `${JSON.stringify(heights, null, 2)}\n`);
    } finally {
      await playground.page.setViewportSize({ width: 1280, height: 900 });
    }
    for (const [text, height] of Object.entries(heights)) {
      const screens = (height / SCREEN_HEIGHT).toFixed(2);
      assert.ok(
        height <= MAX_CARD_HEIGHT,
        `"${text}" is ${Math.round(height)} px tall (${screens} screens of 1080 px)`,
      );
    }
  });

  it("signs the admin in through the sign-in card's window, then runs `user <upn>` by itself", async () => {
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

  it('understands free text: a read runs as its command, a change is only offered with the exact command', async () => {
    await playground.send('mfa status alice@contoso.onmicrosoft.com');
    const understood = playground.card('Understood as');
    await understood.getByText('MFA registration').waitFor();
    await understood.getByText('user mfa alice@contoso.onmicrosoft.com').first().waitFor();
    await playground.screenshot('free-text', understood);
    await playground.send('disable alice@contoso.onmicrosoft.com');
    const offered = playground.card('Did you mean');
    await offered.getByRole('button', { name: 'user block alice@contoso.onmicrosoft.com' }).waitFor();
    await playground.screenshot('did-you-mean', offered);
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

  it('shows `mfa report` as a picture: headline, bars and the admins without MFA', async () => {
    await playground.send('mfa report');
    const card = playground.card('MFA registration');
    await card.waitFor();
    await card.getByText('Admins without MFA').first().waitFor();
    await card.getByText('Methods registered (users)').waitFor();
    // Taller than the window: the page from the card's top (headline and bars), as the admin first sees it.
    await card.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await playground.screenshot('mfa-report');
  });

  it('schedules a read-only report (fresh MFA from the step-up above); the demo runs reports as the reports app', async () => {
    await playground.send('schedule add daily 08:00 "admins nomfa"');
    const card = playground.card('Report scheduled');
    await card.waitFor();
    await card.getByText('admins nomfa').first().waitFor();
  });

  it('previews a bulk grant over a demo group, runs it with its button, and the progress card ends as the result', async () => {
    await playground.send('bulk policy grant TeamsMeetingPolicy "AllOff" --group "Sales"');
    const preview = playground.card('Preview: nothing changed yet');
    const run = preview.getByRole('button', { name: /^Run on \d+ users$/ });
    await run.waitFor();
    const users = Number(/Run on (\d+) users/.exec((await run.textContent()) ?? '')?.[1]);
    const id = /Job\s*([0-9A-F]{8})/.exec(await preview.innerText())?.[1];
    assert.ok(id && users > 0, 'the preview names its job and its users');
    await playground.screenshot('bulk-preview', preview);
    await run.click(); // `bulk run <id>`: a write, on the fresh MFA of the step-up above
    // The progress card is posted once and updated in place; with a small group the update is the final card.
    const final = playground.card(new RegExp(`Done: policy grant[\\s\\S]*Job ${id}`));
    await final.getByText('Results (CSV)').waitFor({ timeout: 60_000 });
    const text = await final.innerText();
    const count = (fact: string) => Number(new RegExp(`${fact}\\s*(\\d+)`).exec(text)?.[1]);
    // Users who already held the policy are skipped (the preview counted them as already in that state).
    assert.equal(count('Changed') + count('Skipped \\(already so\\)'), users, text);
    assert.ok(count('Changed') > 0, text);
    assert.equal(count('Failed'), 0, text);
    // Updated in place: no "Running" progress card of this job is left in the chat.
    assert.equal(await playground.card(new RegExp(`^Running[\\s\\S]*${id}`)).count(), 0);
    await playground.screenshot('bulk-progress', final);
  });

  it('runs a `dangerous` command in the group chat only after the second admin approves it', async () => {
    const config = buildPlaygroundConfig();
    await playground.conversation(config.groupChat.name).click();
    // admin block: a users-area dangerous command, which the second admin (a User Administrator) may approve.
    await playground.mention(config.bot.name, 'admin block helpdesk@contoso.onmicrosoft.com');
    const justify = playground.card('Why do you need this?');
    await justify.waitFor();
    await justify
      .getByLabel('Justification')
      .fill('Helpdesk account signing in from an unknown country (SOC ticket INC4711)');
    await playground.recordBotMessages(demo.stack.playgroundUrl);
    await justify.getByRole('button', { name: 'Ask for approval' }).click();
    const request = playground.card(/Approval needed: admin block/);
    await request.getByText('Waiting for approval').waitFor();
    const id = /Request ([0-9A-F]{10})/.exec(await request.innerText())?.[1];
    assert.ok(id, 'the approval card shows its request id');
    await playground.screenshot('approval-request', request);

    // The second admin clicks Approve on the shared card (Action.Execute, through the Playground's invoke API: its UI
    // always acts as Adele). Not signed in, she gets her sign-in card in the invoke response — only she sees it —
    // asking for the MFA the decision needs at once; nothing is posted to the group.
    const second = config.users.find((u) => u.aadObjectId === approver.id)!;
    const cardMessageId = await playground.recordedMessageId(`Request ${id}`);
    assert.ok(cardMessageId, 'the approval card was recorded from the conversation stream');
    const answer = await clickAs(demo.stack.playgroundUrl, second, config.groupChat.id, cardMessageId, {
      text: `approval approve ${id}`,
    });
    assert.equal(answer.type, 'application/vnd.microsoft.card.adaptive');
    const prompt = JSON.stringify(answer.value);
    assert.match(prompt, /Sign in to run .{1,2}approval approve/);
    assert.match(prompt, /with multi-factor authentication/);
    const url = /"url":"([^"]+\/auth\/start\?state=[^"]+)"/.exec(prompt)?.[1] ?? '';
    assert.ok(url.startsWith(`${demo.publicBotUrl}/auth/start?state=`), "the card links to the bot's sign-in start");
    assert.equal(await playground.card('Sign in to run "approval approve"').count(), 0, 'no sign-in card in the group');
    // The second admin signs in on their own machine: a second browser (the first one holds Adele's devtenant session).
    const approversBrowser = await launchBrowser({
      trustCertificatePem: devtenantServerCertificate(demo.stateDir),
      rewrite: { from: demo.publicBotUrl, to: demo.stack.botUrl },
    });
    let outcome;
    try {
      const approversPage = await approversBrowser.context.newPage();
      await approversPage.goto(url);
      outcome = await completeSignIn(approversPage, approver, [demo.publicBotUrl, demo.stack.botUrl]);
    } finally {
      await approversBrowser.close();
    }
    assert.equal(outcome.askedForCode, true, 'one sign-in, with the code the decision needs');
    // Decided: the shared card's title now says what happened.
    const done = playground.card(/Approved and run: admin block/);
    await done.getByText('Done').waitFor();
    await done.getByText(approver.upn).first().waitFor();
    await playground.screenshot('approval-done', done);
    // The group chat after the approval: the request card, updated in place, and no sign-in or refusal messages.
    await playground.screenshot('approval-group-chat');
    assert.equal(await playground.card(/Sign in to run|Verify with MFA/).count(), 0);
  });

  it('kept everything on the machine: no child process tried a non-loopback connection', () => {
    const refused = demo.stack.children.flatMap((child) =>
      child
        .logTail(10_000)
        .split('\n')
        .filter((l) => l.includes('[loopback-only] refused')),
    );
    assert.deepEqual(refused, []);
    // The only page requests the browser wanted to send off the machine are the Playground UI's CDN fonts/worklet.
    assert.deepEqual(
      [...new Set(browser.blocked)].filter((origin) => origin !== 'https://res-1.cdn.office.net'),
      [],
    );
  });

  it('stops every child process (what Ctrl-C does in npm start)', async () => {
    const pids = demo.stack.children.map((child) => child.pid!);
    await demo.stack.stop();
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/, `process ${pid} still runs`);
  });
});
