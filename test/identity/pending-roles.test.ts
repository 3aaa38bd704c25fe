import assert from 'node:assert/strict';
import type { DevTenant } from '../../devtenant/index.js';
import { AdmissionDenied, admissionAfter, admitted } from '../../bot/commands/admission.js';
import { RecentAdmins } from '../../bot/identity/pending-roles.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import {
  fromUser,
  say,
  sayThroughSignIn,
  startIdentityBot,
  teamsUser,
  type IdentityBot,
  type TeamsUser,
} from './harness.js';

/**
 * Issue 14: a read's admin-role re-check runs alongside the read's first Graph request (one round trip on the
 * critical path instead of two); writes still check first. Over HTTP against the devtenant.
 */
describe('identity: role re-check alongside a read, over HTTP against the devtenant', function () {
  this.timeout(60_000);
  let dev: DevTenant;
  let ib: IdentityBot;

  before(async () => {
    dev = await startTestDevTenant();
    ib = await startIdentityBot(dev);
  });
  after(async () => {
    await ib?.close();
    await dev?.close();
  });

  const message = (user: TeamsUser, text: string) => fromUser(user, dev, ib.connector, { text });
  const lastSeq = async () =>
    Number(
      (await ib.bot.store.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst())
        ?.seq ?? 0,
    );
  const isRoleCheck = (url: string) => url.includes('roleAssignmentScheduleInstances');
  const isProbeRead = (url: string) => /\/users\/[^/?]+\?\$select=displayName/.test(url);

  it('a read whose role check fails shows nothing of the read: refused as by the gate, audited the same', async () => {
    const admin = teamsUser(dev, 'useradmin');
    const displayName = dev.tenant.userById(admin.oid)!.displayName;
    const first = await sayThroughSignIn(ib, dev, admin, message(admin, 'probe read'));
    assert.match(first.at(-1)!.text, /read ok/, 'an admin a moment ago (the bot now expects an admin)');

    const removed = dev.tenant.roleAssignments.filter((a) => a.principalId === admin.oid);
    for (const a of removed) dev.tenant.roleAssignments.splice(dev.tenant.roleAssignments.indexOf(a), 1);
    try {
      const auditBefore = await lastSeq();
      const graphBefore = dev.graph.requestLog.length;
      const replies = await say(ib, message(admin, 'probe read'));
      await new Promise((r) => setTimeout(r, 100)); // a late card or audit record would show up now

      assert.equal(replies.length, 1);
      assert.match(replies[0]!.text, /Admin role needed/);
      assert.doesNotMatch(replies[0]!.text, /read ok/);
      assert.ok(!replies[0]!.text.includes(displayName), 'nothing the read returned');
      assert.equal(ib.connector.replies.length, ib.connector.replies.indexOf(replies[0]!.reply) + 1, 'no later card');
      const graph = dev.graph.requestLog.slice(graphBefore);
      // The read was really sent alongside the check (so this proves the discard, not a skipped read).
      assert.equal(graph.filter((e) => isRoleCheck(e.url)).length, 1);
      assert.equal(graph.filter((e) => isProbeRead(e.url)).length, 1);

      const records = await ib.bot.store.db
        .selectFrom('audit_log')
        .select(['action', 'outcome', 'command', 'actor_upn'])
        .where('seq', '>', auditBefore)
        .execute();
      assert.deepEqual(records, [
        { action: 'command.refused', outcome: 'not-admin', command: 'probe read', actor_upn: null },
      ]);
    } finally {
      dev.tenant.roleAssignments.push(...removed);
    }
    // Refused once: the next read checks first (no read is sent before the check), and runs again as an admin.
    const graphBefore = dev.graph.requestLog.length;
    assert.match((await say(ib, message(admin, 'probe read')))[0]!.text, /read ok/);
    const order = dev.graph.requestLog.slice(graphBefore).map((e) => (isRoleCheck(e.url) ? 'check' : 'read'));
    assert.deepEqual(order, ['check', 'read']);
  });

  it('critical path: a read takes one sequential Graph round trip, a write two (measured with injected latency)', async () => {
    const admin = teamsUser(dev, 'admin');
    // Signed in with MFA (the write needs it); the read's first run also makes the bot know an admin.
    await sayThroughSignIn(ib, dev, admin, message(admin, 'probe write Lead'));
    assert.match((await say(ib, message(admin, 'probe read')))[0]!.text, /read ok/);
    const delayMs = 200;
    dev.graph.faults.set([{ path: '/**', fault: { kind: 'delay', ms: delayMs } }]);
    try {
      // Each request's log entry is written when it arrives; its answer leaves `delayMs` later.
      const arrivals = async (text: string) => {
        dev.graph.clearLog();
        const started = Date.now();
        const [reply] = await say(ib, message(admin, text));
        const log = dev.graph.requestLog.filter((e) => !e.viaBatch);
        return { reply: reply!.text, ms: Date.now() - started, at: log.map((e) => Date.parse(e.time)), log };
      };
      const read = await arrivals('probe read');
      assert.match(read.reply, /read ok/);
      assert.equal(read.at.length, 2, 'role check + the read');
      assert.ok(isRoleCheck(read.log[0]!.url) || isRoleCheck(read.log[1]!.url));
      assert.ok(read.at[1]! - read.at[0]! < delayMs, `in flight together (${read.at[1]! - read.at[0]!} ms apart)`);
      // (Elapsed time is not asserted: on a loaded machine local work can take longer than a round trip.)

      const write = await arrivals('probe write Lead');
      assert.match(write.reply, /Lead/);
      assert.deepEqual(
        write.log.map((e) => (isRoleCheck(e.url) ? 'check' : e.method)),
        ['check', 'PATCH'],
      );
      assert.ok(write.at[1]! - write.at[0]! >= delayMs, 'the write is sent only after the check answered');
      assert.ok(write.ms >= 2 * delayMs);
    } finally {
      dev.graph.faults.clear();
    }
  });
});

describe('identity: admission of a read (unit)', () => {
  const denied = () =>
    new AdmissionDenied({ kind: 'refuse', reason: 'not-admin', reply: { card: 'notice', data: {}, text: 'no' } });

  it("a denial replaces the command's result and its error; steps added with `before` run only when allowed", async () => {
    let step = 0;
    const refused = admissionAfter(Promise.reject(denied()));
    refused.before(async () => void step++);
    await assert.rejects(
      admitted(refused, async () => 'secret'),
      AdmissionDenied,
    );
    await assert.rejects(
      admitted(refused, async () => Promise.reject(new Error('not found: secret'))),
      AdmissionDenied,
    );
    assert.equal(step, 0);

    const allowed = admissionAfter(new Promise((r) => setTimeout(r, 20)));
    allowed.before(async () => void step++);
    assert.equal(await admitted(allowed, async () => 'result'), 'result');
    assert.equal(step, 1);
  });

  it('remembers who was an admin for ten minutes, forgets on refusal, stays bounded', () => {
    let now = 0;
    const recent = new RecentAdmins(() => now);
    recent.remember('A-1');
    assert.equal(recent.has('a-1'), true);
    now += 10 * 60_000;
    assert.equal(recent.has('a-1'), false);
    recent.remember('a-1');
    recent.forget('A-1');
    assert.equal(recent.has('a-1'), false);
    for (let i = 0; i <= 10_000; i++) recent.remember(`u${i}`);
    assert.equal(recent.has('u0'), false, 'the oldest entry is dropped past 10,000');
    assert.equal(recent.has('u10000'), true);
  });
});
