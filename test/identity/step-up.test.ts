import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startGraphServer, type GraphServer } from '../../devtenant/graph/server.js';
import { ensureTlsMaterial } from '../../devtenant/identity/key-material.js';
import type { DevTenant } from '../../devtenant/index.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { IdentityBrowser } from '../helpers/identity-browser.js';
import { formAction, pageError, pageKind } from '../helpers/identity-sign-in.js';
import { registerTestSecret } from '../helpers/secrets.js';
import {
  followSignInLink,
  fromUser,
  pageMessage,
  readReply,
  say,
  startIdentityBot,
  teamsUser,
  viaProxy,
  waitReplies,
  type IdentityBot,
  type TeamsUser,
} from './harness.js';

/**
 * Signs `user` in without MFA (a read command's sign-in asks for the password only), then sends `text`: returns the
 * "Signed in" notice and the answer to `text` (a command that needs MFA answers with the step-up card).
 */
async function signInFirst(ib: IdentityBot, dev: DevTenant, user: TeamsUser, text: string) {
  const [card] = await say(ib, fromUser(user, dev, ib.connector, { text: 'probe read' }));
  assert.match(card.text, /Sign in to run/);
  assert.doesNotMatch(card.text, /multi-factor/, 'a read command does not ask for MFA');
  const since = ib.connector.replies.length;
  const outcome = await followSignInLink(ib, dev, card.url!, user);
  assert.equal(outcome.page?.status, 200, pageMessage(outcome.page?.body ?? ''));
  const [announced] = await waitReplies(ib, since, 2);
  const [answer] = await say(ib, fromUser(user, dev, ib.connector, { text }));
  return [announced, answer];
}

const patches = (graph: { requestLog: { method: string; url: string; status: number }[] }, oid: string) =>
  graph.requestLog.filter((r) => r.method === 'PATCH' && r.url.includes(oid));

describe('identity: MFA step-up for write commands (devtenant TOTP)', function () {
  // Generous under load (two shared cores); each test normally takes one to three seconds.
  this.timeout(60_000);
  let dev: DevTenant;
  let ib: IdentityBot;
  before(async () => {
    dev = await startTestDevTenant();
    ib = await startIdentityBot(dev, { TEAMS_SSO: 'false' });
  });
  after(async () => {
    await ib?.close();
    await dev?.close();
  });

  it(
    'a write command asks for MFA after sign-in; after TOTP it resumes by itself, exactly once, and shows its ' +
      'result',
    async () => {
      const admin = teamsUser(dev, 'admin');
      dev.graph.clearLog();
      const [announced, stepUp] = await signInFirst(ib, dev, admin, 'probe write Director');
      assert.match(announced.text, /Signed in as admin@contoso\.onmicrosoft\.com \(MFA ✗\)/);
      assert.match(stepUp.text, /Verify with MFA/);
      assert.match(stepUp.text, /"probe write" changes your tenant, and your current sign-in has no MFA/);
      assert.equal(patches(dev.graph, admin.oid).length, 0, 'nothing written before MFA');

      const since = ib.connector.replies.length;
      const outcome = await followSignInLink(ib, dev, stepUp.url!, admin);
      assert.deepEqual(
        outcome.signIn.pages,
        ['password', 'totp'],
        'prompt=login and the acrs claims request: password, then the code',
      );
      const query = outcome.authorize!.searchParams;
      assert.equal(query.get('prompt'), 'login');
      assert.equal(query.get('max_age'), '900');
      assert.equal(query.get('login_hint'), admin.upn);
      assert.equal(query.get('code_challenge_method'), 'S256');
      assert.deepEqual(JSON.parse(query.get('claims')!).access_token.acrs, { essential: true, value: 'c1' });
      assert.equal(query.get('redirect_uri'), 'http://127.0.0.1:3978/auth/callback');
      assert.equal(outcome.page?.status, 200);
      assert.match(pageMessage(outcome.page!.body), /\(MFA ✓\)/);
      const [signedIn, result] = await waitReplies(ib, since, 2);
      assert.match(signedIn.text, /Signed in as admin@contoso\.onmicrosoft\.com \(MFA ✓\)/);
      assert.match(result.text, /write ok: Director/);
      assert.equal(dev.tenant.userById(admin.oid)?.jobTitle, 'Director');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(ib.connector.replies.length, since + 2);
      assert.equal(patches(dev.graph, admin.oid).length, 1, 'the write ran exactly once');

      // The same link again does not run it twice.
      const replay = await new IdentityBrowser(dev.identity.caCertPem).get(viaProxy(ib, stepUp.url!));
      assert.equal(replay.status, 410);

      // MFA is fresh now: the next write runs straight away.
      const [again] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe write "IT Director"' }));
      assert.match(again.text, /write ok: IT Director/);
      const [who] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'whoami' }));
      assert.match(who.text, /MFA[\s\S]*yes, (less than a minute|1 minute) ago \(pwd, mfa, context c1\)/);
    },
  );

  it(
    'a write command asked before any sign-in asks for the MFA in that first sign-in: password and code once, then ' +
      'it runs',
    async () => {
      const user = teamsUser(dev, 'helpdesk');
      dev.graph.clearLog();
      const [card] = await say(ib, fromUser(user, dev, ib.connector, { text: 'probe write "Desk lead"' }));
      assert.match(card.text, /Sign in to run "probe write"/);
      assert.match(card.text, /with multi-factor authentication \(MFA\)/);
      const since = ib.connector.replies.length;
      const outcome = await followSignInLink(ib, dev, card.url!, user);
      // Helpdesk has no authenticator yet: the MFA step is its enrolment, which ends with a code typed.
      assert.deepEqual(outcome.signIn.pages, ['password', 'enrol']);
      const query = outcome.authorize!.searchParams;
      assert.equal(query.get('max_age'), '900');
      assert.deepEqual(JSON.parse(query.get('claims')!).access_token.acrs, { essential: true, value: 'c1' });
      const [signedIn, result] = await waitReplies(ib, since, 2);
      assert.match(signedIn.text, /\(MFA ✓\)/);
      // It ran at once (a Helpdesk Administrator may not change a job title: Graph's 403 is the command's answer).
      assert.doesNotMatch(result.text, /Verify with MFA|Sign in/);
      assert.equal(patches(dev.graph, user.oid).length, 1, 'the command ran, once, after the one sign-in');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(ib.connector.replies.length, since + 2);
    },
  );

  it(
    'hands a dangerous command to the approval flow only after the MFA check (fresh from the test above), and ' +
      'never runs it',
    async () => {
      const admin = teamsUser(dev, 'admin');
      const replies = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe danger' }));
      assert.match(replies[0].text, /a second admin must approve it/);
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(
        !ib.connector.replies.some((r) => readReply(r).text.includes('Something went wrong')),
        'the command did not run',
      );
      const other = teamsUser(dev, 'useradmin');
      const [stepUpFirst] = await signInFirst(ib, dev, other, 'probe danger').then((r) => r.slice(1));
      assert.match(stepUpFirst.text, /Verify with MFA/, 'without MFA the approval is not even asked for');
    },
  );

  it('a wrong TOTP until lockout: the identity provider locks the account and the parked command never runs', async () => {
    const user = teamsUser(dev, 'teamsadmin');
    dev.graph.clearLog();
    const [, stepUp] = await signInFirst(ib, dev, user, 'probe write Nope');
    assert.match(stepUp.text, /Verify with MFA/);
    const browser = new IdentityBrowser(dev.identity.caCertPem);
    const start = await browser.get(viaProxy(ib, stepUp.url!));
    let page = await browser.follow(await browser.get(start.location!), 'http://127.0.0.1:3978/');
    assert.equal(pageKind(page.body), 'password');
    page = await browser.follow(
      await browser.postForm(formAction(page.body, page.url), { username: user.upn, password: user.password }),
      'http://127.0.0.1:3978/',
    );
    const wrong = '000000';
    registerTestSecret(user.totpSecret);
    const seen: string[] = [];
    for (let attempt = 0; attempt < 6 && pageKind(page.body) === 'totp'; attempt++) {
      page = await browser.follow(
        await browser.postForm(formAction(page.body, page.url), { otc: wrong }),
        'http://127.0.0.1:3978/',
      );
      seen.push(pageError(page.body) ?? '');
    }
    assert.match(seen.at(-1)!, /AADSTS50053/, 'locked out');
    assert.match(seen[0], /AADSTS50181/);
    assert.ok(!page.location?.startsWith('http://127.0.0.1:3978/'), 'never redirected back to the bot');
    const waiting = await ib.bot.store.db
      .selectFrom('pending_operations')
      .select('status')
      .where('user_aad_id', '=', user.oid)
      .where('status', '=', 'waiting')
      .execute();
    assert.equal(waiting.length, 1);
    assert.equal(patches(dev.graph, user.oid).length, 0);
  });
});

describe('identity: Graph claims challenge → step-up with the challenge claims → retried once', function () {
  // Generous under load (two shared cores); each test normally takes one to three seconds.
  this.timeout(60_000);
  let dev: DevTenant;
  let strictGraph: GraphServer;
  let ib: IdentityBot;
  before(async () => {
    dev = await startTestDevTenant();
    const tls = await ensureTlsMaterial(join(process.cwd(), 'test-results', 'devtenant'));
    // Writing a user needs authentication context c2, which the bot's own step-up (c1) does not ask for.
    strictGraph = await startGraphServer({
      tenant: dev.tenant,
      trust: { issuer: dev.identity.issuer, getKey: dev.identity.getKey },
      tls: { key: tls.serverKeyPem, cert: tls.serverCertPem },
      authContextRules: [{ method: 'PATCH', path: '/users/{id}', acrs: 'c2' }],
    });
    ib = await startIdentityBot(dev, { TEAMS_SSO: 'false', GRAPH_BASE_URL: strictGraph.url });
  });
  after(async () => {
    await ib?.close();
    await strictGraph?.close();
    await dev?.close();
  });

  it('steps up with the claims Graph asked for and the command then succeeds', async () => {
    const admin = teamsUser(dev, 'admin');
    const [, firstStepUp] = await signInFirst(ib, dev, admin, 'probe write Claims');
    let since = ib.connector.replies.length;
    await followSignInLink(ib, dev, firstStepUp.url!, admin);
    const [, challenged] = await waitReplies(ib, since, 2);
    assert.match(challenged.text, /Verify with MFA/);
    assert.match(challenged.text, /Microsoft Graph asks for a stronger sign-in before "probe write" can continue/);
    assert.match(challenged.text, /nothing was changed yet/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(
      ib.connector.replies.length - since,
      2,
      'one card for the challenge (after "Signed in"), no error card',
    );
    const turn = ib.logs.lines.filter((l) => l.msg === 'parked command resumed').at(-1)!;
    assert.equal(turn.outcome, 'held', 'a claims challenge is a hold, not an error and not a success');
    const challenge = strictGraph.requestLog.filter((r) => r.method === 'PATCH');
    assert.deepEqual(
      challenge.map((r) => r.status),
      [401],
    );

    since = ib.connector.replies.length;
    const outcome = await followSignInLink(ib, dev, challenged.url!, admin);
    assert.deepEqual(outcome.signIn.pages, ['password', 'totp']);
    const [, result] = await waitReplies(ib, since, 2);
    assert.match(result.text, /write ok: Claims/);
    assert.deepEqual(
      strictGraph.requestLog.filter((r) => r.method === 'PATCH').map((r) => r.status),
      [401, 204],
    );
    assert.equal(dev.tenant.userById(admin.oid)?.jobTitle, 'Claims');
  });
});
