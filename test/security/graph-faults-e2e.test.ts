import assert from 'node:assert/strict';
import type { DevTenant } from '../../devtenant/index.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import {
  followSignInLink,
  fromUser,
  pageMessage,
  say,
  startIdentityBot,
  teamsUser,
  waitReplies,
  type IdentityBot,
  type TeamsUser,
} from '../identity/harness.js';

/**
 * Graph faults through the whole bot over HTTP: Teams activity → the real composition (bot/compose.ts, configured
 * from env, so GRAPH_*_TIMEOUT_MS and GRAPH_COMMAND_BUDGET_MS are the ones in force) → replies to the connector
 * stand-in, with the admin signed in (MFA) at the devtenant and faults injected into its Graph.
 */
describe('Graph faults end to end (real bot over HTTP, connector stand-in, devtenant)', function () {
  this.timeout(90_000);
  const ENV = {
    TEAMS_SSO: 'false',
    GRAPH_READ_TIMEOUT_MS: '1500',
    GRAPH_WRITE_TIMEOUT_MS: '1500',
    GRAPH_COMMAND_BUDGET_MS: '5000',
  };
  let dev: DevTenant;
  let ib: IdentityBot;
  let admin: TeamsUser;
  const ownUser = () => new RegExp(`^/users/${admin.oid}$`, 'i');
  const writes = () => dev.graph.requestLog.filter((r) => r.method === 'PATCH' && r.url.includes(admin.oid));
  const timed = async (text: string) => {
    const started = Date.now();
    const [reply] = await say(ib, fromUser(admin, dev, ib.connector, { text }));
    return { reply, ms: Date.now() - started };
  };

  before(async () => {
    dev = await startTestDevTenant();
    ib = await startIdentityBot(dev, ENV);
    admin = teamsUser(dev, 'admin');
    // One sign-in with TOTP (the parked write needs fresh MFA, so the first sign-in asks for it); the write then runs.
    const [card] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe write Before' }));
    const since = ib.connector.replies.length;
    const first = await followSignInLink(ib, dev, card.url!, admin);
    assert.equal(first.page?.status, 200, pageMessage(first.page?.body ?? ''));
    const [, result] = await waitReplies(ib, since, 2);
    assert.match(result.text, /write ok: Before/);
  });
  after(async () => {
    await ib?.close();
    await dev?.close();
  });
  beforeEach(() => {
    dev.graph.faults.clear();
    dev.graph.clearLog();
  });

  it('a write whose connection dies after Graph applied it: applied once, not sent again, the card says to check', async () => {
    dev.graph.faults.set([{ method: 'PATCH', path: ownUser(), first: 1, fault: { kind: 'resetAfterApply' } }]);
    const { reply } = await timed('probe write After');
    assert.match(
      reply.text,
      /Outcome unknown[\s\S]*connection to Graph broke[\s\S]*not sent again[\s\S]*ConnectionLost/,
      reply.text,
    );
    assert.doesNotMatch(reply.text, /\bat \w+ \(|node_modules/);
    assert.equal(writes().length, 1, 'one attempt');
    assert.equal(dev.tenant.userById(admin.oid)?.jobTitle, 'After', 'and it was applied');
    const [next] = await say(ib, fromUser(admin, dev, ib.connector, { text: 'probe read' }));
    assert.match(next.text, /read ok/);
  });

  it('a 429 storm: Retry-After honoured, the bot gives up within GRAPH_COMMAND_BUDGET_MS and says so', async () => {
    dev.graph.faults.set([{ path: ownUser(), fault: { kind: 'status', status: 429, retryAfter: 1 } }]);
    const { reply, ms } = await timed('probe read');
    assert.match(
      reply.text,
      /throttling[\s\S]*Tried \d times, waiting \d\.\d s in all[\s\S]*TooManyRequests/,
      reply.text,
    );
    assert.ok(ms >= 2_000 && ms < 7_500, `bounded (${ms} ms)`);
    const attempts = dev.graph.requestLog.filter((r) => r.fault === 'status');
    assert.ok(attempts.length >= 3 && attempts.length <= 4, `${attempts.length} attempts`);
    assert.ok(reply.text.includes(attempts.at(-1)!.requestId), 'the card shows the request-id');
  });

  it("a hanging Graph: the configured read timeout and budget end the turn well inside Teams' 15 s", async () => {
    dev.graph.faults.set([{ method: 'GET', path: ownUser(), fault: { kind: 'delay', ms: 8_000 } }]);
    const { reply, ms } = await timed('probe read');
    // The last attempt may get less than 1.5 s: attempts never outlast the command's budget.
    assert.match(reply.text, /did not answer within (1\.5|1\.\d|1) s[\s\S]*Timeout/, reply.text);
    assert.ok(ms < 7_500, `answered in ${ms} ms`);
  });

  it('a write timing out: never sent again, even though reads would be', async () => {
    dev.graph.faults.set([{ method: 'PATCH', path: ownUser(), fault: { kind: 'delay', ms: 3_000 } }]);
    const { reply } = await timed('probe write Slow');
    assert.match(reply.text, /Outcome unknown[\s\S]*did not answer within 1\.5 s[\s\S]*Timeout/, reply.text);
    assert.equal(writes().length, 1);
  });
});
