import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { loadConfig } from '../../bot/config.js';
import type { DevTenant } from '../../devtenant/index.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { startIdentityBot, type IdentityBot } from '../identity/harness.js';

/**
 * The start-up sweep of abandoned work (approvals stuck "executing", interrupted commands) is best effort like the
 * periodic one: a sweep that fails must neither stop the bot nor leave a half-started one listening.
 */
describe('approvals: the start-up sweep of abandoned work is best effort', function () {
  this.timeout(60_000);
  let dev: DevTenant;
  let dir: string;
  const bots: IdentityBot[] = [];

  before(async () => {
    dev = await startTestDevTenant();
    dir = mkdtempSync(join(tmpdir(), 'startup-sweep-'));
  });
  after(async () => {
    for (const bot of bots) await bot.close().catch(() => undefined);
    await dev?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a bot whose start-up sweep fails still starts, serves, and logs the failure', async () => {
    const env = { TEAMS_SSO: 'false', DATA_DIR: dir };
    const first = await startIdentityBot(dev, env);
    await first.close();
    // Break what the sweep reads (the migration stays recorded, so nothing recreates the table).
    const sqlite = new BetterSqlite3(join(dir, 'bot.sqlite'));
    sqlite.pragma('foreign_keys = OFF');
    sqlite.exec('DROP TABLE approvals');
    sqlite.close();

    const second = await startIdentityBot(dev, env);
    bots.push(second);
    assert.ok(
      second.logs.lines.some((l) => l.msg === 'sweep of abandoned work failed'),
      'the failed sweep is logged',
    );
    const response = await fetch(`${second.bot.url}/api/messages`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    assert.ok(response.status >= 400 && response.status < 500, `the server answers (got ${response.status})`);
  });
});

describe('approvals: abandoned-work threshold', () => {
  it('is at least 60 s, so a live command (Graph budget plus margin) is never recorded as interrupted', () => {
    assert.throws(() => loadConfig({ ABANDONED_AFTER_SECONDS: '59' }), /ABANDONED_AFTER_SECONDS/);
    assert.equal(loadConfig({ ABANDONED_AFTER_SECONDS: '60' }).ABANDONED_AFTER_SECONDS, 60);
    assert.equal(loadConfig({}).ABANDONED_AFTER_SECONDS, 600);
  });
});
