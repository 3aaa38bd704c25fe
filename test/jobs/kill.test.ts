import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DevTenant } from '../../devtenant/index.js';
import { ensureTlsMaterial } from '../../devtenant/identity/key-material.js';
import { APP_IDS, BOT_CLIENT_SECRET } from '../../devtenant/seed/index.js';
import { ConnectorStandIn } from '../helpers/connector.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { registerTestSecret } from '../helpers/secrets.js';
import { cardText } from '../helpers/test-adapter.js';
import { startKillableBot, type KillableBot } from '../helpers/bot-process.js';
import { PUBLIC_BASE_URL, teamsUser, type TeamsUser } from '../identity/harness.js';
import { Chat } from '../security/process/chat.js';
import { startGraphHold, type GraphHold } from '../security/process/graph-hold.js';

/**
 * kill -9 of the bot process with a bulk job's write in flight (Graph applied the chunk's PATCHes; the answer is
 * held back), then a new process on the same SQLite file: it takes the expired lease, reconciles the chunk in flight
 * by reading, and finishes. No user missing, none written twice (from the stand-in's request log).
 */
describe('bulk job: kill -9 mid-job, a new process finishes it (SQLite on disk)', function () {
  this.timeout(180_000);
  let dev: DevTenant;
  let connector: ConnectorStandIn;
  let graph: GraphHold;
  let chat: Chat;
  let first: KillableBot | undefined;
  let second: KillableBot | undefined;
  let env: Record<string, string>;
  let admin: TeamsUser;
  let dataDir: string;
  let batches = 0;
  let armed = false;

  before(async () => {
    [dev, connector] = await Promise.all([startTestDevTenant(), new ConnectorStandIn().start()]);
    const tls = await ensureTlsMaterial(join(process.cwd(), 'test-results', 'devtenant'));
    // One chunk at a time: once armed (at `bulk run`), $batch #1 reads chunk 0, #2 writes it — that answer is held.
    graph = await startGraphHold(
      dev.graph.url,
      { key: tls.serverKeyPem, cert: tls.serverCertPem, ca: tls.caCertPem },
      (method, path) => armed && method === 'POST' && path.includes('$batch') && ++batches === 2,
    );
    const cacheKey = randomBytes(32).toString('base64');
    registerTestSecret(cacheKey);
    registerTestSecret(BOT_CLIENT_SECRET);
    dataDir = mkdtempSync(join(tmpdir(), 'bulk-kill-'));
    env = {
      DATA_DIR: dataDir,
      IDENTITY_AUTHORITY: dev.identity.authority,
      IDENTITY_CLIENT_ID: APP_IDS.bot,
      IDENTITY_CLIENT_SECRET: BOT_CLIENT_SECRET,
      EXTRA_CA_FILE: dev.identity.caCertPath,
      PUBLIC_BASE_URL,
      GRAPH_BASE_URL: graph.url,
      TOKEN_CACHE_KEY: cacheKey,
      BULK_MAX_CONCURRENCY: '1',
      TEAMS_SSO: 'false',
    };
    first = await startKillableBot(env);
    chat = new Chat(dev, connector);
    admin = teamsUser(dev, 'admin');
  });
  after(async () => {
    await Promise.all([first?.kill(), second?.kill()]);
    await graph?.close();
    await connector?.close();
    await dev?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes after the kill: every user unblocked, each written once', async () => {
    const users = [...dev.tenant.liveUsers()].filter((u) => u.accountEnabled !== false).slice(10, 55);
    for (const u of users) u.accountEnabled = false;
    const preview = await chat.sayAsSignedIn(
      first!.url,
      admin,
      `bulk user unblock --users ${users.map((u) => u.userPrincipalName).join(',')}`,
    );
    const id = /Job\n([0-9A-F]{8})/.exec(preview.at(-1)!.text)?.[1];
    assert.ok(id, preview.at(-1)!.text);
    armed = true;
    await chat.sayAsSignedIn(first!.url, admin, `bulk run ${id}`);
    await graph.whenHeld('$batch');
    await first!.kill();
    first = undefined;
    const applied = users.filter((u) => u.accountEnabled !== false).length;
    assert.equal(applied, 20, 'chunk 0 was applied by Graph before the kill');
    // The new process's clock runs 2 minutes ahead: the dead process's 60 s lease has expired for it.
    second = await startKillableBot({
      ...env,
      NODE_OPTIONS: `--import ${pathToFileURL(join(process.cwd(), 'test/security/process/clock-ahead.mjs')).href}`,
      BOT_TEST_CLOCK_AHEAD_MS: '120000',
    });
    const deadline = Date.now() + 60_000;
    let final: string | undefined;
    while (!final && Date.now() < deadline) {
      final = connector.replies
        .filter((r) => r.method === 'PUT')
        .map((r) => cardText(r.activity.attachments?.[0]?.content as Record<string, unknown>))
        .find((text) => text.includes(`Job ${id}`) && /Done: user unblock/.test(text));
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(final, 'the final card replaced the progress card');
    assert.match(final, /Changed\n45\n/);
    assert.match(final, /Failed\n0\n/);
    assert.ok(
      users.every((u) => u.accountEnabled !== false),
      'no user missing',
    );
    for (const u of users) {
      const patches = dev.graph.requestLog.filter((e) => e.method === 'PATCH' && e.url.endsWith(`/users/${u.id}`));
      assert.equal(patches.length, 1, `${u.userPrincipalName} written once`);
    }
  });
});
