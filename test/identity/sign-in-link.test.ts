import assert from 'node:assert/strict';
import type { DevTenant } from '../../devtenant/index.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { followSignInLink, fromUser, pageMessage, say, startIdentityBot, teamsUser, waitReplies, type IdentityBot } from './harness.js';

describe('identity: sign-in link (auth code + PKCE through the bot) against the devtenant', () => {
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
});
