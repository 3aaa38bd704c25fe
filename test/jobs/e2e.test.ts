import assert from 'node:assert/strict';
import { CommandRegistry } from '../../bot/commands/registry.js';
import type { DevTenant } from '../../devtenant/index.js';
import { catalog } from '../helpers/catalog.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { RAISED_RATE_LIMITS } from '../helpers/raised-rate-limits.js';
import {
  fromUser,
  readReply,
  sayThroughSignIn,
  startIdentityBot,
  teamsUser,
  type IdentityBot,
  type TeamsUser,
} from '../identity/harness.js';

/**
 * The real composition (compose.ts: identity, runner, Messenger through the Bot Framework connector): a bulk grant
 * previewed and run by a signed-in Teams admin, its progress card posted once and updated in place until done.
 */
describe('bulk job end to end (compose, sign-in, connector)', () => {
  let dev: DevTenant;
  let ib: IdentityBot;
  let admin: TeamsUser;

  before(async () => {
    dev = await startTestDevTenant();
    ib = await startIdentityBot(
      dev,
      { TEAMS_SSO: 'false', ...RAISED_RATE_LIMITS },
      new CommandRegistry(catalog('help', 'whoami', 'bulk', 'bulk run', 'bulk approve-run')),
    );
    admin = teamsUser(dev, 'admin');
  });
  after(async () => {
    await ib?.close();
    await dev?.close();
  });

  it(
    'previews, runs as the signed-in admin, and updates one progress card in place to the final result (sign out ' +
      '25 users)',
    async () => {
      const users = [...dev.tenant.liveUsers()].filter((u) => u.accountEnabled !== false).slice(10, 35);
      const say = (text: string) => sayThroughSignIn(ib, dev, admin, fromUser(admin, dev, ib.connector, { text }));
      const preview = (await say(`bulk user revoke --users ${users.map((u) => u.userPrincipalName).join(',')}`)).at(
        -1,
      )!;
      assert.match(preview.text, /Preview: nothing changed yet/);
      const id = /Job\n([0-9A-F]{8})/.exec(preview.text)![1];
      const since = ib.connector.replies.length;
      const started = (await say(`bulk run ${id}`)).at(-1)!;
      assert.match(started.text, /started|sign in|MFA/i);
      const deadline = Date.now() + 20_000;
      let final: string | undefined;
      while (!final && Date.now() < deadline) {
        const updates = ib.connector.replies
          .slice(since)
          .filter((r) => r.method === 'PUT')
          .map((r) => readReply(r).text);
        final = updates.find((t) => /Done: user revoke/.test(t));
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(final, 'the progress card was updated in place to the final card');
      assert.match(final, /Changed\n25\n/);
      assert.match(final, /Failed\n0\n/);
      const posts = ib.connector.replies
        .slice(since)
        .filter((r) => r.method === 'POST' && /Running|Done/.test(readReply(r).text));
      assert.equal(posts.length, 1, 'one progress card, then updates');
      const revoked = dev.graph.requestLog.filter((e) => e.url.endsWith('/revokeSignInSessions') && e.status === 200);
      assert.deepEqual(
        new Set(revoked.map((e) => e.url.split('/')[3])),
        new Set(users.map((u) => u.id)),
        'every user signed out once',
      );
      assert.equal(revoked.length, users.length);
    },
  );
});
