import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { APP_IDS, BOT_CLIENT_SECRET } from '../../devtenant/seed/index.js';
import { startIdentityFixture, type IdentityFixture } from '../helpers/identity-fixture.js';
import { messageActivity } from '../helpers/activities.js';
import { postActivity, startTestBot, type TestBot } from '../helpers/bot-server.js';
import { ConnectorStandIn } from '../helpers/connector.js';
import { AuditLog } from '../../bot/audit/log.js';
import {
  ChannelMetadataStandIn,
  channelKey,
  channelToken,
  forgedToken,
  type SigningKey,
  type TokenClaims,
} from './channel-stand-in.js';

const APP_ID = APP_IDS.bot;

/**
 * Production-mode inbound authentication: the bot has an app id, so botbuilder must check every request's channel
 * token against the (stand-in) channel's published keys. Each refusal below is a protection: if it went, a forged or
 * replayed request would run a command.
 */
describe('inbound Bot Framework authentication (app id set, parameterized channel settings)', () => {
  let channel: ChannelMetadataStandIn;
  // The bot's own token for replies comes from an Entra stand-in (devtenant identity provider, HTTPS, its CA trusted
  // through EXTRA_CA_FILE), as a single-tenant bot's does from login.microsoftonline.com/<tenant>.
  let login: IdentityFixture;
  let connector: ConnectorStandIn;
  let bot: TestBot;
  let teamsKey: SigningKey;
  let otherKey: SigningKey;

  before(async () => {
    teamsKey = await channelKey(['msteams']);
    otherKey = await channelKey(['msteams']);
    channel = await new ChannelMetadataStandIn([teamsKey]).start();
    connector = await new ConnectorStandIn().start();
    login = await startIdentityFixture();
    const caFile = join(login.dataDir, 'bot-trusts-ca.pem');
    writeFileSync(caFile, login.idp.caCertPem);
    bot = await startTestBot({
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: BOT_CLIENT_SECRET,
      MICROSOFT_APP_TENANT_ID: login.tenant.id,
      EXTRA_CA_FILE: caFile,
      BOT_OPENID_METADATA_URL: channel.metadataUrl,
      BOT_LOGIN_URL: login.idp.authority.replace(/\/$/, ''),
      BOT_OAUTH_SCOPE: 'https://api.botframework.com',
      BOT_OAUTH_URL: `${channel.url}/oauth`,
      BOT_EMULATOR_OPENID_METADATA_URL: channel.emulatorMetadataUrl,
    });
  });
  after(async () => {
    await bot?.close();
    await connector?.close();
    await channel?.close();
    await login?.close();
  });

  const turnLines = () => bot.logs.lines.filter((l) => l.msg === 'turn');

  async function send(authorization: string | undefined, overrides: Parameters<typeof messageActivity>[1] = {}) {
    const turnsBefore = turnLines().length;
    const repliesBefore = connector.replies.length;
    // botbuilder console.errors every refusal with its stack; keep the test output readable.
    const consoleError = console.error;
    console.error = () => undefined;
    let response: Response;
    try {
      response = await postActivity(
        bot.url,
        messageActivity('whoami', { serviceUrl: connector.url, ...overrides }),
        authorization ? { authorization } : {},
      );
    } finally {
      console.error = consoleError;
    }
    return {
      status: response.status,
      body: await response.text(),
      turns: turnLines().slice(turnsBefore),
      replies: () => connector.replies.slice(repliesBefore),
    };
  }

  const bearer = async (claims: TokenClaims, key = teamsKey) =>
    `Bearer ${await channelToken(key, { aud: APP_ID, serviceurl: connector.url, ...claims })}`;

  async function auditedCommands(): Promise<string[]> {
    return (await new AuditLog(bot.store.db).recent({ limit: 100 })).map((r) => `${r.command}:${r.action}`);
  }

  it("accepts a valid channel token, runs the command and replies with the bot's own token for the channel", async () => {
    const auditBefore = (await auditedCommands()).length;
    const result = await send(await bearer({}));
    assert.equal(result.status, 200);
    assert.deepEqual(
      result.turns.map((t) => t.activityType),
      ['message'],
    );
    // The command ran: its audit start and end records are there.
    const audited = await auditedCommands();
    assert.deepEqual(audited.slice(0, audited.length - auditBefore).sort(), [
      'whoami:command.end',
      'whoami:command.start',
    ]);
    // The reply reached the connector, signed with the bot's own token from the login authority for the
    // channel's scope.
    const [reply] = result.replies();
    assert.ok(reply, 'the connector got the reply');
    assert.match(String(reply.activity.text ?? JSON.stringify(reply.activity.attachments)), /whoami|Teams|signed/i);
    const token = String(reply.authorization).replace(/^Bearer /, '');
    const { payload } = await jwtVerify(token, login.idp.getKey, {
      issuer: login.idp.issuer,
      audience: 'https://api.botframework.com',
    });
    assert.equal(payload.appid, APP_ID);
    assert.equal(payload.idtyp, 'app');
  });

  const now = () => Math.floor(Date.now() / 1000);
  // botbuilder 4.23.3 answers 401 only for its own AuthenticationError; jsonwebtoken's errors for a bad signature,
  // a missing one (alg none), a wrong algorithm and a not-yet-valid token escape its mapping (jwtTokenExtractor.js
  // rethrows them) and would be 500. bot/teams/inbound-auth.ts maps them to 401; these cases prove it.
  const ESCAPED_JWT_ERROR = 401;
  const refusals: Array<{
    name: string;
    authorization: () => Promise<string | undefined>;
    activity?: Parameters<typeof messageActivity>[1];
    status?: number;
  }> = [
    { name: 'no Authorization header', authorization: async () => undefined },
    { name: 'a token that is not a JWT', authorization: async () => 'Bearer not-a-token' },
    {
      name: 'a bad signature (another key under the published kid)',
      authorization: () => bearer({}, { ...otherKey, kid: teamsKey.kid }),
      status: ESCAPED_JWT_ERROR,
    },
    {
      name: 'an unsigned token (alg none)',
      authorization: async () =>
        `Bearer ${await forgedToken('none', teamsKey, { aud: APP_ID, serviceurl: connector.url })}`,
      status: ESCAPED_JWT_ERROR,
    },
    {
      name: 'an HS256 token keyed with the published public key',
      authorization: async () =>
        `Bearer ${await forgedToken('hs256-public-key', teamsKey, { aud: APP_ID, serviceurl: connector.url })}`,
      status: ESCAPED_JWT_ERROR,
    },
    { name: 'a key the channel does not publish', authorization: () => bearer({}, otherKey) },
    {
      name: 'an expired token (beyond the 5-minute tolerance)',
      authorization: () => bearer({ exp: now() - 600, nbf: now() - 1200 }),
    },
    {
      name: 'a token not yet valid (beyond the 5-minute tolerance)',
      authorization: () => bearer({ nbf: now() + 600, exp: now() + 1200 }),
      status: ESCAPED_JWT_ERROR,
    },
    {
      name: 'a token for another bot (wrong audience)',
      authorization: () => bearer({ aud: '0c7e4a1b-2d3f-4a5b-8c6d-7e8f9a0b1c2d' }),
    },
    { name: 'a token from another issuer', authorization: () => bearer({ iss: 'https://issuer.attacker.example' }) },
    {
      name: 'a serviceurl claim that is not the activity serviceUrl',
      authorization: () => bearer({ serviceurl: 'http://127.0.0.1:9/' }),
    },
    {
      name: 'a webchat activity signed with an msteams-only key',
      authorization: () => bearer({}),
      activity: { channelId: 'webchat' },
    },
  ];

  for (const refusal of refusals) {
    it(`refuses ${refusal.name} with ${refusal.status ?? 401} and runs nothing`, async () => {
      const auditBefore = await auditedCommands();
      const result = await send(await refusal.authorization(), refusal.activity);
      assert.equal(result.status, refusal.status ?? 401);
      assert.doesNotMatch(result.body, /at \w+ \(|node_modules|BEGIN RSA|eyJ/, 'no stack, key or token in the answer');
      assert.deepEqual(result.turns, [], 'no turn ran');
      assert.deepEqual(await auditedCommands(), auditBefore, 'no command ran');
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(result.replies(), [], 'the connector got nothing');
    });
  }
});
