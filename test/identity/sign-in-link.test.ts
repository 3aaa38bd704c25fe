import assert from 'node:assert/strict';
import type { DevTenant } from '../../devtenant/index.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { IdentityBrowser } from '../helpers/identity-browser.js';
import { signInThroughPages } from '../helpers/identity-sign-in.js';
import { registerTestSecret } from '../helpers/secrets.js';
import {
  REDIRECT_URI,
  followSignInLink,
  fromUser,
  pageMessage,
  say,
  startIdentityBot,
  teamsUser,
  viaProxy,
  waitReplies,
  type IdentityBot,
} from './harness.js';

describe('identity: sign-in link (auth code + PKCE through the bot) against the devtenant', function () {
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

  it('parks a read command, signs in through the link, announces the sign-in and runs the command once', async () => {
    const admin = teamsUser(dev, 'admin');
    const [card] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe read' }));
    assert.match(card.text, /Sign in to run "probe read"/);
    assert.ok(card.url?.startsWith('http://127.0.0.1:3978/auth/start?state='));
    const since = ib.connector.replies.length;
    const outcome = await followSignInLink(ib, dev, card.url!, admin);
    assert.deepEqual(outcome.signIn.pages, ['password']);
    assert.equal(outcome.page?.status, 200);
    assert.match(pageMessage(outcome.page!.body), /Signed in as admin@contoso\.onmicrosoft\.com \(MFA ✗\)/);
    assert.doesNotMatch(outcome.page!.body, /eyJ|code=/);
    const [announced, result] = await waitReplies(ib, since, 2);
    assert.match(announced.text, /Signed in as admin@contoso\.onmicrosoft\.com \(MFA ✗\)/);
    assert.match(result.text, /read ok: Adele Admin/);
    assert.equal(result.reply.conversationId, `a:personal-${admin.teamsId}`);
  });

  it('whoami then shows the tenant identity, roles by name, MFA state and token expiry; signout forgets the tokens', async () => {
    const admin = teamsUser(dev, 'admin');
    const [who] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'whoami' }));
    assert.match(who.text, /admin@contoso\.onmicrosoft\.com/);
    assert.match(who.text, /Global Administrator/);
    assert.match(who.text, /no \(password only\)/);
    assert.match(who.text, /in 5\d minutes|in 60 minutes/);
    const [out] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'signout' }));
    assert.match(out.text, /Signed out/);
    const [after] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'whoami' }));
    assert.match(after.text, /Not signed in/);
    const [again] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe read' }));
    assert.match(again.text, /Sign in to run "probe read"/);
  });

  it('refuses a link completed by another user (oid mismatch), in the browser and in chat, and runs nothing', async () => {
    const admin = teamsUser(dev, 'admin');
    const intruder = teamsUser(dev, 'teamsadmin');
    const [card] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe read' }));
    const since = ib.connector.replies.length;
    const outcome = await followSignInLink(ib, dev, card.url!, intruder);
    assert.equal(outcome.page?.status, 403);
    assert.match(
      pageMessage(outcome.page!.body),
      /completed by teamsadmin@contoso\.onmicrosoft\.com, which is not the Teams user who asked/,
    );
    const [told] = await waitReplies(ib, since, 1);
    assert.match(told.text, /Sign-in refused/);
    assert.equal(told.reply.conversationId, `a:personal-${admin.teamsId}`);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(ib.connector.replies.length, since + 1, 'the parked command did not run');
    const [still] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'whoami' }));
    assert.match(still.text, /Not signed in/);
  });

  it('refuses a replayed callback (state single-use) and an expired state', async () => {
    const admin = teamsUser(dev, 'admin');
    const [card] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe read' }));
    const browser = new IdentityBrowser(dev.identity.caCertPem);
    const first = await followSignInLink(ib, dev, card.url!, admin, { browser });
    assert.equal(first.page?.status, 200);
    const replay = await browser.get(viaProxy(ib, first.signIn.redirect!));
    assert.equal(replay.status, 410);
    assert.match(pageMessage(replay.body), /already been used/);
    const restart = await browser.get(viaProxy(ib, card.url!));
    assert.equal(restart.status, 410);
    for (const path of [
      '/auth/start?state=forged',
      '/auth/callback?code=x&state=forged',
      `/auth/start?state=${'A'.repeat(43)}`,
    ]) {
      const forged = await browser.get(`${ib.bot.url}${path}`);
      assert.equal(forged.status, 400, path);
      assert.match(pageMessage(forged.body), /not valid/);
    }

    await say(ib, fromUser(admin, dev, ib.connector, { text: 'signout' }));
    const [second] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe read' }));
    await ib.bot.store.db
      .updateTable('auth_states')
      .set({ expires_at: Date.now() - 1 })
      .where('used_at', 'is', null)
      .execute();
    const expired = await new IdentityBrowser(dev.identity.caCertPem).get(viaProxy(ib, second.url!));
    assert.equal(expired.status, 410);
    assert.match(pageMessage(expired.body), /expired/);
  });

  it('refuses a callback from another browser than the one that opened the link, without consuming the state', async () => {
    const admin = teamsUser(dev, 'admin');
    await say(ib, fromUser(admin, dev, ib.connector, { text: 'signout' }));
    const [card] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe read' }));
    const browser = new IdentityBrowser(dev.identity.caCertPem);
    const start = await browser.get(viaProxy(ib, card.url!));
    const signIn = await signInThroughPages(browser, start.location!, REDIRECT_URI, {
      username: admin.upn,
      password: admin.password,
    });
    registerTestSecret(signIn.code);
    const elsewhere = await new IdentityBrowser(dev.identity.caCertPem).get(viaProxy(ib, signIn.redirect!));
    assert.equal(elsewhere.status, 400);
    assert.match(pageMessage(elsewhere.body), /started in another browser/);
    const since = ib.connector.replies.length;
    const here = await browser.get(viaProxy(ib, signIn.redirect!));
    assert.equal(here.status, 200);
    const [, result] = await waitReplies(ib, since, 2);
    assert.match(result.text, /read ok/);
  });

  it('keeps an unused link with the first browser that opened it; a second browser is told it is in use', async () => {
    const admin = teamsUser(dev, 'admin');
    await say(ib, fromUser(admin, dev, ib.connector, { text: 'signout' }));
    const [card] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe read' }));
    const first = new IdentityBrowser(dev.identity.caCertPem);
    assert.equal((await first.get(viaProxy(ib, card.url!))).status, 302);
    const second = await new IdentityBrowser(dev.identity.caCertPem).get(viaProxy(ib, card.url!));
    assert.equal(second.status, 409);
    assert.match(pageMessage(second.body), /already in use in another browser/);
    assert.equal(second.headers['set-cookie'], undefined, 'the second browser gets no binding');
    // The first browser may open it again (a reload) and still finishes the sign-in.
    const since = ib.connector.replies.length;
    const outcome = await followSignInLink(ib, dev, card.url!, admin, { browser: first });
    assert.equal(outcome.page?.status, 200);
    const [, result] = await waitReplies(ib, since, 2);
    assert.match(result.text, /read ok/);
  });

  it('politely refuses a signed-in user without an admin role; help and whoami still work for them', async () => {
    const alice = teamsUser(dev, 'alice');
    const [card] = await say(ib, fromUser(alice, dev, ib.connector, { text: 'probe read' }));
    const since = ib.connector.replies.length;
    await followSignInLink(ib, dev, card.url!, alice);
    const [, refusal] = await waitReplies(ib, since, 2);
    assert.match(refusal.text, /Admin role needed/);
    assert.match(refusal.text, /"help", "whoami" and "signout" work for everyone/);
    const [who] = await say(ib, fromUser(alice, dev, ib.connector, { text: 'whoami' }));
    assert.match(who.text, /alice@contoso\.onmicrosoft\.com/);
    const [helpCard] = await say(ib, fromUser(alice, dev, ib.connector, { text: 'help' }));
    assert.match(helpCard.text, /probe read/);
  });

  it('refuses a command that needs a narrower role than the admin holds', async () => {
    const admin = teamsUser(dev, 'useradmin');
    const [card] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe teams' }));
    const since = ib.connector.replies.length;
    await followSignInLink(ib, dev, card.url!, admin);
    const [, refusal] = await waitReplies(ib, since, 2);
    assert.match(refusal.text, /needs one of these roles: Teams Administrator\. You hold User Administrator/);
  });

  it('re-checks roles with Graph on every command: an admin whose role was removed is refused at the next command', async () => {
    const admin = teamsUser(dev, 'useradmin');
    const [ok] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe read' }));
    assert.match(ok.text, /read ok: Uma Users/);
    const removed = dev.tenant.roleAssignments.filter((a) => a.principalId === admin.oid);
    assert.ok(removed.length > 0);
    for (const assignment of removed)
      dev.tenant.roleAssignments.splice(dev.tenant.roleAssignments.indexOf(assignment), 1);
    try {
      const [refused] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe read' }));
      assert.match(refused.text, /Admin role needed/);
    } finally {
      dev.tenant.roleAssignments.push(...removed);
    }
    const [back] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe read' }));
    assert.match(back.text, /read ok/);
  });

  it('a newer command supersedes an older parked one: the older link signs in but does not run its command', async () => {
    const admin = teamsUser(dev, 'admin');
    await say(ib, fromUser(admin, dev, ib.connector, { text: 'signout' }));
    const [older] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe read' }));
    await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe teams' }));
    const since = ib.connector.replies.length;
    const outcome = await followSignInLink(ib, dev, older.url!, admin);
    assert.equal(outcome.page?.status, 200);
    const [announced] = await waitReplies(ib, since, 1);
    assert.match(announced.text, /Signed in as admin@contoso\.onmicrosoft\.com/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(ib.connector.replies.length, since + 1, 'the superseded command did not run');
  });

  it('refuses tenant commands to a Teams client that sends no Entra identity', async () => {
    const admin = teamsUser(dev, 'admin');
    const activity = fromUser(admin, dev, ib.connector, { text: 'probe read' });
    activity.from = { id: admin.teamsId, name: 'Someone' };
    const [refusal] = await say(ib, activity);
    assert.match(refusal.text, /No Microsoft Entra identity/);
  });
});
