import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { knownTestSecrets } from './helpers/secrets.js';
import { TEST_LOG_DIR } from './helpers/log-capture.js';

/**
 * Runs last (files are sorted): scans every log line the bot wrote during this test run for anything that looks
 * like a token or equals a secret the tests used. A leak anywhere in the run fails here.
 */
describe('log output of the whole test run', () => {
  it('contains no token, password, TOTP secret, code or client secret', () => {
    const files = existsSync(TEST_LOG_DIR) ? readdirSync(TEST_LOG_DIR).filter((f) => f.endsWith('.jsonl')) : [];
    const own = files.filter((f) => f === `run-${process.pid}.jsonl`);
    assert.ok(own.length === 1, 'this run wrote bot logs to scan');
    const text = readFileSync(join(TEST_LOG_DIR, own[0]), 'utf8');
    assert.ok(text.length > 0);
    const jwt = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;
    assert.doesNotMatch(text, jwt, 'a JWT appears in the logs');
    assert.doesNotMatch(text, /"(authorization|password|client_secret|code_verifier)"\s*:\s*"(?!\[redacted\])/i);
    for (const secret of knownTestSecrets()) {
      assert.ok(!text.includes(secret), `a known test secret (${secret.slice(0, 3)}…) appears in the logs`);
    }
  });
});
