// Replays Microsoft Graph documentation examples (test/devtenant/graph/replay/graph-docs-examples.json: request,
// documented status, the keys the documented response shows) for every Graph path the bot calls, in file order on
// one demo tenant (later examples see earlier writes, as the docs' sequences do). Prints how many match.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { routeTable } from '../../../devtenant/graph/routes/index.js';
import { FIXED_ACCOUNTS, ROLE } from '../../../devtenant/seed/index.js';
import { json, startHarness, type Harness } from './helpers.js';

interface Example {
  name: string;
  source: string;
  as?: string;
  request: { method: string; path: string; body?: unknown; headers?: Record<string, string> };
  status: number;
  shape: {
    kind: 'entity' | 'collection' | 'none' | 'error' | 'text';
    keys?: string[];
    absent?: string[];
    top?: string[];
    oneOf?: string[];
    headers?: string[];
    code?: string;
  };
}

const corpus = JSON.parse(readFileSync(new URL('./replay/graph-docs-examples.json', import.meta.url), 'utf8')) as {
  examples: Example[];
};
const id = (key: string) => FIXED_ACCOUNTS.find((a) => a.key === key)!.id;

describe('devtenant Graph: replay of Graph documentation examples (every path the bot calls)', function () {
  this.timeout(60_000);
  let h: Harness;
  const tokens = new Map<string, string>();
  const values = new Map<string, string>();
  let lastLocation = '';

  before(async () => {
    h = await startHarness();
    const scopes = new Set<string>(['User.Read']);
    for (const def of routeTable)
      for (const s of [...def.permissions.delegated, ...(def.permissions.allOf ?? [])]) scopes.add(s);
    tokens.set('admin', await h.userToken('admin', [...scopes]));
    tokens.set('bob', await h.userToken('bob', [...scopes], { amr: ['pwd', 'mfa'] }));
    const t = h.tenant;
    const user = t.users.find(
      (u) =>
        u.userType === 'Member' &&
        u.accountEnabled &&
        u.usageLocation !== null &&
        u.assignedLicenses.length === 0 &&
        t.activeRoleTemplateIds(u.id).length === 0 &&
        !FIXED_ACCOUNTS.some((a) => a.id === u.id),
    )!;
    const group = t.groups.find((g) => g.displayName === 'Sales')!;
    const team = t.teams.find((x) => !x.isArchived && t.groupById(x.id)!.ownerIds.size > 0)!;
    const alice = t.userById(id('alice'))!;
    const sku = [...t.subscribedSkus].sort((a, b) => b.prepaidUnits.enabled - a.prepaidUnits.enabled)[0]!;
    const nonMember = t.users.find((u) => u.userType === 'Member' && u.accountEnabled && !group.memberIds.has(u.id))!;
    const teamUser = t.users.find(
      (u) =>
        u.userType === 'Member' &&
        u.accountEnabled &&
        u.id !== user.id &&
        u.assignedLicenses.length > 0 &&
        !t.groupById(team.id)!.memberIds.has(u.id),
    )!;
    const policy = t.teamsPolicies.find((p) => p.policyType === 'TeamsMeetingPolicy' && p.name === 'AllOn')!;
    for (const [k, v] of Object.entries({
      user: user.id,
      userUpn: user.userPrincipalName,
      unknownGuid: randomUUID(),
      licensedUser: alice.id,
      alice: alice.id,
      bob: id('bob'),
      admin: id('admin'),
      alicePhone: alice.authMethods.find((m) => m.kind === 'phone')!.id,
      sku: sku.skuId,
      group: group.id,
      nonMember: nonMember.id,
      team: team.id,
      teamUser: teamUser.id,
      teamsAdminRole: ROLE.teamsAdministrator,
      now: t.nowIso(),
      meetingPolicy: policy.policyId,
    }))
      values.set(k, v);
  });
  after(() => h.close());

  const resolve = async (text: string): Promise<string> => {
    if (text.includes('{teamMembership}')) {
      const members = await json(await h.get(`/v1.0/teams/${values.get('team')}/members`, tokens.get('admin')!));
      const m = (members.value as { id: string; roles: string[] }[]).find((x) => !x.roles.includes('owner'))!;
      values.set('teamMembership', m.id);
    }
    return text
      .replace('{lastLocation}', lastLocation)
      .replace(/\{(\w+)\}/g, (whole, k: string) => values.get(k) ?? whole);
  };

  it('every example answers with its documented status and shape', async () => {
    const failures: string[] = [];
    let matched = 0;
    for (const ex of corpus.examples) {
      const path = await resolve(ex.request.path);
      const body =
        ex.request.body === undefined ? undefined : JSON.parse(await resolve(JSON.stringify(ex.request.body)));
      const res = await h.send(ex.request.method, path, tokens.get(ex.as ?? 'admin')!, body, ex.request.headers);
      const location = res.headers.get('location');
      if (location)
        lastLocation =
          location.startsWith('/v1.0') || /^https?:/.test(location)
            ? location.replace(h.server.url, '')
            : `/v1.0${location}`;
      const text = await res.text();
      const problems: string[] = [];
      if (res.status !== ex.status)
        problems.push(`status ${res.status}, documented ${ex.status}: ${text.slice(0, 200)}`);
      else problems.push(...shapeProblems(ex, text, res));
      if (problems.length) failures.push(`${ex.name} (${ex.request.method} ${path}): ${problems.join('; ')}`);
      else matched++;
    }
    console.log(`      replay: ${matched}/${corpus.examples.length} documentation examples match`);
    assert.deepEqual(failures, []);
  });
});

function shapeProblems(ex: Example, text: string, res: Response): string[] {
  const s = ex.shape;
  const out: string[] = [];
  for (const h of s.headers ?? []) if (!res.headers.get(h)) out.push(`header ${h} missing`);
  if (s.kind === 'none') return text === '' ? out : [...out, `expected no body, got ${text.slice(0, 80)}`];
  if (s.kind === 'text') return /^\d+$/.test(text) ? out : [...out, `expected a count, got ${text.slice(0, 80)}`];
  const body = JSON.parse(text) as Record<string, unknown> & { error?: { code: string } };
  if (s.kind === 'error') return body.error?.code === s.code ? out : [...out, `error code ${body.error?.code}`];
  for (const k of s.top ?? []) if (!(k in body)) out.push(`top-level ${k} missing`);
  if (s.oneOf && !s.oneOf.some((k) => k in body)) out.push(`none of ${s.oneOf.join(', ')}`);
  let entity: Record<string, unknown> = body;
  if (s.kind === 'collection') {
    if (!Array.isArray(body.value) || body.value.length === 0) return [...out, 'value is not a non-empty array'];
    entity = body.value[0] as Record<string, unknown>;
  }
  for (const k of s.keys ?? []) if (!(k in entity)) out.push(`${k} missing`);
  for (const k of s.absent ?? []) if (k in entity) out.push(`${k} present but not selected`);
  return out;
}
