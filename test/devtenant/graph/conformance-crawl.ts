// Turns route templates into concrete URLs over the seeded tenant: a `{key}` after a collection is filled with the
// id of the first item that collection returns; parameters inside a segment come from SAMPLE_ARGS; routes whose
// ids cannot be listed (async operations) get an override that creates the resource first.
import { ROLE } from '../../../devtenant/seed/index.js';
import type { RouteDefinition } from '../../../devtenant/graph/route.js';
import type { Harness } from './helpers.js';

/** Values for parameters embedded in a segment, e.g. getPolicyId(type='{type}',name='{name}'). */
const SAMPLE_ARGS: Record<string, string> = {
  type: 'TeamsMeetingPolicy',
  name: 'AllOn',
  roleTemplateId: ROLE.globalAdministrator,
  on: 'principal',
};

type Override = (harness: Harness, state: CrawlState) => Promise<string>;

export interface CrawlState {
  /** Global Administrator, MFA, every delegated scope any route asks for. */
  token: string;
  overrides: Map<string, Override>;
  created: Map<string, string>;
  /** Every write the crawl made, so the test can validate the response bodies too. */
  posts: PostRecord[];
}

export interface PostRecord {
  path: string;
  status: number;
  text: string;
  location: string | null;
}

/** POSTs below /v1.0 and remembers the response for validation. */
async function post(
  harness: Harness,
  token: string,
  posts: PostRecord[],
  path: string,
  body: unknown,
): Promise<PostRecord> {
  const res = await harness.send('POST', `/v1.0${path}`, token, body);
  const record = { path, status: res.status, text: await res.text(), location: res.headers.get('location') };
  posts.push(record);
  return record;
}

/** Follows a 202's Location (relative to the service root or absolute) back to a path below /v1.0. */
function pathFromLocation(location: string): string {
  const i = location.indexOf('/v1.0/');
  return i === -1 ? location : location.slice(i + '/v1.0'.length);
}

async function createdOperation(harness: Harness, state: CrawlState, path: string, body: unknown): Promise<string> {
  const res = await post(harness, state.token, state.posts, path, body);
  if (res.status !== 202 || !res.location)
    throw new Error(`POST ${path} → ${res.status} without Location: ${res.text}`);
  return pathFromLocation(res.location);
}

/** The seed has no temporary access pass (it is short-lived by nature), so create one the way an admin would. */
async function seedTemporaryAccessPass(harness: Harness, token: string, posts: PostRecord[]): Promise<void> {
  const bob = harness.tenant.userByUpn(`bob@${harness.tenant.domain}`);
  if (!bob) throw new Error('no bob');
  const res = await post(harness, token, posts, `/users/${bob.id}/authentication/temporaryAccessPassMethods`, {
    lifetimeInMinutes: 60,
    isUsableOnce: true,
  });
  if (res.status !== 201) throw new Error(`creating a TAP for bob → ${res.status}: ${res.text}`);
}

/** The seed has no PIM request; bob (eligible Teams Administrator) self-activates, as in catalog #13. */
async function seedRoleActivationRequest(harness: Harness, posts: PostRecord[]): Promise<void> {
  const bob = harness.tenant.userByUpn(`bob@${harness.tenant.domain}`);
  if (!bob) throw new Error('no bob');
  const token = await harness.userToken('bob', ['RoleAssignmentSchedule.ReadWrite.Directory'], { acrs: ['c1'] });
  const res = await post(harness, token, posts, '/roleManagement/directory/roleAssignmentScheduleRequests', {
    action: 'selfActivate',
    principalId: bob.id,
    roleDefinitionId: ROLE.teamsAdministrator,
    directoryScopeId: '/',
    justification: 'conformance crawl',
    scheduleInfo: { startDateTime: new Date().toISOString(), expiration: { type: 'afterDuration', duration: 'PT1H' } },
    ticketInfo: { ticketNumber: 'INC1', ticketSystem: 'ServiceNow' },
  });
  if (res.status !== 201) throw new Error(`bob's PIM self-activation → ${res.status}: ${res.text}`);
}

export async function crawlSetup(harness: Harness, routes: readonly RouteDefinition[]): Promise<CrawlState> {
  const scopes = new Set<string>(['User.Read']);
  for (const def of routes)
    for (const s of [...def.permissions.delegated, ...(def.permissions.allOf ?? [])]) scopes.add(s);
  const token = await harness.userToken('admin', [...scopes]);
  const posts: PostRecord[] = [];
  await seedTemporaryAccessPass(harness, token, posts);
  await seedRoleActivationRequest(harness, posts);
  const overrides = new Map<string, Override>([
    [
      '/teams/{id}/operations/{opId}',
      async (h, s) => {
        // Unarchive an archived team if the seed has one, else archive a team that has an owner.
        const archived = h.tenant.teams.find((t) => t.isArchived);
        const owned = h.tenant.teams.find((t) => (h.tenant.groupById(t.id)?.ownerIds.size ?? 0) > 0);
        if (archived) return createdOperation(h, s, `/teams/${archived.id}/unarchive`, undefined);
        if (!owned) throw new Error('the demo tenant has no team with an owner');
        return createdOperation(h, s, `/teams/${owned.id}/archive`, {});
      },
    ],
    [
      '/users/{id}/authentication/operations/{opId}',
      async (h, s) => {
        const bob = h.tenant.userByUpn(`bob@${h.tenant.domain}`);
        if (!bob) throw new Error('no bob');
        const res = await h.get(`/v1.0/users/${bob.id}/authentication/passwordMethods`, s.token);
        const passwordMethodId = ((await res.json()) as { value?: Array<{ id: string }> }).value?.[0]?.id;
        if (!passwordMethodId) throw new Error(`bob has no password method (${res.status})`);
        return createdOperation(h, s, `/users/${bob.id}/authentication/methods/${passwordMethodId}/resetPassword`, {});
      },
    ],
    [
      '/admin/teams/telephoneNumberManagement/operations/{id}',
      async (h, s) => {
        const free = h.tenant.numberAssignments.find((n) => n.assignmentStatus === 'unassigned');
        const user = h.tenant.userByUpn(`alice@${h.tenant.domain}`);
        if (!free || !user) throw new Error('no unassigned number or alice');
        return createdOperation(h, s, '/admin/teams/telephoneNumberManagement/numberAssignments/assignNumber', {
          telephoneNumber: free.telephoneNumber,
          assignmentTargetId: user.id,
          numberType: free.numberType,
          assignmentCategory: 'primary',
        });
      },
    ],
  ]);
  return { token, overrides, created: new Map(), posts };
}

/** How many items of a collection are tried when looking for one whose sub-resources are not empty. */
const MAX_CANDIDATES = 100;

export async function concreteUrlFor(harness: Harness, state: CrawlState, template: string): Promise<string> {
  const override = state.overrides.get(template);
  if (override) {
    // Overrides create resources (operations): create once, reuse the URL.
    const url = state.created.get(template) ?? (await override(harness, state));
    state.created.set(template, url);
    return url;
  }
  const url = await walk(harness, state, template.split('/').filter(Boolean), 0, '');
  if (url === null)
    throw new Error(`no seeded data reaches ${template} (every candidate key led to an empty collection)`);
  return url;
}

/** Depth-first: a `{key}` tries the collection's items in order until the rest of the template can be filled. */
async function walk(
  harness: Harness,
  state: CrawlState,
  segments: string[],
  index: number,
  url: string,
): Promise<string | null> {
  if (index === segments.length) return url;
  const segment = segments[index]!;
  const whole = /^\{(\w+)\}$/.exec(segment);
  if (!whole) {
    const filled = segment.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = SAMPLE_ARGS[name];
      if (value === undefined) throw new Error(`no sample value for '{${name}}' in ${segments.join('/')}`);
      return value.replace(/'/g, "''");
    });
    return walk(harness, state, segments, index + 1, `${url}/${filled}`);
  }
  // Prefer a key under which the rest of the path has data; an empty collection is still worth validating.
  let fallback: string | null = null;
  for (const id of await candidateKeys(harness, state, url, whole[1]!)) {
    const found = await walk(harness, state, segments, index + 1, `${url}/${encodeURIComponent(id)}`);
    if (found === null) continue;
    if (index + 1 === segments.length || (await nonEmpty(harness, state, found))) return found;
    fallback ??= found;
  }
  return fallback;
}

async function candidateKeys(
  harness: Harness,
  state: CrawlState,
  collectionUrl: string,
  param: string,
): Promise<string[]> {
  const res = await harness.get(`/v1.0${collectionUrl}`, state.token);
  const body = (await res.json()) as { value?: Array<{ id?: unknown }> };
  if (res.status !== 200 || !Array.isArray(body.value)) {
    throw new Error(`cannot list values for {${param}}: GET ${collectionUrl} → ${res.status}`);
  }
  return body.value
    .map((item) => item.id)
    .filter((id): id is string => typeof id === 'string')
    .slice(0, MAX_CANDIDATES);
}

/** A concrete URL is worth validating if it answers 200 and, for a collection, has at least one item. */
async function nonEmpty(harness: Harness, state: CrawlState, url: string): Promise<boolean> {
  const res = await harness.get(`/v1.0${url}`, state.token);
  if (res.status !== 200) return false;
  const body = (await res.json()) as { value?: unknown };
  return !Array.isArray(body.value) || body.value.length > 0;
}
