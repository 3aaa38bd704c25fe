import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { DEMO } from '../helpers/devtenant.js';
import { requestLine } from '../helpers/command-harness.js';
import {
  finished,
  jobIdOf,
  startBulkHarness,
  type BulkHarness,
  type BulkJobs,
  type FakeMessenger,
  until,
} from './_fixture.js';
import type { CommandHarness } from '../helpers/command-harness.js';
import type { JobRepository } from '../../bot/jobs/repository.js';
import { createBulkJobs } from '../../bot/jobs/index.js';
import { captureLogger } from '../helpers/log-capture.js';

describe('bulk jobs (SQLite, devtenant over HTTPS)', () => {
  let harness: CommandHarness;
  let jobs: BulkJobs;
  let messenger: FakeMessenger;
  let files: BulkHarness['files'];
  let repo: JobRepository;
  let graphFor: BulkHarness['graphFor'];

  before(async () => {
    ({ harness, jobs, messenger, files, repo, graphFor } = await startBulkHarness({ approvalThreshold: 30 }));
    harness.signIn(DEMO.teamsAdmin);
  });
  after(async () => {
    await jobs.runner.stop();
    await harness.close();
  });
  beforeEach(() => messenger.clear());

  const tenant = () => harness.dev.tenant;
  const policy = (type: string, name: string) =>
    tenant().teamsPolicies.find((p) => p.policyType === type && p.name === name)!;
  const direct = (userId: string, type: string) =>
    tenant().teamsPolicyAssignments.find(
      (a) => a.userId === userId && a.policyType === type && a.assignmentType === 'direct',
    );
  /** Ordinary members (no fixed demo admin) of the demo tenant, by UPN. */
  const plainUsers = (n: number) =>
    [...tenant().liveUsers()]
      .filter((u) => !Object.values(DEMO).includes(u.userPrincipalName as never) && u.accountEnabled !== false)
      .slice(0, n);

  it('previews without changing anything: count, sample, already-in-state, requests and estimate', async () => {
    const users = plainUsers(3);
    const before = tenant().teamsPolicyAssignments.length;
    const answer = await harness.ask(
      `bulk policy grant TeamsMeetingPolicy "AllOff" --users ${users.map((u) => u.userPrincipalName).join(',')}`,
    );
    assert.deepEqual(answer.problems, []);
    assert.match(answer.text, /Preview: nothing changed yet/);
    assert.match(answer.text, /Users\n3/);
    assert.match(answer.text, /Already in that state\n0 of 3/);
    assert.match(answer.text, /Graph requests\nabout 4/);
    assert.match(answer.text, /Estimated time/);
    assert.ok(answer.graph.every((e) => e.method === 'GET' || requestLine(e) === 'POST /v1.0/$batch'));
    assert.ok(
      answer.graph.filter((e) => e.viaBatch).every((e) => e.method === 'GET'),
      'only reads in batches',
    );
    assert.equal(tenant().teamsPolicyAssignments.length, before, 'nothing assigned');
    const id = jobIdOf(answer.text);
    assert.equal((await repo.get(id))?.status, 'preview');
  });

  it('says in the preview when the states cannot be read (those users would fail the same way)', async () => {
    const [user] = plainUsers(1);
    const answer = await harness.askAs(
      DEMO.userAdmin,
      `bulk policy revoke TeamsMeetingPolicy --users ${user.userPrincipalName}`,
    );
    assert.deepEqual(answer.problems, []);
    assert.match(answer.text, /1 of the 1 checked could not be read \(Authorization_RequestDenied\)/);
  });

  it('runs a previewed grant: every user assigned, final card with counts, CSV and an audit job record', async () => {
    const users = plainUsers(23); // two chunks (20 + 3)
    const allOff = policy('TeamsMeetingPolicy', 'AllOff');
    const preview = await harness.ask(
      `bulk policy grant TeamsMeetingPolicy "AllOff" --users ${users.map((u) => u.userPrincipalName).join(',')}`,
    );
    const id = jobIdOf(preview.text);
    const started = await harness.ask(`bulk run ${id}`);
    assert.match(started.text, /started/);
    const job = await finished(repo, id);
    assert.equal(job.status, 'done');
    for (const u of users)
      assert.equal(direct(u.id, 'TeamsMeetingPolicy')?.policyId, allOff.policyId, u.userPrincipalName);
    const counts = await repo.counts(id);
    assert.equal(counts.remaining, 0);
    assert.equal(counts.changed + counts.skipped, 23);
    const final = messenger.latest()!;
    assert.match(final.text, new RegExp(`Job ${id} done`));
    assert.ok(messenger.posts.length === 1, 'one progress card, updated in place');
    // Audit: one job record with the counts and the hash of the per-user results; one record per chunk.
    const records = await harness.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'like', 'bulk.%')
      .execute();
    const jobRecord = records.find((r) => r.action === 'bulk.job' && r.args?.includes(id));
    assert.ok(jobRecord, 'job audit record');
    assert.match(jobRecord.args!, /resultsSha256":"[0-9a-f]{64}"/);
    assert.match(jobRecord.mfa ?? '', /mfa/);
    assert.equal(records.filter((r) => r.action === 'bulk.chunk' && r.args?.includes(id)).length, 2);
    // CSV through the file delivery port.
    const report = await harness.ask(`bulk report ${id}`);
    assert.match(report.text, /Accept the file card/);
    const csv = parse(files.offered.at(-1)!.content.toString('utf8')) as string[][];
    assert.deepEqual(csv[0], ['UPN', 'id', 'before', 'after', 'outcome', 'Graph code', 'request-id']);
    assert.equal(csv.length, 24);
    assert.ok(csv.slice(1).every((row) => row[4] === 'changed' || row[4] === 'skipped'));
    assert.ok(csv.slice(1).some((row) => row[3] === 'AllOff (direct)'));
  });

  it('undo restores every before-state through the same preview', async () => {
    const users = plainUsers(4);
    const allOn = policy('TeamsMeetingPolicy', 'AllOn');
    const beforeIds = users.map((u) => direct(u.id, 'TeamsMeetingPolicy')?.policyId ?? null);
    const grant = await harness.ask(
      `bulk policy grant TeamsMeetingPolicy "AllOn" --users ${users.map((u) => u.userPrincipalName).join(',')}`,
    );
    const id = jobIdOf(grant.text);
    await harness.ask(`bulk run ${id}`);
    await finished(repo, id);
    for (const u of users) assert.equal(direct(u.id, 'TeamsMeetingPolicy')?.policyId, allOn.policyId);
    const undoPreview = await harness.ask(`bulk undo ${id}`);
    assert.match(undoPreview.text, /Preview: nothing changed yet/);
    const undoId = jobIdOf(undoPreview.text);
    await harness.ask(`bulk run ${undoId}`);
    assert.equal((await finished(repo, undoId)).status, 'done');
    users.forEach((u, i) =>
      assert.equal(direct(u.id, 'TeamsMeetingPolicy')?.policyId ?? null, beforeIds[i], u.userPrincipalName),
    );
  });

  it('resolves --group to its transitive user members, paged, and --filter through the validated filter', async () => {
    const sales = tenant().groups.find((g) => g.displayName === 'Sales')!;
    const members = [...sales.memberIds].filter((id) => tenant().userById(id));
    const answer = await harness.ask('bulk policy revoke TeamsMeetingPolicy --group "Sales"');
    assert.match(answer.text, new RegExp(`Users\\n${members.length}\\n`));
    assert.ok(
      answer.graph.some((e) =>
        requestLine(e).includes(`/groups/${sales.id}/transitiveMembers?$select=id,userPrincipalName`),
      ),
    );
    const department = [...tenant().liveUsers()].find((u) => u.department)!.department!;
    const inDepartment = [...tenant().liveUsers()].filter((u) => u.department === department).length;
    const filtered = await harness.ask(`bulk user unblock --filter "department eq '${department}'"`);
    assert.match(filtered.text, new RegExp(`Users\\n${inDepartment}\\n`));
    const sent = filtered.graph.find((e) => e.url.includes('/users?'))!;
    assert.match(decodeURIComponent(sent.url), new RegExp(`\\$filter=department eq '${department}'`));
  });

  it('refuses a filter that is not a filter expression, before any Graph request', async () => {
    for (const bad of ["department eq 'x'&$top=1", "department eq 'x') or (1", 'id eq $1', 'any(x:x eq 1)']) {
      const answer = await harness.ask(`bulk user revoke --filter "${bad}"`);
      assert.match(answer.text, /--filter must be an OData filter/, bad);
      assert.equal(answer.graph.length, 0, bad);
    }
    const none = await harness.ask('bulk user revoke');
    assert.match(none.text, /exactly one of --group/);
  });

  it('needs a second admin above the size threshold and for block: bulk run refuses, nothing changes', async () => {
    const users = plainUsers(31);
    const big = await harness.ask(
      `bulk policy revoke TeamsMeetingPolicy --users ${users.map((u) => u.userPrincipalName).join(',')}`,
    );
    assert.match(big.text, /Needs a second admin/);
    assert.match(big.text, /Ask for approval/);
    const id = jobIdOf(big.text);
    const refused = await harness.ask(`bulk run ${id}`);
    assert.match(refused.text, /needs a second admin's approval/);
    assert.equal((await repo.get(id))?.status, 'preview');
    const block = await harness.ask(`bulk user block --users ${users[0].userPrincipalName}`);
    assert.match(block.text, /Needs a second admin/);
    const blockRun = await harness.ask(`bulk run ${jobIdOf(block.text)}`);
    assert.match(blockRun.text, /needs a second admin's approval/);
    assert.notEqual(tenant().userById(users[0].id)?.accountEnabled, false, 'still enabled');
  });

  it('approve-run starts the job only for an approval being executed, and records the approver', async () => {
    const users = plainUsers(31);
    const big = await harness.ask(`bulk user unblock --users ${users.map((u) => u.userPrincipalName).join(',')}`);
    const id = jobIdOf(big.text);
    // The harness gate lets dangerous commands through: without an approval being executed, nothing starts.
    const unapproved = await harness.ask(`bulk approve-run ${id} --reason "roll-out of the new policy"`);
    assert.match(unapproved.text, /runs only once a second admin has approved it/);
    assert.equal((await repo.get(id))?.status, 'preview');
    const requester = await harness.sessionFor(DEMO.teamsAdmin);
    const now = Date.now();
    await harness.store.db
      .insertInto('approvals')
      .values({
        id: 'A1',
        version: 2,
        status: 'executing',
        requester_aad_id: requester.oid,
        requester_upn: DEMO.teamsAdmin,
        command_name: 'bulk approve-run',
        command_text: `bulk approve-run ${id}`,
        resolved_target: id,
        justification: 'roll-out of the new policy',
        ticket: null,
        conversation_ref: '{}',
        activity_id: null,
        decided_by_aad_id: 'x',
        decided_by_upn: DEMO.admin,
        decision_note: null,
        outcome: null,
        created_at: now,
        expires_at: now + 60_000,
        updated_at: now,
        args: JSON.stringify({ id }),
        requester_teams_id: null,
        tenant_id: requester.tenantId,
        viewer_ids: null,
        graph_request_ids: null,
      })
      .execute();
    const approved = await harness.ask(`bulk approve-run ${id} --reason "roll-out of the new policy"`);
    assert.match(approved.text, /started/);
    const job = await finished(repo, id);
    assert.equal(job.approved_by_upn, DEMO.admin);
    const final = await harness.ask(`bulk show ${id}`);
    assert.match(final.text, new RegExp(`Approved by\n${DEMO.admin}`));
  });

  it('pauses with "sign in to continue" when the requester has no session, then continues after run', async () => {
    const users = plainUsers(2);
    const preview = await harness.ask(`bulk user revoke --users ${users.map((u) => u.userPrincipalName).join(',')}`);
    const id = jobIdOf(preview.text);
    const signedOut = createBulkJobs(
      {},
      { store: harness.store, log: captureLogger().log, sessions: async () => undefined, graphFor, messenger },
    );
    await repo.transition(id, ['preview'], 'running');
    assert.equal(await signedOut.runner.tick(), id);
    await signedOut.runner.settled(id);
    const paused = await repo.get(id);
    assert.deepEqual([paused?.status, paused?.detail], ['paused', 'sign-in']);
    assert.match(messenger.latest()!.text, /paused/);
    assert.match(JSON.stringify(messenger.latest()!.data), /Paused: sign in to continue/);
    await harness.ask(`bulk run ${id}`); // resumes, on an instance where the admin is signed in
    assert.equal((await finished(repo, id)).status, 'done');
  });

  it('pause, resume and cancel: requester only (or approver), audited; a paused job sends nothing', async () => {
    const users = plainUsers(5);
    const preview = await harness.ask(`bulk user revoke --users ${users.map((u) => u.userPrincipalName).join(',')}`);
    const id = jobIdOf(preview.text);
    // The first chunk's write is slow (Graph applies it, the answer takes 400 ms): the pause lands mid-chunk.
    harness.dev.graph.faults.add({ method: 'POST', path: '/$batch', first: 1, fault: { kind: 'delay', ms: 400 } });
    await harness.ask(`bulk run ${id}`);
    await until(
      async () =>
        (await repo.chunkItems(id, 0)).some((i) => i.before !== null) || (await repo.get(id))?.lease_owner !== null,
      'the job to start',
    );
    const pause = await harness.ask(`bulk pause ${id}`);
    assert.match(pause.text, /paused/);
    await jobs.runner.settled(id);
    assert.equal((await repo.get(id))?.status, 'paused');
    harness.dev.graph.clearLog();
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(harness.dev.graph.requestLog.length, 0, 'a paused job sends nothing');
    const other = await harness.askAs(DEMO.admin, `bulk run ${id}`);
    assert.match(other.text, /Only the requester or the approver/);
    assert.equal((await repo.get(id))?.status, 'paused');
    await harness.ask(`bulk run ${id}`);
    assert.equal((await finished(repo, id)).status, 'done');
    const cancelPreview = await harness.ask(`bulk user revoke --users ${users[0].userPrincipalName}`);
    const cancelId = jobIdOf(cancelPreview.text);
    const cancelled = await harness.ask(`bulk cancel ${cancelId}`);
    assert.match(cancelled.text, /Cancelled/);
    const run = await harness.ask(`bulk run ${cancelId}`);
    assert.match(run.text, /already cancelled/);
    const audit = await harness.store.db
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('action', 'in', ['bulk.pause', 'bulk.resume', 'bulk.cancel'])
      .execute();
    assert.ok(audit.some((r) => r.action === 'bulk.cancel' && r.outcome === 'cancelled'));
    assert.ok(audit.some((r) => r.action === 'bulk.resume' && r.outcome === 'running'));
  });

  it('cancel of a running job stops after the chunk in flight and posts the final card (nothing more sent)', async () => {
    const users = plainUsers(25);
    const preview = await harness.ask(`bulk user revoke --users ${users.map((u) => u.userPrincipalName).join(',')}`);
    const id = jobIdOf(preview.text);
    harness.dev.graph.faults.add({ method: 'POST', path: '/$batch', first: 1, fault: { kind: 'delay', ms: 400 } });
    await harness.ask(`bulk run ${id}`);
    await until(async () => (await repo.get(id))?.lease_owner === 'instance-A', 'the job to start');
    const cancelled = await harness.ask(`bulk cancel ${id}`);
    assert.match(cancelled.text, /cancelled/);
    await jobs.runner.settled(id);
    const job = await repo.get(id);
    assert.equal(job?.status, 'cancelled');
    assert.ok((await repo.counts(id)).remaining > 0, 'the rest was not sent');
    assert.match(messenger.latest()!.text, new RegExp(`Job ${id} cancelled`));
    const audit = await harness.store.db
      .selectFrom('audit_log')
      .select(['outcome'])
      .where('action', '=', 'bulk.job')
      .execute();
    assert.ok(
      audit.some((r) => r.outcome === 'cancelled'),
      'the job record says cancelled',
    );
  });

  it(
    'crash: another instance takes over an abandoned lease and reconciles the chunk in flight (no user written ' +
      'twice)',
    async () => {
      const users = plainUsers(25);
      const restricted = policy('TeamsMeetingPolicy', 'RestrictedAnonymousAccess');
      const preview = await harness.ask(
        `bulk policy grant TeamsMeetingPolicy "RestrictedAnonymousAccess" --users ${users.map((u) => u.userPrincipalName).join(',')}`,
      );
      const id = jobIdOf(preview.text);
      // Instance "dead" started the job, recorded chunk 0's before-states, sent its write (applied in the tenant),
      // and died before committing the outcome: chunk 0 is `writing`, its lease expired.
      await harness.store.db
        .updateTable('bulk_jobs')
        .set({ status: 'running', lease_owner: 'dead', lease_until: Date.now() + 60_000 })
        .where('id', '=', id)
        .execute();
      const chunk0 = await repo.chunkItems(id, 0);
      const befores = new Map(
        chunk0.map((i) => {
          const d = direct(i.user_id, 'TeamsMeetingPolicy');
          return [i.seq, d ? `direct:${d.policyId}:x` : 'none'] as [number, string];
        }),
      );
      assert.ok(await repo.markWriting(id, 0, 'dead', befores));
      // The dead instance's write, sent through Graph as the requester: applied, its answer never committed.
      await graphFor(await harness.sessionFor(DEMO.teamsAdmin)).post('/admin/teams/policy/userAssignments/assign', {
        value: chunk0.map((item) => ({
          userId: item.user_id,
          policyType: 'TeamsMeetingPolicy',
          policyId: restricted.policyId,
        })),
      });
      await harness.store.db
        .updateTable('bulk_jobs')
        .set({ lease_until: Date.now() - 1 })
        .where('id', '=', id)
        .execute();
      harness.dev.graph.clearLog();
      // Instance B (same store): claims the expired lease and continues from the first chunk without an outcome.
      const b = createBulkJobs(
        {},
        {
          store: harness.store,
          log: captureLogger().log,
          sessions: async (oid) => harness.sessionFor(tenant().userById(oid)!.userPrincipalName),
          graphFor,
          runner: { heartbeatMs: 30, progressMinMs: 0, progressMaxMs: 50, leaseMs: 5_000 },
          instanceId: 'instance-B',
        },
      );
      assert.equal(await b.runner.tick(), id);
      await b.runner.settled(id);
      const job = await finished(repo, id);
      assert.equal(job.status, 'done');
      for (const u of users) assert.equal(direct(u.id, 'TeamsMeetingPolicy')?.policyId, restricted.policyId);
      const assigns = harness.dev.graph.requestLog.filter(
        (e) => requestLine(e) === 'POST /v1.0/admin/teams/policy/userAssignments/assign',
      );
      assert.equal(assigns.length, 1, 'only chunk 1 is written; chunk 0 was reconciled by reading');
      const items = await repo.chunkItems(id, 0);
      assert.ok(items.every((i) => i.outcome === 'changed' || i.outcome === 'skipped'));
      assert.deepEqual(
        items.map((i) => i.before),
        [...befores.values()],
        'recorded before-states kept for undo',
      );
    },
  );
});
