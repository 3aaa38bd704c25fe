import assert from 'node:assert/strict';
import { CommandHarness } from '../helpers/command-harness.js';
import { DEMO } from '../helpers/devtenant.js';
import { RecordedFiles } from '../helpers/recorded-files.js';

describe('command: audit export', () => {
  const files = new RecordedFiles();
  const harness = new CommandHarness();
  before(async () => {
    await harness.start({}, { services: { files } });
    harness.signIn(DEMO.admin);
    await harness.ask(`user ${DEMO.alice}`);
  });
  after(() => harness.close());

  it('offers the chain as JSON Lines and CSV files in a 1:1 chat, and names no server path', async () => {
    const answer = await harness.ask('audit export');
    assert.deepEqual(answer.problems, []);
    const [jsonl, csv] = files.offered.slice(-2).map((o) => o.file);
    assert.match(jsonl.name, /^audit-.*\.jsonl$/);
    assert.match(csv.name, /^audit-.*\.csv$/);
    const records = jsonl.content.toString('utf8').trim().split('\n');
    assert.ok(records.length >= 3, 'the earlier command and this one are in the chain');
    assert.equal(
      csv.content.toString('utf8').trim().split('\n').length,
      records.length + 1,
      'CSV: a header + a row each',
    );
    assert.match(csv.content.toString('utf8'), /^seq,id,at,/);
    assert.match(answer.text, new RegExp(`${records.length} records`));
    assert.match(answer.text, /accept the file card/);
    assert.doesNotMatch(answer.text, /\/(tmp|work|home)\/|audit-exports|:memory:/);
  });

  it('in a group chat offers nothing and asks for a 1:1 chat', async () => {
    const before = files.offered.length;
    const answer = await harness.ask('audit export', {
      conversation: { id: '19:group', conversationType: 'groupChat', isGroup: true, name: '' },
    });
    assert.match(answer.text, /1:1 chat only: ask me "audit export" there/);
    assert.equal(files.offered.length, before);
  });
});
