import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { decodeJwt } from 'jose';
import { createTokenIssuer } from '../../devtenant/identity/token-issuer.js';
import type { DevTenant } from '../../devtenant/index.js';
import { APP_IDS } from '../../devtenant/seed/index.js';
import { postActivity } from '../helpers/bot-server.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import {
  fromUser,
  say,
  ssoToken,
  startIdentityBot,
  teamsUser,
  waitReplies,
  type IdentityBot,
  type TeamsUser,
} from './harness.js';

describe('identity: Teams SSO (signin/tokenExchange → on-behalf-of) against the devtenant', function () {
  // Generous under load (two shared cores); each test normally takes one to three seconds.
  this.timeout(60_000);
  let dev: DevTenant;
  let ib: IdentityBot;
  before(async () => {
    dev = await startTestDevTenant();
    ib = await startIdentityBot(dev);
  });
  after(async () => {
    await ib?.close();
    await dev?.close();
  });

  function invoke(user: TeamsUser, name: string, value: unknown, overrides: Partial<Activity> = {}) {
    return fromUser(user, dev, ib.connector, { type: 'invoke', name, value, text: undefined, ...overrides });
  }

  async function exchange(user: TeamsUser, id: string, token: string, overrides: Partial<Activity> = {}) {
    const response = await postActivity(
      ib.bot.url,
      invoke(user, 'signin/tokenExchange', { id, connectionName: '', token }, overrides),
    );
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as { id?: string; failureDetail?: string | null }) : undefined,
    };
  }

  /** Asks for a command while signed out: the bot answers with the OAuthCard (SSO) and the sign-in card. */
  async function ask(user: TeamsUser, text: string) {
    await say(ib, fromUser(user, dev, ib.connector, { text: 'signout' }));
    const [oauth, card] = await say(ib, fromUser(user, dev, ib.connector, { text }), 2);
    assert.ok(oauth.oauth?.tokenExchangeResource, 'an OAuthCard with tokenExchangeResource comes first');
    assert.equal(oauth.oauth.tokenExchangeResource.uri, `api://botid-${APP_IDS.bot}`);
    assert.match(card.text, /Sign in to run/);
    return oauth.oauth.tokenExchangeResource.id;
  }

  it('exchanges the Teams token, answers 200, announces the sign-in and resumes the parked command', async () => {
    const admin = teamsUser(dev, 'admin');
    const id = await ask(admin, 'probe read');
    const since = ib.connector.replies.length;
    const result = await exchange(admin, id, await ssoToken(dev, admin));
    assert.equal(result.status, 200);
    assert.deepEqual(result.body, { id, connectionName: '', failureDetail: null });
    const [announced, answer] = await waitReplies(ib, since, 2);
    assert.match(announced.text, /Signed in as admin@contoso\.onmicrosoft\.com \(MFA ✗\)/);
    assert.match(answer.text, /read ok: Adele Admin/);
    const verify = await postActivity(ib.bot.url, invoke(admin, 'signin/verifyState', { state: '123456' }));
    assert.equal(verify.status, 200);
  });

  it('processes the duplicate exchanges Teams sends from two clients once: both 200, one sign-in, one command run', async () => {
    const admin = teamsUser(dev, 'admin');
    const id = await ask(admin, 'probe read');
    const token = await ssoToken(dev, admin);
    const since = ib.connector.replies.length;
    const [desktop, mobile] = await Promise.all([exchange(admin, id, token), exchange(admin, id, token)]);
    assert.deepEqual([desktop.status, mobile.status], [200, 200]);
    assert.equal(
      [desktop.body, mobile.body].filter((b) => b?.id === id).length,
      1,
      'one full answer, one empty acknowledgement',
    );
    const replies = await waitReplies(ib, since, 2);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(ib.connector.replies.length, since + 2, 'exactly one announcement and one result');
    assert.match(replies[1].text, /read ok/);
  });

  it('a write command after SSO still asks for MFA (SSO cannot step up)', async () => {
    const admin = teamsUser(dev, 'admin');
    const id = await ask(admin, 'probe write SSO');
    const since = ib.connector.replies.length;
    assert.equal((await exchange(admin, id, await ssoToken(dev, admin))).status, 200);
    const [, stepUp] = await waitReplies(ib, since, 2);
    assert.match(stepUp.text, /Verify with MFA/);
  });

  it(
    'answers 412 with a failureDetail (Teams falls back to the button) for a tampered, expired, other-user or ' +
      'other-tenant token',
    async () => {
      const admin = teamsUser(dev, 'admin');
      const bob = teamsUser(dev, 'bob');
      const id = await ask(admin, 'probe read');
      const good = await ssoToken(dev, admin);
      const since = ib.connector.replies.length;

      const [header, , signature] = good.split('.');
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...decodeJwt(good), oid: bob.oid })).toString('base64url')}.${signature}`;
      const issuer = createTokenIssuer(
        dev.tenant,
        join(process.cwd(), 'test-results', 'devtenant'),
        Number(new URL(dev.identity.url).port),
      );
      const old = Math.floor(Date.now() / 1000) - 7200;
      const expired = await issuer.sign({ ...decodeJwt(good), iat: old, nbf: old, exp: old + 3600 });

      for (const [label, token, overrides, detail] of [
        ['tampered', tampered, {}, /refused the Teams token/],
        ['expired', expired, {}, /refused the Teams token/],
        ['another user', await ssoToken(dev, bob), {}, /belongs to another user/],
        [
          'another tenant',
          good,
          {
            conversation: {
              id: `a:personal-${admin.teamsId}`,
              conversationType: 'personal',
              tenantId: '11111111-2222-4333-8444-555555555555',
              isGroup: false,
              name: '',
            },
          },
          /another tenant/,
        ],
      ] as const) {
        const result = await exchange(admin, id, token, overrides as Partial<Activity>);
        assert.equal(result.status, 412, label);
        assert.equal(result.body?.id, id, label);
        assert.match(String(result.body?.failureDetail), /unable to exchange token/, label);
        assert.match(String(result.body?.failureDetail), detail, label);
      }
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(ib.connector.replies.length, since, 'nothing posted, nothing resumed');
      const verify = await postActivity(ib.bot.url, invoke(admin, 'signin/verifyState', { state: '123456' }));
      assert.equal(verify.status, 404, 'still not signed in');
      // Control: the same claims signed with a valid lifetime by the same key are accepted.
      assert.equal((await exchange(admin, id, await issuer.sign({ ...decodeJwt(good) }))).status, 200);
    },
  );

  it('answers 400 to an exchange without a token, and acknowledges signin/failure', async () => {
    const admin = teamsUser(dev, 'admin');
    const missing = await postActivity(
      ib.bot.url,
      invoke(admin, 'signin/tokenExchange', { id: 'x', connectionName: '' }),
    );
    assert.equal(missing.status, 400);
    const failure = await postActivity(
      ib.bot.url,
      invoke(admin, 'signin/failure', { code: 'resourcematchfailed', message: 'Resource match failed' }),
    );
    assert.equal(failure.status, 200);
    assert.ok(
      ib.logs.lines.some((l) => l.msg === 'Teams SSO failed on the client' && l.failureCode === 'resourcematchfailed'),
    );
  });
});
