import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { openSqliteStore, type BotStore } from '../../../bot/store/database.js';
import { JobRepository } from '../../../bot/jobs/repository.js';
import { CSV_HEADER, resultsCsv, resultsHash, safeCell } from '../../../bot/jobs/report.js';

describe('bulk results CSV', () => {
  let store: BotStore;
  before(async () => (store = await openSqliteStore(':memory:')));
  after(() => store.close());

  it('neutralises cells a spreadsheet would run as a formula', () => {
    for (const cell of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) assert.equal(safeCell(cell), `'${cell}`);
    for (const cell of ['alice@contoso.com', 'AllOn (direct)', '']) assert.equal(safeCell(cell), cell);
  });

  it('writes every user with before, after, outcome, Graph code and request-id, and hashes the results', async () => {
    const repo = new JobRepository(store.db);
    const job = await repo.create({
      tenantId: 't',
      requester: { aadId: 'a', upn: 'Admin@x', teamsId: '29:a' },
      conversation: {},
      verb: 'user block',
      params: { family: 'account', action: 'block', desired: 'disabled' },
      target: { kind: 'users', users: ['=cmd@x'] },
    });
    await repo.addItems(
      job.id,
      0,
      [
        { userId: 'u1', upn: '=HYPERLINK("http://evil")@x' },
        { userId: 'u2', upn: 'bob@x' },
      ],
      20,
    );
    await repo.finishResolution(job.id, 2, 20, {}, false);
    await store.db
      .updateTable('bulk_jobs')
      .set({ status: 'running', lease_owner: 'me' })
      .where('id', '=', job.id)
      .execute();
    const hashBefore = await resultsHash(repo, job.id);
    assert.ok(
      await repo.commitChunk(
        job.id,
        0,
        'me',
        [
          { seq: 0, before: 'enabled', after: 'disabled', outcome: 'changed', requestId: 'r-1' },
          {
            seq: 1,
            before: 'enabled',
            after: 'enabled',
            outcome: 'failed',
            code: '-Request_BadRequest',
            requestId: 'r-2',
          },
        ],
        ['r-1', 'r-2'],
      ),
    );
    const rows = parse((await resultsCsv(repo, (await repo.get(job.id))!)).toString('utf8')) as string[][];
    assert.deepEqual(rows[0], CSV_HEADER);
    assert.deepEqual(rows[1], [
      '\'=HYPERLINK("http://evil")@x',
      'u1',
      'sign-in allowed',
      'sign-in blocked',
      'changed',
      '',
      'r-1',
    ]);
    assert.deepEqual(rows[2], [
      'bob@x',
      'u2',
      'sign-in allowed',
      'sign-in allowed',
      'failed',
      "'-Request_BadRequest",
      'r-2',
    ]);
    assert.notEqual(await resultsHash(repo, job.id), hashBefore, 'the hash pins the recorded outcomes');
    assert.ok(!(await repo.commitChunk(job.id, 0, 'someone-else', [], [])), 'only the lease holder commits');
  });
});
