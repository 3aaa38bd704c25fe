import assert from 'node:assert/strict';
import { z } from 'zod';
import { ApprovalRepository } from '../../bot/approvals/repository.js';
import { ApprovalService } from '../../bot/approvals/service.js';
import { InterruptedWork, INTERRUPTED_OUTCOME } from '../../bot/audit/interrupted.js';
import { AuditLog } from '../../bot/audit/log.js';
import { CommandRegistry, inArea } from '../../bot/commands/registry.js';
import { noIdentityGate } from '../../bot/commands/gate.js';
import { CommandRunner } from '../../bot/commands/runner.js';
import { defineCommand, type AdminSession } from '../../bot/commands/types.js';
import { CodedError, ErrorCode } from '../../bot/errors.js';
import { AuthorityUnreachableError } from '../../bot/identity/unreachable.js';
import { openSqliteStore, type BotStore } from '../../bot/store/database.js';
import { isStoreUnavailable } from '../../bot/store/unavailable.js';
import { GraphUnavailableError } from '../../bot/graph/errors.js';
import { captureLogger } from '../helpers/log-capture.js';

const ADDRESS = { conversationId: 'c', kind: 'personal' as const, channelRef: '{}' };

/**
 * The reconciliation behind the kill -9 tests, case by case on a throwaway store: which start records count as
 * interrupted, that the completion is appended exactly once even when several instances reconcile at the same
 * moment, and that later passes read only what is new.
 */
describe('process faults: interrupted work in the audit chain', () => {
  let store: BotStore;
  let audit: AuditLog;
  const actor = { actorAadId: 'oid-1', actorUpn: 'admin@contoso.onmicrosoft.com', conversationId: 'a:1' };

  beforeEach(async () => {
    store = await openSqliteStore(':memory:');
    audit = new AuditLog(store.db);
  });
  afterEach(async () => {
    await store.close();
  });

  const rows = async () =>
    store.db
      .selectFrom('audit_log')
      .select(['seq', 'id', 'action', 'outcome', 'ref_id', 'command', 'approval_id'])
      .orderBy('seq')
      .execute();

  it(
    'appends one "interrupted" record per start that never finished, naming it; finished starts and other records ' +
      'are left alone',
    async () => {
      const open = await audit.append({
        ...actor,
        action: 'command.start',
        command: 'user block',
        tier: 'write',
        outcome: 'started',
      });
      const done = await audit.append({
        ...actor,
        action: 'command.start',
        command: 'user',
        tier: 'read',
        outcome: 'started',
      });
      await audit.append({
        ...actor,
        action: 'command.end',
        command: 'user',
        outcome: 'succeeded',
        completes: done.id,
      });
      const execution = await audit.append({
        ...actor,
        action: 'approval.execute.start',
        command: 'admin block',
        approvalId: 'AB12CD34EF',
        outcome: 'started',
      });
      await audit.append({ ...actor, action: 'signin', outcome: 'succeeded' });
      const written = await new InterruptedWork(store.db, audit, 0).reconcile(Date.now() + 1);
      assert.deepEqual(
        written.map((r) => [r.action, r.ref_id]),
        [
          ['command.interrupted', open.id],
          ['approval.execute.interrupted', execution.id],
        ],
      );
      const all = await rows();
      assert.equal(all.length, 7, 'appended, nothing rewritten');
      assert.equal(all[6].approval_id, 'AB12CD34EF');
      assert.equal(all[5].outcome, INTERRUPTED_OUTCOME);
      assert.deepEqual(await audit.verify(), { ok: true, records: 7 });
    },
  );

  it('leaves a start younger than the threshold alone (it may still be running), and records it once it is old', async () => {
    const start = await audit.append({ ...actor, action: 'command.start', command: 'user block', outcome: 'started' });
    const work = new InterruptedWork(store.db, audit, 60_000);
    assert.deepEqual(await work.reconcile(Number(start.at) + 59_000), []);
    assert.deepEqual(
      (await work.reconcile(Number(start.at) + 61_000)).map((r) => r.ref_id),
      [start.id],
    );
    assert.deepEqual(await work.reconcile(Number(start.at) + 120_000), [], 'never twice');
  });

  it('a start that finished after an earlier pass saw it open is not recorded as interrupted', async () => {
    const start = await audit.append({ ...actor, action: 'command.start', command: 'user block', outcome: 'started' });
    const work = new InterruptedWork(store.db, audit, 60_000);
    assert.deepEqual(await work.reconcile(Number(start.at) + 1_000), []);
    await audit.append({
      ...actor,
      action: 'command.end',
      command: 'user block',
      outcome: 'succeeded',
      completes: start.id,
    });
    assert.deepEqual(await work.reconcile(Number(start.at) + 61_000), []);
  });

  it('several instances reconciling at the same moment write one completion per start', async () => {
    const starts = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        audit.append({ ...actor, action: 'command.start', command: `c${i}`, outcome: 'started' }),
      ),
    );
    const now = Date.now() + 1;
    const passes = await Promise.all(
      Array.from({ length: 4 }, () => new InterruptedWork(store.db, audit, 0).reconcile(now)),
    );
    assert.equal(passes.flat().length, starts.length);
    const completions = (await rows())
      .filter((r) => r.action === 'command.interrupted')
      .map((r) => r.ref_id)
      .sort();
    assert.deepEqual(completions, starts.map((s) => s.id).sort());
    assert.deepEqual(await audit.verify(), { ok: true, records: 10 });
  });

  it('a later pass reads only what was appended since (or since the oldest start still open)', async () => {
    let read = 0;
    const counted = store.db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => ((read += args.result.rows.length), args.result),
    });
    const work = new InterruptedWork(counted, audit, 60_000);
    const complete = async () => {
      const start = await audit.append({ ...actor, action: 'command.start', command: 'user', outcome: 'started' });
      await audit.append({
        ...actor,
        action: 'command.end',
        command: 'user',
        outcome: 'succeeded',
        completes: start.id,
      });
    };
    for (let i = 0; i < 3; i++) await complete();
    await work.reconcile();
    assert.equal(read, 6, 'the first pass reads the chain');
    read = 0;
    await work.reconcile();
    assert.equal(read, 0, 'nothing new, nothing read');
    const open = await audit.append({ ...actor, action: 'command.start', command: 'user block', outcome: 'started' });
    await complete();
    read = 0;
    await work.reconcile(Number(open.at) + 1_000);
    assert.equal(read, 3);
    read = 0;
    await work.reconcile(Number(open.at) + 2_000);
    assert.equal(read, 3, 'the young open start keeps its part of the chain in view');
    read = 0;
    assert.deepEqual(
      (await work.reconcile(Number(open.at) + 61_000)).map((r) => r.ref_id),
      [open.id],
    );
  });
});

/**
 * An approved execution is claimed ("executing") before it runs. If it cannot even start — the requester's sign-in
 * cannot be renewed (identity provider down) or its audit start record cannot be written — it must end "failed,
 * nothing was run", not stay "executing" until the sweeper calls it "outcome unknown".
 */
describe('process faults: an approved execution that cannot start', () => {
  let store: BotStore;
  let runs = 0;
  const command = inArea(
    'test',
    defineCommand({
      name: 'probe danger',
      summary: 'Counts its runs.',
      usage: 'probe danger',
      examples: ['probe danger'],
      args: { positional: [], schema: z.object({}).strict() },
      tier: 'dangerous',
      scopes: [],
      async run() {
        runs++;
        return { card: 'notice', data: { title: 'ran', message: 'ran', actions: [] }, text: 'ran' };
      },
    }),
  );
  const session = {
    oid: 'requester',
    upn: 'admin@contoso.onmicrosoft.com',
    tenantId: 'tenant',
    roleTemplateIds: [],
    mfa: { amr: ['mfa'], acrs: [] },
    accessToken: async () => 'x',
  } as unknown as AdminSession;

  beforeEach(async () => {
    store = await openSqliteStore(':memory:');
    runs = 0;
  });
  afterEach(async () => {
    await store.close();
  });

  async function approvedThenExecuted(
    sessions: () => Promise<AdminSession | undefined>,
    audit: AuditLog,
  ): Promise<{ status: string; outcome: string | null }> {
    const repo = new ApprovalRepository(store.db);
    const service = new ApprovalService({
      repo,
      audit,
      registry: new CommandRegistry([command]),
      messenger: {
        post: async (address) => ({ address, messageId: '' }),
        update: async () => undefined,
        members: async () => [],
      },
      sessions,
      settings: { ttlMs: 60_000, approverRoleTemplateIds: [] },
      log: captureLogger().log,
    });
    const row = await repo.create({
      requesterAadId: 'requester',
      requesterUpn: 'admin@contoso.onmicrosoft.com',
      requesterTeamsId: '29:admin',
      tenantId: 'tenant',
      commandName: 'probe danger',
      commandText: 'probe danger',
      args: {},
      resolvedTarget: '—',
      justification: 'test',
      conversationRef: { card: ADDRESS, requester: ADDRESS },
      viewerIds: [],
      ttlMs: 60_000,
    });
    assert.ok(await repo.decide(row.id, 'approved', { aadId: 'approver', upn: 'approver@contoso.onmicrosoft.com' }));
    const release = await service.released(row.id);
    const registry = new CommandRegistry([command]);
    const runner = new CommandRunner({
      registry,
      gate: noIdentityGate,
      services: { registry, audit },
      log: captureLogger().log,
    });
    await release.done(
      await runner.run({ ...release.request, correlationId: 'test' }, { send: async () => undefined }),
    );
    const after = (await repo.get(row.id))!;
    return { status: after.status, outcome: after.outcome };
  }

  it("the identity provider is down when the requester's sign-in is renewed: failed, nothing was run", async () => {
    const result = await approvedThenExecuted(async () => {
      throw new AuthorityUnreachableError();
    }, new AuditLog(store.db));
    assert.equal(result.status, 'failed');
    assert.match(result.outcome ?? '', /could not be checked.*identity provider.*nothing was run/);
    assert.equal(runs, 0);
  });

  it('the audit start record cannot be written: failed, nothing was run', async () => {
    const audit = new AuditLog(store.db);
    audit.append = async () => {
      throw new CodedError(ErrorCode.Storage, 'The audit record could not be written, so nothing was done.');
    };
    const result = await approvedThenExecuted(async () => session, audit);
    assert.equal(result.status, 'failed');
    assert.match(result.outcome ?? '', /audit record could not be written, so nothing was done/);
    assert.equal(runs, 0);
  });
});

describe('process faults: which failures mean "the database is unavailable"', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  const cases: Array<[string, unknown, boolean]> = [
    ['PostgreSQL refusing connections', refused, true],
    [
      'the audit append that failed because of it',
      new CodedError(ErrorCode.Storage, 'The audit record could not be written, so nothing was done.', {
        cause: refused,
      }),
      true,
    ],
    [
      'the server shutting down (57P01)',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      true,
    ],
    ['a cut connection', new Error('Connection terminated unexpectedly'), true],
    ['the pool giving up waiting', new Error('timeout exceeded when trying to connect'), true],
    ['SQLite unable to write', Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' }), true],
    [
      'a Graph failure over a refused connection',
      new CodedError(ErrorCode.Graph, 'Graph could not be reached.', { cause: refused }),
      false,
    ],
    ['the identity provider unreachable', new AuthorityUnreachableError({ cause: refused }), false],
    [
      'Graph unavailable',
      new GraphUnavailableError('ConnectionLost', 'Graph could not be reached.', { attempts: 3, waitedMs: 1500 }),
      false,
    ],
    [
      'a unique violation (a conflict, not an outage)',
      Object.assign(new Error('duplicate key value'), { code: '23505' }),
      false,
    ],
    ['a query bug', Object.assign(new Error('relation "x" does not exist'), { code: '42P01' }), false],
    ['anything else', new Error('boom'), false],
  ];
  for (const [name, err, expected] of cases) {
    it(`${name}: ${expected ? 'unavailable' : 'not the database being away'}`, () =>
      assert.equal(isStoreUnavailable(err), expected));
  }
});
