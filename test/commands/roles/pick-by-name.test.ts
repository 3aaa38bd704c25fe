import assert from 'node:assert/strict';
import { AmbiguousTargetError, NotFoundError } from '../../../bot/errors.js';
import { pickByName } from '../../../bot/commands/_lib/pick-by-name.js';

const ROLES = [
  'Global Administrator',
  'Global Reader',
  'Teams Administrator',
  'Teams Communications Administrator',
].map((name) => ({ name }));
const view = { name: (r: { name: string }) => r.name, noun: 'role' };

describe('pickByName', () => {
  it('an exact name wins (case-insensitive) even when it is also part of longer names', () => {
    assert.equal(pickByName(ROLES, 'teams administrator', view).name, 'Teams Administrator');
  });

  it('otherwise the only name that contains the text', () => {
    assert.equal(pickByName(ROLES, 'reader', view).name, 'Global Reader');
  });

  it('several candidates → a choice, never a guess', () => {
    assert.throws(
      () => pickByName(ROLES, 'global', view),
      (err: unknown) =>
        err instanceof AmbiguousTargetError &&
        err.candidates.map((c) => c.value).join('|') === 'Global Administrator|Global Reader',
    );
  });

  it('nothing → a not-found that lists what exists', () => {
    assert.throws(
      () => pickByName(ROLES, 'coffee', view),
      (err: unknown) => err instanceof NotFoundError && /Known: Global Administrator/.test(err.message),
    );
  });
});
