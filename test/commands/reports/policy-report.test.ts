import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { CommandHarness, requestParts } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { RecordedFiles } from '../../helpers/recorded-files.js';
import { warmUp } from '../mfa/_warm-up.js';

/** Each user's policy of `type` from the seed: direct beats group, nothing assigned = Global (tenant default). */
function expected(harness: CommandHarness, type: string): Map<string, { policy: string; source: string }> {
  const tenant = harness.dev.tenant;
  const name = (policyId: string) => tenant.teamsPolicies.find((p) => p.policyId === policyId)!.name;
  const result = new Map<string, { policy: string; source: string }>();
  for (const user of tenant.liveUsers()) {
    const mine = tenant.teamsPolicyAssignments.filter((a) => a.userId === user.id && a.policyType === type);
    const pick = mine.find((a) => a.assignmentType === 'direct') ?? mine.find((a) => a.assignmentType === 'group');
    result.set(
      user.id,
      pick
        ? { policy: name(pick.policyId), source: pick.assignmentType }
        : { policy: 'Global', source: 'tenant default' },
    );
  }
  return result;
}

function tally(values: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

describe('command: policy report', () => {
  const files = new RecordedFiles();
  const harness = new CommandHarness();
  before(async () => {
    await harness.start({}, { services: { files } });
    harness.signIn(DEMO.teamsAdmin);
    await warmUp(harness);
  });
  after(() => harness.close());

  for (const type of ['TeamsMeetingPolicy', 'TeamsMessagingPolicy']) {
    it(`${type}: counts per policy and per source equal the seed's, from pages of 999 with $select`, async () => {
      const want = expected(harness, type);
      const answer = await harness.ask(`policy report ${type}`);
      assert.deepEqual(answer.problems, []);
      const policies = [...tally([...want.values()].map((v) => v.policy))];
      for (const [policy, count] of policies) assert.match(answer.summary, new RegExp(`${policy} ${count}\\b`));
      const sources = tally([...want.values()].map((v) => v.source));
      for (const source of ['direct', 'group', 'tenant default'])
        assert.match(answer.summary, new RegExp(`${source} ${sources.get(source) ?? 0}\\b`));
      assert.match(answer.summary, new RegExp(`${want.size} users, ${policies.length} policies`));
      const query = requestParts(answer.graph[0]).query;
      assert.equal(query.$top, '999');
      assert.equal(query.$select, 'id,userPrincipalName,effectivePolicyAssignments');
    });
  }

  it('drill-down pages through everyone who has a policy, each once', async () => {
    const want = [...expected(harness, 'TeamsMeetingPolicy')]
      .filter(([, v]) => v.policy === 'Global')
      .map(([id]) => id);
    assert.ok(want.length > 25, 'more than one page of users');
    const tenant = harness.dev.tenant;
    const seen: string[] = [];
    let text = 'policy report TeamsMeetingPolicy --policy "Global"';
    for (let page = 1; text; page++) {
      const answer = await harness.ask(text);
      assert.deepEqual(answer.problems, []);
      assert.match(answer.text, new RegExp(`page ${page}`));
      const upns = [...answer.text.matchAll(/^teams config (\S+)$/gm)].map((m) => m[1]);
      seen.push(...upns.map((upn) => tenant.userByUpn(upn)!.id));
      text =
        JSON.stringify(answer.card.actions ?? [])
          .match(/policy report TeamsMeetingPolicy --policy \\"Global\\" --cursor [\w-]+/)?.[0]
          .replace(/\\"/g, '"') ?? '';
      assert.ok(page < 10);
    }
    assert.deepEqual([...seen].sort(), [...want].sort());
    assert.equal(new Set(seen).size, seen.length, 'nobody twice');
  });

  it('a cursor only continues the list it was made for', async () => {
    const first = await harness.ask('policy report TeamsMeetingPolicy --policy "Global"');
    const cursor = JSON.stringify(first.card.actions).match(/--cursor ([\w-]+)/)![1];
    const other = await harness.ask(`policy report TeamsMeetingPolicy --policy "AllOn" --cursor ${cursor}`);
    assert.match(other.text, /expired/);
  });

  it('without a type: non-default assignments per type; --csv has a row per assignment', async () => {
    const tenant = harness.dev.tenant;
    const answer = await harness.ask('policy report --csv');
    const types = [...new Set(tenant.teamsPolicyAssignments.map((a) => a.policyType))].sort();
    for (const type of types) {
      const users = [...expected(harness, type).values()].filter((v) => v.source !== 'tenant default').length;
      assert.match(answer.summary, new RegExp(`${type} ${users} assigned`));
    }
    const rows = parse(files.lastText(), { columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0]), ['id', 'userPrincipalName', 'policyType', 'policy', 'source', 'groupId']);
    const total = types.reduce(
      (sum, type) => sum + [...expected(harness, type).values()].filter((v) => v.source !== 'tenant default').length,
      0,
    );
    assert.equal(rows.length, total);
  });

  it('--policy without a type is a usage error', async () => {
    const answer = await harness.ask('policy report --policy "AllOn"');
    assert.match(answer.text, /Name the policy type and the policy/);
  });
});
