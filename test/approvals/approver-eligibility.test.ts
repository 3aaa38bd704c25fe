import { catalog } from '../helpers/catalog.js';
import assert from 'node:assert/strict';
import { z } from 'zod';
import type { Activity } from 'botbuilder';
import { CommandRegistry, inArea } from '../../bot/commands/registry.js';
import { defineCommand } from '../../bot/commands/types.js';
import {
  AREA_APPROVER_ROLES,
  ROLE_IDS,
  approverEligibility,
  targetRoleTemplateIds,
} from '../../bot/approvals/eligibility.js';
import type { GraphApi } from '../../bot/graph/client.js';
import { DEFAULT_ADMIN_ROLE_TEMPLATE_IDS } from '../../bot/identity/config.js';
import { roleName } from '../../bot/identity/roles.js';
import type { DevTenant } from '../../devtenant/index.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import {
  fromUser,
  say,
  sayThroughSignIn,
  startIdentityBot,
  teamsUser,
  type IdentityBot,
  type TeamsUser,
} from '../identity/harness.js';

const [approve, reject, help] = catalog('approval approve', 'approval reject', 'help');

const R = ROLE_IDS;

describe('approvals: who may approve (policy table)', () => {
  const mfaReset = { name: 'user mfa reset', area: 'mfa' };
  const block = { name: 'admin block', area: 'users' };
  const cases: {
    approver: string[];
    command: { name: string; area: string; roles?: string[] };
    target?: string[];
    ok: boolean;
  }[] = [
    { approver: [R.teamsAdministrator], command: mfaReset, ok: false },
    { approver: [R.userAdministrator], command: mfaReset, ok: false },
    { approver: [R.authenticationAdministrator], command: mfaReset, ok: true },
    { approver: [R.authenticationAdministrator], command: mfaReset, target: [R.globalAdministrator], ok: false },
    {
      approver: [R.privilegedAuthenticationAdministrator],
      command: mfaReset,
      target: [R.globalAdministrator],
      ok: true,
    },
    { approver: [R.globalAdministrator], command: mfaReset, target: [R.privilegedRoleAdministrator], ok: true },
    // A Privileged Role Administrator cannot reset methods in Entra, so cannot release one either.
    { approver: [R.privilegedRoleAdministrator], command: mfaReset, target: [R.globalAdministrator], ok: false },
    { approver: [R.userAdministrator], command: block, ok: true },
    { approver: [R.userAdministrator], command: block, target: [R.teamsAdministrator], ok: true },
    { approver: [R.userAdministrator], command: block, target: [R.privilegedAuthenticationAdministrator], ok: false },
    { approver: [R.teamsAdministrator], command: block, ok: false },
    // Declared roles win over the area; unknown areas fall back to the bot-wide admin roles.
    {
      approver: [R.teamsAdministrator],
      command: { name: 'x', area: 'users', roles: [R.teamsAdministrator] },
      ok: true,
    },
    { approver: [R.teamsAdministrator], command: { name: 'x', area: 'elsewhere' }, ok: true },
    { approver: [R.licenseAdministrator], command: { name: 'x', area: 'elsewhere' }, ok: false },
  ];
  for (const c of cases) {
    const label = `${c.approver.map(roleName).join(' + ')} approving ${c.command.name} (${c.command.area})${c.target ? ` on a ${roleName(c.target[0])}` : ''}`;
    it(`${c.ok ? 'allows' : 'refuses'} ${label}`, () => {
      const verdict = approverEligibility(c.approver, c.command, DEFAULT_ADMIN_ROLE_TEMPLATE_IDS, c.target);
      assert.equal(verdict.ok, c.ok, verdict.ok ? 'allowed' : verdict.reason);
    });
  }

  it('lists Global Administrator for every area (a narrower list never locks it out)', () => {
    for (const roles of Object.values(AREA_APPROVER_ROLES)) assert.ok(roles.includes(R.globalAdministrator));
  });
});

describe("approvals: reading the target's roles fails closed", () => {
  /** A Graph stand-in whose transitiveMemberOf has `pages` pages; the Global Administrator role is on the last one. */
  function pagedGraph(pages: number): GraphApi {
    const graph = {
      relativeLink: (link: string) => link,
      async get(path: string) {
        if (!path.includes('transitiveMemberOf')) return { body: { value: [] } };
        const page = Number(/page=(\d+)/.exec(path)?.[1] ?? 0);
        const last = page === pages - 1;
        const value = last
          ? [{ '@odata.type': '#microsoft.graph.directoryRole', roleTemplateId: R.globalAdministrator }]
          : [{ '@odata.type': '#microsoft.graph.group', id: `g${page}` }];
        return {
          body: { value, ...(last ? {} : { '@odata.nextLink': `/users/x/transitiveMemberOf?page=${page + 1}` }) },
        };
      },
    };
    return graph as unknown as GraphApi;
  }

  it('finds a privileged role on the last page within the bound', async () => {
    assert.deepEqual(await targetRoleTemplateIds(pagedGraph(10), 'x'), [R.globalAdministrator]);
  });

  it('throws instead of answering "not privileged" when pages remain after the bound (role on page 11)', async () => {
    await assert.rejects(
      targetRoleTemplateIds(pagedGraph(11), 'x'),
      /cannot tell whether the target is a privileged admin/,
    );
  });
});

/** Runs of the test commands, by target object id. */
const runs: string[] = [];
const probe = (name: string, area: string) =>
  inArea(
    area,
    defineCommand({
      name,
      summary: 'Dangerous test command on a user.',
      usage: `${name} <user>`,
      examples: [`${name} alice@contoso.onmicrosoft.com`],
      args: { positional: ['user'], schema: z.object({ user: z.string() }).strict() },
      tier: 'dangerous',
      scopes: ['User.Read.All'],
      async run(_ctx, args) {
        runs.push(args.user);
        return {
          card: 'notice',
          data: { title: 'ran', message: `ran on ${args.user}`, actions: [] },
          text: `ran on ${args.user}`,
        };
      },
    }),
  );

describe('approvals: approver eligibility over HTTP (devtenant identity + Graph)', function () {
  this.timeout(120_000);
  let dev: DevTenant;
  let ib: IdentityBot;
  const GROUP = (tenantId: string) => ({
    id: '19:eligibility@thread.v2',
    conversationType: 'groupChat',
    isGroup: true,
    tenantId,
    name: 'Admins',
  });

  before(async () => {
    dev = await startTestDevTenant();
    const registry = new CommandRegistry([
      help,
      approve,
      reject,
      probe('probe mfa reset', 'mfa'),
      probe('probe block', 'users'),
    ]);
    ib = await startIdentityBot(dev, { TEAMS_SSO: 'false' }, registry);
  });
  after(async () => {
    await ib?.close();
    await dev?.close();
  });

  const inGroup = (user: TeamsUser, text: string) =>
    fromUser(user, dev, ib.connector, { text, conversation: GROUP(dev.tenant.id) as Activity['conversation'] });

  /**
   * Sends `text` in the group chat, completing every sign-in / step-up link the bot answers with; returns the last
   * reply.
   */
  const run = async (user: TeamsUser, text: string) =>
    (await sayThroughSignIn(ib, dev, user, inGroup(user, text))).at(-1)!;

  async function request(user: TeamsUser, text: string): Promise<string> {
    const reply = await run(user, `${text} --reason "Eligibility check"`);
    const id = /Request ([0-9A-F]{10})/.exec(reply.text)?.[1];
    assert.ok(id, `no approval request in: ${reply.text}`);
    return id;
  }

  async function refusals(id: string) {
    return ib.bot.store.db
      .selectFrom('audit_log')
      .select(['actor_upn', 'outcome'])
      .where('action', '=', 'approval.refused')
      .where('approval_id', '=', id)
      .execute();
  }

  async function waitRuns(count: number) {
    const deadline = Date.now() + 10_000;
    while (runs.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  }

  it('a Teams Administrator cannot release an MFA reset (refused, audited, still pending) but may reject it', async () => {
    const requester = teamsUser(dev, 'admin');
    const teams = teamsUser(dev, 'teamsadmin');
    const alice = dev.tenant.userByUpn('alice@contoso.onmicrosoft.com')!;
    const id = await request(requester, 'probe mfa reset alice@contoso.onmicrosoft.com');
    const refused = await run(teams, `approval approve ${id}`);
    assert.match(
      refused.text,
      /needs a role that could run it: Global Administrator, Authentication Administrator, Privileged Authentication Administrator/,
    );
    assert.deepEqual(await refusals(id), [{ actor_upn: teams.upn, outcome: 'approver-not-eligible' }]);
    const row = await ib.bot.store.db
      .selectFrom('approvals')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending', 'the request stays open for an eligible approver');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(runs.length, 0, 'nothing ran');
    // The Teams Administrator may still reject: a rejection runs nothing.
    const rejected = await say(ib, inGroup(teams, `approval reject ${id}`), 2);
    assert.ok(rejected.some((r) => /You rejected/.test(r.text)));
    assert.ok(!runs.includes(alice.id));
  });

  it(
    'blocking a Global Administrator needs a privileged approver: a User Administrator is refused, a Global ' +
      'Administrator approves',
    async () => {
      const requester = teamsUser(dev, 'teamsadmin');
      const users = teamsUser(dev, 'useradmin');
      const global = teamsUser(dev, 'admin');
      const id = await request(requester, `probe block ${global.upn}`);
      const refused = await run(users, `approval approve ${id}`);
      assert.match(
        refused.text,
        /The target holds Global Administrator: approving "probe block" on a privileged admin needs Global Administrator or Privileged Authentication Administrator/,
      );
      assert.equal((await refusals(id)).length, 1);
      assert.deepEqual(runs, []);
      // The Global Administrator is the target: a real tenant would need a second one (the demo has one).
      // Approving someone else's request against yourself is allowed by the rule (you are not the requester).
      const approved = await run(global, `approval approve ${id}`);
      assert.match(approved.text, /You approved request/);
      await waitRuns(1);
      assert.deepEqual(runs, [global.oid]);
    },
  );

  it('a User Administrator approves blocking a non-privileged user', async () => {
    const requester = teamsUser(dev, 'admin');
    const users = teamsUser(dev, 'useradmin');
    const bob = dev.tenant.userByUpn('bob@contoso.onmicrosoft.com')!;
    const id = await request(requester, 'probe block bob@contoso.onmicrosoft.com');
    const approved = await run(users, `approval approve ${id}`);
    assert.match(approved.text, /You approved request/);
    await waitRuns(2);
    assert.deepEqual(runs.slice(1), [bob.id]);
  });

  it('a request whose target is not an object id is refused, never treated as an unprivileged target', async () => {
    const requester = teamsUser(dev, 'teamsadmin');
    const users = teamsUser(dev, 'useradmin');
    const global = teamsUser(dev, 'admin');
    const id = await request(requester, `probe block ${global.upn}`);
    // A row whose target was not pinned (an older version, a command that skips pinning): the roles cannot be read
    // by name.
    await ib.bot.store.db
      .updateTable('approvals')
      .set({ args: JSON.stringify({ user: global.upn }) })
      .where('id', '=', id)
      .execute();
    const before = runs.length;
    const refused = await run(users, `approval approve ${id}`);
    assert.match(refused.text, /not pinned to a directory object/);
    const row = await ib.bot.store.db
      .selectFrom('approvals')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(runs.length, before, 'nothing ran');
  });

  it('a target only eligible (PIM) for a privileged role counts as privileged', async () => {
    const requester = teamsUser(dev, 'admin');
    const users = teamsUser(dev, 'useradmin');
    const bob = dev.tenant.userByUpn('bob@contoso.onmicrosoft.com')!;
    const before = dev.tenant.roleEligibilities.length;
    dev.tenant.roleEligibilities.push({
      ...dev.tenant.roleEligibilities.find((e) => e.principalId === bob.id)!,
      id: 'eligible-ga-test',
      roleDefinitionId: R.globalAdministrator,
    });
    try {
      const id = await request(requester, 'probe block bob@contoso.onmicrosoft.com');
      const refused = await run(users, `approval approve ${id}`);
      assert.match(refused.text, /The target holds Global Administrator/);
      assert.equal(runs.length, 2);
    } finally {
      dev.tenant.roleEligibilities.splice(before);
    }
  });
});
