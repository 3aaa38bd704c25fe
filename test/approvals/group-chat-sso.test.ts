import { catalog } from '../helpers/catalog.js';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { CommandRegistry } from '../../bot/commands/registry.js';
import type { DevTenant } from '../../devtenant/index.js';
import { APP_IDS } from '../../devtenant/seed/index.js';
import { postActivity } from '../helpers/bot-server.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { registerTestSecret } from '../helpers/secrets.js';
import {
  fromUser,
  PROBE_COMMANDS,
  ssoToken,
  startIdentityBot,
  teamsUser,
  type IdentityBot,
  type TeamsUser,
} from '../identity/harness.js';

const [approvals, approve] = catalog('approvals', 'approval approve');

const GROUP_ID = '19:group-sso@thread.v2';

interface InvokeBody {
  statusCode: number;
  type: string;
  value: Record<string, unknown> | string;
}

/**
 * Issue 17 with Teams SSO on: a card click in a group chat by someone not signed in gets a Universal Actions login
 * request (401 loginRequest) in its invoke response; Teams sends the click again with a token and it runs then.
 */
describe('group chat card clicks with Teams SSO: Universal Actions login request', () => {
  let dev: DevTenant;
  let ib: IdentityBot;
  let user: TeamsUser;

  before(async () => {
    dev = await startTestDevTenant();
    ib = await startIdentityBot(dev, {}, new CommandRegistry([approvals, approve, ...PROBE_COMMANDS]));
    user = teamsUser(dev, 'teamsadmin');
  });
  after(async () => {
    await ib?.close();
    await dev?.close();
  });

  const group = () =>
    ({
      id: GROUP_ID,
      conversationType: 'groupChat',
      isGroup: true,
      tenantId: dev.tenant.id,
      name: 'Admins',
    }) as Activity['conversation'];

  async function click(text: string, authentication?: unknown, clicker = user): Promise<InvokeBody> {
    const response = await postActivity(
      ib.bot.url,
      fromUser(clicker, dev, ib.connector, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: randomUUID(),
        text: undefined,
        conversation: group(),
        value: { action: { type: 'Action.Execute', verb: 'run', data: { text } }, authentication },
      }),
    );
    assert.equal(response.status, 200);
    return (await response.json()) as InvokeBody;
  }

  it('answers a signed-out click with a login request only the clicker sees; nothing is posted', async () => {
    const before = ib.connector.replies.length;
    const body = await click('probe read');
    assert.equal(body.statusCode, 401);
    assert.equal(body.type, 'application/vnd.microsoft.activity.loginRequest');
    const value = body.value as {
      tokenExchangeResource: { id: string; uri: string };
      buttons: { type: string; value: string }[];
    };
    assert.equal(value.tokenExchangeResource.uri, `api://botid-${APP_IDS.bot}`);
    assert.equal(value.buttons[0].type, 'signin');
    registerTestSecret(new URL(value.buttons[0].value).searchParams.get('state') ?? undefined);
    assert.match(value.buttons[0].value, /\/auth\/start\?state=/);
    assert.equal(ib.connector.replies.length, before, 'nothing posted to the group');
  });

  it('refuses a bad token with 412 (Teams falls back to the button) and runs nothing', async () => {
    const first = await click('probe read');
    const id = (first.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    const body = await click('probe read', { id, connectionName: '', token: 'not-a-token' });
    assert.equal(body.statusCode, 412);
    assert.equal(body.type, 'application/vnd.microsoft.error.preconditionFailed');
    const signIns = await ib.bot.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'signin.sso')
      .execute();
    assert.equal(signIns.length, 0);
  });

  it('runs the click Teams sends again with the token, once: the parked command does not run a second time', async () => {
    const first = await click('probe read');
    const id = (first.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    const token = await ssoToken(dev, user);
    registerTestSecret(token);
    const before = ib.connector.replies.length;
    const body = await click('probe read', { id, connectionName: '', token });
    assert.equal(body.statusCode, 200);
    assert.match(JSON.stringify(body.value), /read ok/);
    const status = await ib.bot.store.db
      .selectFrom('pending_operations')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(status.status, 'resumed', 'withdrawn: a later link cannot run it again');
    await new Promise((r) => setTimeout(r, 200));
    // The read result is for everyone, like a typed command's; nothing else was posted (no "Signed in" notice).
    const posted = ib.connector.replies.slice(before);
    assert.equal(posted.length, 1);
    assert.match(JSON.stringify(posted[0].activity), /read ok/);
  });

  it('an approval decision, which needs a fresh MFA, gets the MFA sign-in card instead (a silent token has no MFA)', async () => {
    const body = await click('approval approve 0123456789', undefined, teamsUser(dev, 'useradmin'));
    assert.equal(body.statusCode, 200);
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(JSON.stringify(body.value), /with multi-factor authentication/);
  });
});
