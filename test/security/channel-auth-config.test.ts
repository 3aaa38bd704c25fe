import assert from 'node:assert/strict';
import { botFrameworkAuthConfig } from '../../bot/teams/app.js';
import { ConfigError, loadConfig } from '../../bot/config.js';

const BOT = {
  MICROSOFT_APP_ID: '5b0f7e2c-8a41-4d3e-9c6b-2f1a0e9d8c7b',
  MICROSOFT_APP_PASSWORD: 'test-only-bot-secret',
  MICROSOFT_APP_TENANT_ID: '6e1f1f2a-3b4c-4d5e-8f90-a1b2c3d4e5f6',
};
const CHANNEL = {
  BOT_OPENID_METADATA_URL: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
  BOT_LOGIN_URL: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
  BOT_OAUTH_SCOPE: 'https://api.botframework.us',
  BOT_OAUTH_URL: 'https://tokengcch.botframework.azure.us/',
  BOT_EMULATOR_OPENID_METADATA_URL:
    'https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0/.well-known/openid-configuration',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
}

/** botbuilder reads the channel settings all-or-nothing, so a partial set would silently break every request. */
describe('Bot Framework channel settings (all-or-nothing)', () => {
  it('keeps the public-cloud defaults when none is set: no parameterized key reaches botbuilder', () => {
    const passed = botFrameworkAuthConfig(loadConfig(BOT));
    for (const key of [
      'ToBotFromChannelOpenIdMetadataUrl',
      'ToBotFromChannelTokenIssuer',
      'ToChannelFromBotLoginUrl',
      'ToChannelFromBotOAuthScope',
      'OAuthUrl',
      'ToBotFromEmulatorOpenIdMetadataUrl',
      'CallerId',
    ]) {
      assert.ok(!(key in passed), key);
    }
  });

  for (const only of ['BOT_TOKEN_ISSUER', 'BOT_CALLER_ID', 'BOT_OPENID_METADATA_URL'] as const) {
    it(`refuses ${only} alone, naming every missing required setting`, () => {
      const value = only === 'BOT_OPENID_METADATA_URL' ? CHANNEL.BOT_OPENID_METADATA_URL : 'urn:botframework:azure';
      const text = problems({ ...BOT, [only]: value }).join('\n');
      for (const key of Object.keys(CHANNEL).filter((k) => k !== only))
        assert.match(text, new RegExp(`^${key}: required once any Bot Framework channel setting`, 'm'));
    });
  }

  it('refuses the channel settings without an app id (they would authenticate nothing)', () => {
    assert.match(problems(CHANNEL).join('\n'), /MICROSOFT_APP_ID: required with the Bot Framework channel settings/);
  });

  it('refuses plain http off loopback, allows it on loopback', () => {
    assert.match(
      problems({
        ...BOT,
        ...CHANNEL,
        BOT_OPENID_METADATA_URL: 'http://login.example/v1/.well-known/openidconfiguration',
      }).join('\n'),
      /BOT_OPENID_METADATA_URL: must use https/,
    );
    assert.deepEqual(
      problems({
        ...BOT,
        ...CHANNEL,
        BOT_OPENID_METADATA_URL: 'http://127.0.0.1:9000/v1/.well-known/openidconfiguration',
      }),
      [],
    );
  });

  it('passes the complete set under botbuilder names, with the default issuer', () => {
    const passed = botFrameworkAuthConfig(
      loadConfig({ ...BOT, ...CHANNEL, BOT_CALLER_ID: 'urn:botframework:azureusgov' }),
    );
    assert.deepEqual(
      {
        metadata: passed.ToBotFromChannelOpenIdMetadataUrl,
        issuer: passed.ToBotFromChannelTokenIssuer,
        login: passed.ToChannelFromBotLoginUrl,
        scope: passed.ToChannelFromBotOAuthScope,
        oauth: passed.OAuthUrl,
        emulator: passed.ToBotFromEmulatorOpenIdMetadataUrl,
        caller: passed.CallerId,
        appId: passed.MicrosoftAppId,
      },
      {
        metadata: CHANNEL.BOT_OPENID_METADATA_URL,
        issuer: 'https://api.botframework.com',
        login: CHANNEL.BOT_LOGIN_URL,
        scope: CHANNEL.BOT_OAUTH_SCOPE,
        oauth: CHANNEL.BOT_OAUTH_URL,
        emulator: CHANNEL.BOT_EMULATOR_OPENID_METADATA_URL,
        caller: 'urn:botframework:azureusgov',
        appId: BOT.MICROSOFT_APP_ID,
      },
    );
    assert.equal(
      botFrameworkAuthConfig(loadConfig({ ...BOT, ...CHANNEL, BOT_TOKEN_ISSUER: 'https://api.botframework.us' }))
        .ToBotFromChannelTokenIssuer,
      'https://api.botframework.us',
    );
  });
});
