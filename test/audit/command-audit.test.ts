import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { CommandHarness } from '../helpers/command-harness.js';
import { DEMO } from '../helpers/devtenant.js';

describe('audit of commands', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin, { amr: ['pwd', 'mfa'] });
  });
  after(() => harness.close());

  async function records() {
    return harness.store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  }

  it('writes a start record before and an end record after, with MFA evidence and Graph request-ids', async () => {
    const before = (await records()).length;
    const answer = await harness.ask(`user ${DEMO.alice}`);
    const added = (await records()).slice(before);
    assert.deepEqual(
      added.map((r) => r.action),
      ['command.start', 'command.end'],
    );
    const [start, end] = added;
    assert.equal(start.actor_upn, DEMO.admin);
    assert.equal(start.command, 'user');
    assert.equal(start.tier, 'read');
    assert.deepEqual(JSON.parse(start.args!), { user: DEMO.alice });
    assert.deepEqual(JSON.parse(start.mfa!).amr, ['pwd', 'mfa']);
    assert.equal(end.ref_id, start.id);
    assert.equal(end.outcome, 'succeeded');
    assert.deepEqual(JSON.parse(end.graph_request_ids!), [answer.graph[0].requestId]);
  });

  it('records a failed command with its error code', async () => {
    await harness.ask('user nobody@contoso.onmicrosoft.com');
    const last = (await records()).at(-1)!;
    assert.equal(last.action, 'command.end');
    assert.equal(last.outcome, 'failed:graph');
  });

  it('shows recent records and verifies the chain from chat', async () => {
    const list = await harness.ask('audit --since 1h');
    assert.deepEqual(list.problems, []);
    assert.match(list.text, /user/);
    assert.match(list.text, /MFA ✓/);
    assert.match((await harness.ask('audit verify')).text, /Audit chain intact/);
  });

  it('names a tampered record in audit verify', async () => {
    await sql`update audit_log set actor_upn = 'someone-else@contoso.onmicrosoft.com' where seq = 2`.execute(
      harness.store.db,
    );
    const answer = await harness.ask('audit verify');
    assert.match(answer.text, /Record #2 fails verification/);
  });

  it('runs nothing when the audit record cannot be written', async () => {
    await sql`drop table audit_log`.execute(harness.store.db);
    const answer = await harness.ask(`user ${DEMO.alice}`);
    assert.match(answer.text, /audit record could not be written, so nothing was done/);
    assert.equal(answer.graph.length, 0);
  });
});
