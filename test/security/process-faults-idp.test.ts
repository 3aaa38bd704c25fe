import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { DevTenant } from '../../devtenant/index.js';
import { postActivity } from '../helpers/bot-server.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { IdentityBrowser } from '../helpers/identity-browser.js';
import { signInThroughPages } from '../helpers/identity-sign-in.js';
import { registerTestSecret } from '../helpers/secrets.js';
import {
  REDIRECT_URI,
  fromUser,
  pageMessage,
  say,
  ssoToken,
  startIdentityBot,
  teamsUser,
  viaProxy,
  type CardReply,
  type IdentityBot,
  type TeamsUser,
} from '../identity/harness.js';
import { expireCachedAccessTokens } from './process/token-cache.js';

const STACK = /\bat \S+ \(|node_modules|Error:/;

/**
 * Issue 10 item 5: the identity provider (Entra ID's stand-in) goes down while the bot runs, and is down when a
 * bot starts. Cached, still valid access tokens keep working (Graph checks them without the authority); anything
 * that needs the authority — refreshing an expired token, redeeming a sign-in code, Teams SSO's on-behalf-of
 * exchange, discovering the authority — is refused with a clear message, never a stack or a misleading sign-in
 * prompt, and nothing is run.
 */
describe('process faults: the identity provider down', function () {
  this.timeout(90_000);
  let dev: DevTenant;
  let ib: IdentityBot;
  let late: IdentityBot | undefined;
  const cacheKey = randomBytes(32).toString('base64');
  let admin: TeamsUser;
  let pending: { browser: IdentityBrowser; callback: string };
  let teamsToken: string;

  const signInCard = (replies: CardReply[]) => replies.find((r) => r.url && !r.oauth);

  before(async () => {
    registerTestSecret(cacheKey);
    dev = await startTestDevTenant({ mfaPolicy: 'admins' });
    ib = await startIdentityBot(dev, { TOKEN_CACHE_KEY: cacheKey });
    admin = teamsUser(dev, 'admin');
    // The admin signs in while the authority is up.
    const card = signInCard(await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe read' }), 2))!;
    const browser = new IdentityBrowser(dev.identity.caCertPem);
    const start = await browser.get(viaProxy(ib, card.url!));
    const done = await signInThroughPages(browser, start.location!, REDIRECT_URI, {
      username: admin.upn,
      password: admin.password,
      totpSecret: admin.totpSecret,
    });
    if (done.code) registerTestSecret(done.code);
    assert.equal((await browser.get(viaProxy(ib, done.redirect!))).status, 200);
    // Another admin is half-way: the authority gave the browser a code; the bot has not redeemed it yet.
    const useradmin = teamsUser(dev, 'useradmin');
    const second = signInCard(await say(ib, fromUser(useradmin, dev, ib.connector, { text: 'probe read' }), 2))!;
    const browser2 = new IdentityBrowser(dev.identity.caCertPem);
    const start2 = await browser2.get(viaProxy(ib, second.url!));
    const half = await signInThroughPages(browser2, start2.location!, REDIRECT_URI, {
      username: useradmin.upn,
      password: useradmin.password,
      totpSecret: useradmin.totpSecret,
    });
    if (half.code) registerTestSecret(half.code);
    pending = { browser: browser2, callback: half.redirect! };
    // A third has a Teams SSO token the bot has not exchanged yet.
    teamsToken = await ssoToken(dev, teamsUser(dev, 'teamsadmin'));
    registerTestSecret(teamsToken);
    await dev.identity.close();
  });
  after(async () => {
    await late?.close();
    await ib?.close();
    await dev?.close();
  });

  it('a read with a cached, still valid access token works without the authority', async () => {
    const [reply] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe read' }));
    assert.match(reply.text, /read ok/);
  });

  it(
    'a read whose token must be refreshed is refused: "sign-in service unreachable, nothing was done" — not a ' +
      'sign-in prompt',
    async () => {
      assert.ok((await expireCachedAccessTokens(ib.bot.store.db, cacheKey, admin.oid, dev.tenant.id)) > 0);
      const replies = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe read' }));
      const text = replies.map((r) => r.text).join('\n');
      assert.match(text, /identity provider|sign-in service/i);
      assert.match(text, /cannot be reached|unreachable|could not be reached/i);
      assert.match(text, /nothing was done/i);
      assert.match(text, /[0-9a-f]{8}-[0-9a-f]{4}-/, 'a correlation id');
      assert.ok(!replies.some((r) => r.url), 'no sign-in link (signing in cannot work either)');
      assert.doesNotMatch(text, STACK);
    },
  );

  it('public commands still answer', async () => {
    const [reply] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'help' }));
    assert.match(reply.text, /probe read/);
  });

  it('a sign-in whose code cannot be redeemed ends on a clear page and a clear card; nothing is signed in or run', async () => {
    const since = ib.connector.replies.length;
    const landed = await pending.browser.get(viaProxy(ib, pending.callback));
    assert.equal(landed.status, 503);
    assert.match(pageMessage(landed.body), /identity provider \(Microsoft Entra ID\) could not be reached/i);
    assert.doesNotMatch(landed.body, STACK);
    const told = await ib.connector.next(() => true, 10_000, since);
    assert.match(JSON.stringify(told.activity), /could not be reached/);
    assert.equal(
      await ib.bot.store.db
        .selectFrom('token_cache')
        .select('partition_key')
        .where('partition_key', 'like', `${teamsUser(dev, 'useradmin').oid}%`)
        .executeTakeFirst(),
      undefined,
    );
  });

  it('a Teams SSO exchange is answered 412 (Teams falls back to the button) with the reason', async () => {
    const user = teamsUser(dev, 'teamsadmin');
    const response = await postActivity(
      ib.bot.url,
      fromUser(user, dev, ib.connector, {
        type: 'invoke',
        name: 'signin/tokenExchange',
        value: { id: 'x1', connectionName: '', token: teamsToken },
        text: undefined,
      }),
    );
    assert.equal(response.status, 412);
    const body = (await response.json()) as { failureDetail?: string };
    assert.match(body.failureDetail ?? '', /could not be reached/);
  });

  it('a bot that starts while the authority is down starts (lazily), is ready, and refuses sign-in clearly', async () => {
    late = await startIdentityBot(dev, { TOKEN_CACHE_KEY: cacheKey });
    assert.ok(late.logs.lines.some((l) => l.msg === 'authority metadata not read at start; msal will discover it'));
    assert.equal((await fetch(`${late.bot.url}/readyz`)).status, 200);
    const [help] = await say(late, fromUser(admin, dev, late.connector, { text: 'help' }));
    assert.match(help.text, /probe read/);
    const card = signInCard(
      await say(late, fromUser(teamsUser(dev, 'helpdesk'), dev, late.connector, { text: 'probe read' }), 2),
    )!;
    const opened = await new IdentityBrowser(dev.identity.caCertPem).get(viaProxy(late, card.url!));
    assert.equal(opened.status, 503);
    assert.match(pageMessage(opened.body), /identity provider \(Microsoft Entra ID\) could not be reached/i);
  });
});
