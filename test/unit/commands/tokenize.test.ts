import assert from 'node:assert/strict';
import { MessageTooLongError, UsageError } from '../../../bot/errors.js';
import { normalizeText, tokenize } from '../../../bot/commands/tokenize.js';

describe('normalizeText', () => {
  it('removes Teams mention markup wherever it is', () => {
    assert.equal(normalizeText('<at>Admin Bot</at> user   alice@contoso.com'), 'user alice@contoso.com');
    assert.equal(normalizeText('team archive <at>Admin Bot</at> "X"'), 'team archive "X"');
  });
  it('unescapes HTML entities and straightens curly quotes', () => {
    assert.equal(normalizeText('team &quot;R&amp;D&quot;'), 'team "R&D"');
    assert.equal(normalizeText('team \u201CProject X\u201D'), 'team "Project X"');
    assert.equal(normalizeText('group \u2018Sales\u2019'), "group 'Sales'");
  });
  it('turns whitespace-only text into an empty string', () => {
    assert.equal(normalizeText(' \n\t &nbsp; '), '');
  });
});

describe('tokenize', () => {
  it('keeps quoted values together and drops the quotes', () => {
    assert.deepEqual(tokenize('policy grant alice TeamsMeetingPolicy "All On"'), [
      'policy',
      'grant',
      'alice',
      'TeamsMeetingPolicy',
      'All On',
    ]);
    assert.deepEqual(tokenize("team archive 'Project X' --readonly-site"), [
      'team',
      'archive',
      'Project X',
      '--readonly-site',
    ]);
  });
  it('keeps an apostrophe inside a word', () => {
    assert.deepEqual(tokenize("user o'brien@contoso.com"), ['user', "o'brien@contoso.com"]);
  });
  it('keeps an empty quoted value as an empty word', () => {
    assert.deepEqual(tokenize('group ""'), ['group', '']);
  });
  it('refuses an unbalanced quote and says where it starts', () => {
    assert.throws(
      () => tokenize('team "Project X'),
      (err: unknown) => err instanceof UsageError && /character 6/.test(err.message),
    );
  });
  it('refuses text longer than any command before doing work', () => {
    assert.throws(() => tokenize('a'.repeat(20_000)), MessageTooLongError);
  });
});
