import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CommandRegistry } from '../../../bot/commands/registry.js';
import { commandReference } from '../../../bot/commands/reference.js';

describe('COMMANDS.md', () => {
  it('is what the descriptors generate (run `npm run docs:commands` after changing a command)', async () => {
    const registry = await CommandRegistry.discover();
    assert.equal(readFileSync('COMMANDS.md', 'utf8'), commandReference(registry.all()));
  });
});
