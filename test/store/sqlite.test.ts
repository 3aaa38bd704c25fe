import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../bot/store/database.js';
import { storageContract } from './storage-contract.js';

storageContract('sqlite (in memory)', () => openSqliteStore(':memory:'));

describe('sqlite store on disk', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('creates the database on first start and keeps data across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bot-store-'));
    dirs.push(dir);
    const first = await openSqliteStore(join(dir, 'nested'));
    await first.storage.write({ k: { v: 42 } });
    await first.close();
    const second = await openSqliteStore(join(dir, 'nested'));
    assert.equal((await second.storage.read(['k'])).k.v, 42);
    await second.close();
  });
});
