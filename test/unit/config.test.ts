import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../bot/config.js';

describe('configuration', () => {
  it('runs locally with nothing set', () => {
    const config = loadConfig({});
    assert.equal(config.HOST, '127.0.0.1');
    assert.equal(config.PORT, 3978);
    assert.equal(config.MICROSOFT_APP_ID, undefined);
  });

  it('refuses to listen beyond loopback without a bot app id', () => {
    assert.throws(
      () => loadConfig({ HOST: '0.0.0.0' }),
      (err: unknown) => err instanceof ConfigError && /HOST: without MICROSOFT_APP_ID/.test(err.message),
    );
  });

  it('lists every problem at once, naming the variable and what it should be', () => {
    try {
      loadConfig({ PORT: 'eighty', MICROSOFT_APP_ID: 'not-a-guid', LOG_LEVEL: 'loud' });
      assert.fail('expected a ConfigError');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      const text = err.problems.join('\n');
      assert.match(text, /PORT/);
      assert.match(text, /MICROSOFT_APP_ID: must be the bot app id, a GUID/);
      assert.match(text, /LOG_LEVEL/);
    }
  });

  it('never echoes a secret value in its errors', () => {
    const secret = 'S3cr3t~value-that-must-not-print';
    try {
      loadConfig({
        MICROSOFT_APP_ID: '11111111-2222-4333-8444-555555555555',
        MICROSOFT_APP_PASSWORD: secret,
        MICROSOFT_APP_TYPE: 'Bogus',
      });
      assert.fail('expected a ConfigError');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.ok(!err.message.includes(secret));
    }
  });

  it('requires the secret and tenant of a single-tenant bot', () => {
    assert.throws(
      () => loadConfig({ MICROSOFT_APP_ID: '11111111-2222-4333-8444-555555555555' }),
      /MICROSOFT_APP_PASSWORD[\s\S]*MICROSOFT_APP_TENANT_ID/,
    );
  });
});
