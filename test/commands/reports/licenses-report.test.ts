import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { CommandHarness } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { RecordedFiles } from '../../helpers/recorded-files.js';
import { warmUp } from '../mfa/_warm-up.js';

describe('command: licenses report', () => {
  const files = new RecordedFiles();
  const harness = new CommandHarness();
  before(async () => {
    await harness.start({}, { services: { files } });
    harness.signIn(DEMO.admin);
    await warmUp(harness);
  });
  after(() => harness.close());

  it('seats, consumption per SKU and users with assignment errors equal the seed', async () => {
    const tenant = harness.dev.tenant;
    const [bob, alice] = [tenant.userByUpn(DEMO.bob)!, tenant.userByUpn(DEMO.alice)!];
    const sku = tenant.subscribedSkus[0];
    bob.licenseErrors = [{ skuId: sku.skuId, error: 'CountViolation', groupId: tenant.newId() }];
    alice.licenseErrors = [{ skuId: sku.skuId, error: 'MutuallyExclusiveViolation' }];
    try {
      const answer = await harness.ask('licenses report --csv');
      assert.deepEqual(answer.problems, []);
      const users = [...tenant.liveUsers()];
      const seats = tenant.subscribedSkus.reduce((sum, s) => sum + s.prepaidUnits.enabled, 0);
      let used = 0;
      for (const s of tenant.subscribedSkus) {
        const consumed = users.filter((u) => u.assignedLicenses.some((l) => l.skuId === s.skuId)).length;
        used += consumed;
        assert.match(answer.summary, new RegExp(`${s.skuPartNumber} ${consumed}/${s.prepaidUnits.enabled}\\b`));
      }
      assert.match(answer.summary, new RegExp(`^Licences: ${used} of ${seats} seats used, ${seats - used} unassigned`));
      assert.match(answer.summary, /; 2 users with licence assignment errors\.$/);
      assert.match(answer.text, new RegExp(DEMO.bob));
      assert.match(answer.text, /CountViolation/);
      const rows = parse(files.lastText(), { columns: true }) as Record<string, string>[];
      const licensed = users.filter((u) => u.assignedLicenses.length || u.licenseErrors?.length).length;
      assert.equal(rows.length, licensed);
      assert.match(
        rows.find((r) => r.userPrincipalName === DEMO.bob)!.errors,
        new RegExp(`${sku.skuPartNumber}: CountViolation`),
      );
    } finally {
      delete bob.licenseErrors;
      delete alice.licenseErrors;
    }
  });
});
