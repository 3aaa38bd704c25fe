import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DevTenant } from '../../devtenant/index.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { registerTestSecret } from '../helpers/secrets.js';
import {
  followSignInLink,
  fromUser,
  say,
  startIdentityBot,
  teamsUser,
  waitReplies,
  type IdentityBot,
} from './harness.js';

describe('identity: the token cache is shared by instances and encrypted at rest', function () {
  // Generous under load (two shared cores); each test normally takes one to three seconds.
  this.timeout(60_000);
  let dev: DevTenant;
  let dataDir: string;
  let first: IdentityBot;
  let second: IdentityBot;
  const key = randomBytes(32).toString('base64');
  registerTestSecret(key);

  before(async () => {
    dev = await startTestDevTenant();
    dataDir = mkdtempSync(join(tmpdir(), 'bot-identity-'));
    first = await startIdentityBot(dev, { TEAMS_SSO: 'false', DATA_DIR: dataDir, TOKEN_CACHE_KEY: key });
    second = await startIdentityBot(dev, { TEAMS_SSO: 'false', DATA_DIR: dataDir, TOKEN_CACHE_KEY: key });
  });
  after(async () => {
    await first?.close();
    await second?.close();
    await dev?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a sign-in on one instance serves commands on the other; a sign-out on either signs out everywhere', async () => {
    const admin = teamsUser(dev, 'admin');
    const [card] = await say(first, fromUser(admin, dev, first.connector, { text: 'probe read' }));
    const since = first.connector.replies.length;
    await followSignInLink(first, dev, card.url!, admin);
    await waitReplies(first, since, 2);

    const [elsewhere] = await say(second, fromUser(admin, dev, second.connector, { text: 'probe read' }));
    assert.match(elsewhere.text, /read ok: Adele Admin/);

    const rows = await first.bot.store.db.selectFrom('token_cache').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].partition_key, `${admin.oid}.${dev.tenant.id}`);
    assert.match(rows[0].data, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.throws(() => JSON.parse(rows[0].data), 'not readable JSON');
    assert.doesNotMatch(rows[0].data, /AccessToken|RefreshToken|eyJ0eXAi/);

    const [out] = await say(second, fromUser(admin, dev, second.connector, { text: 'signout' }));
    assert.match(out.text, /Signed out/);
    const [back] = await say(first, fromUser(admin, dev, first.connector, { text: 'probe read' }));
    assert.match(back.text, /Sign in to run "probe read"/, 'the first instance forgot its in-memory copy too');
  });

  it('an instance with another key cannot read the cache: the user is simply asked to sign in', async () => {
    const admin = teamsUser(dev, 'admin');
    const [card] = await say(first, fromUser(admin, dev, first.connector, { text: 'probe read' }));
    assert.ok(card.url, card.text);
    const since = first.connector.replies.length;
    await followSignInLink(first, dev, card.url!, admin);
    await waitReplies(first, since, 2);
    const other = await startIdentityBot(dev, { TEAMS_SSO: 'false', DATA_DIR: dataDir });
    try {
      const [asked] = await say(other, fromUser(admin, dev, other.connector, { text: 'probe read' }));
      assert.match(asked.text, /Sign in to run "probe read"/);
      assert.ok(
        other.logs.lines.some((l) => l.msg === 'token cache partition could not be decrypted; treating it as empty'),
      );
    } finally {
      await other.close();
    }
  });
});
