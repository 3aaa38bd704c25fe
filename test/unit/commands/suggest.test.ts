import assert from 'node:assert/strict';
import { closestNames, editDistance } from '../../../bot/commands/suggest.js';

describe('suggestions', () => {
  it('computes edit distance', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('help', 'help'), 0);
  });
  it('finds the closest single- and multi-word commands', () => {
    const names = ['help', 'whoami', 'user', 'user search', 'user block', 'team archive'];
    assert.deepEqual(closestNames(['hepl'], names), ['help']);
    assert.deepEqual(closestNames(['usr', 'serch', 'ali'], names).slice(0, 1), ['user search']);
    assert.deepEqual(closestNames(['xyzzyplugh'], names), []);
  });
});
