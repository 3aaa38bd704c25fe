import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AREAS } from '../../../bot/commands/areas.js';
import { CommandRegistry } from '../../../bot/commands/registry.js';

const COMMANDS_DIR = fileURLToPath(new URL('../../../bot/commands/', import.meta.url));

describe('command areas', () => {
  it('are the folders: commands carry their folder as area, and each folder has a label for help', async () => {
    const folders = readdirSync(COMMANDS_DIR).filter(
      (entry) => !entry.startsWith('_') && statSync(join(COMMANDS_DIR, entry)).isDirectory(),
    );
    const registry = await CommandRegistry.discover();
    assert.deepEqual([...new Set(registry.all().map((c) => c.area))].sort(), folders.sort());
    assert.deepEqual(
      folders.filter((f) => !AREAS[f]),
      [],
      'add a label to bot/commands/areas.ts for a new folder',
    );
    const labels = Object.values(AREAS).map((a) => a.label);
    assert.equal(new Set(labels).size, labels.length, 'labels are unique (help buttons)');
  });
});
