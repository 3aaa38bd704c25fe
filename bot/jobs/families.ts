import type { BatchStep, BatchStepResult, GraphApi, GraphResponse } from '../graph/client.js';
import { GraphRequestError } from '../graph/errors.js';
import { withQuery } from '../graph/odata.js';
import type { Family, FamilyName, JobParams, ReadResult, ThrottleSignal, WorkItem, WriteResult } from './model.js';

/**
 * The state model of each bulk change. States are short text so they sit in the items table and the CSV as is:
 *  - policy: `direct:<policyId>:<name>` or `none` (no direct assignment of that type; group or global applies);
 *  - account: `enabled` | `disabled`;  license: `assigned` | `unassigned` (of the job's SKU);
 *  - sessions: not readable (revoking sign-in sessions has no state to read back), so never skipped or undone.
 */

const POLICY_ASSIGNMENT_TYPE = '#microsoft.graph.teamsAdministration.teamsPolicyUserAssignment';

type Signal = (s: ThrottleSignal) => void;

function headerOf(headers: Record<string, string> | undefined, name: string): string | undefined {
  return Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
}

/** Retry-After and x-ms-throttle-limit-percentage from one answer's headers. */
export function signalOf(status: number, get: (name: string) => string | undefined): ThrottleSignal {
  const percentage = Number(get('x-ms-throttle-limit-percentage'));
  const retryAfter = Number(get('retry-after'));
  return {
    throttled: status === 429 ? { retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined } : undefined,
    // Graph sends a fraction (0.8–1.0) in its documentation examples; accept both forms.
    limitPercentage:
      Number.isFinite(percentage) && percentage > 0 ? (percentage <= 1 ? percentage * 100 : percentage) : undefined,
  };
}

function stepError(result: BatchStepResult | undefined): { code: string; requestId?: string } {
  if (!result) return { code: 'MissingBatchResponse' };
  const error = (result.body as { error?: { code?: string } } | undefined)?.error;
  return { code: error?.code ?? `HTTP${result.status}`, requestId: headerOf(result.headers, 'request-id') };
}

/** One $batch (≤ 20 steps, one per user); each step's answer is reported to `signal`. */
async function batchPerUser(
  graph: GraphApi,
  users: readonly WorkItem[],
  step: (user: WorkItem) => Omit<BatchStep, 'id'>,
  signal: Signal,
): Promise<Map<string, BatchStepResult | undefined>> {
  const results = await graph.batch(users.map((u) => ({ id: String(u.seq), ...step(u) })));
  const byUser = new Map<string, BatchStepResult | undefined>();
  for (const user of users) {
    const result = results.get(String(user.seq));
    if (result) signal(signalOf(result.status, (name) => headerOf(result.headers, name)));
    byUser.set(user.userId, result);
  }
  return byUser;
}

function readEach(
  results: Map<string, BatchStepResult | undefined>,
  state: (body: unknown) => string,
): Map<string, ReadResult> {
  const out = new Map<string, ReadResult>();
  for (const [userId, result] of results) {
    out.set(
      userId,
      result && result.status < 300 ? { ok: true, state: state(result.body) } : { ok: false, ...stepError(result) },
    );
  }
  return out;
}

function writeEach(results: Map<string, BatchStepResult | undefined>): Map<string, WriteResult> {
  const out = new Map<string, WriteResult>();
  for (const [userId, result] of results) {
    if (result && result.status < 300) {
      out.set(userId, { ok: true, requestId: headerOf(result.headers, 'request-id') });
      continue;
    }
    const retryAfter = Number(headerOf(result?.headers, 'retry-after'));
    out.set(userId, {
      ok: false,
      ...stepError(result),
      throttled:
        result?.status === 429
          ? { retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined }
          : undefined,
    });
  }
  return out;
}

/**
 * One request for a whole collection (policy assign/unassign): every user shares its outcome. Its throttling signals
 * reach the pace through `GraphApi.observe` (attempts retried inside the client included).
 */
async function collectionWrite(
  users: readonly WorkItem[],
  send: () => Promise<GraphResponse<unknown>>,
): Promise<Map<string, WriteResult>> {
  let result: WriteResult;
  try {
    const response = await send();
    result = { ok: true, requestId: response.requestId };
  } catch (err) {
    if (!(err instanceof GraphRequestError)) throw err;
    const throttled = err.status === 429 ? { retryAfterSeconds: err.retryAfterSeconds } : undefined;
    result = { ok: false, code: err.graphCode, requestId: err.requestId, throttled };
  }
  return new Map(users.map((u) => [u.userId, result]));
}

const policy: Family = {
  name: 'policy',
  idempotent: true,
  readable: true,
  requestsPerUser: 1 + 1 / 20,
  async read(graph, params, users, signal) {
    const type = (params.policyType ?? '').toLowerCase();
    const results = await batchPerUser(
      graph,
      users,
      (u) => ({
        method: 'GET',
        url: withQuery(`/admin/teams/userConfigurations/${u.userId}`, {
          $select: ['id', 'effectivePolicyAssignments'],
        }),
      }),
      signal,
    );
    return readEach(results, (body) => {
      const assignments =
        (
          body as {
            effectivePolicyAssignments?: Array<{ policyType: string; policyAssignment?: Record<string, string> }>;
          }
        ).effectivePolicyAssignments ?? [];
      const found = assignments.find((a) => a.policyType.toLowerCase() === type)?.policyAssignment;
      return found?.assignmentType === 'direct' && found.policyId
        ? `direct:${found.policyId}:${found.displayName ?? ''}`
        : 'none';
    });
  },
  async write(graph, params, users) {
    const assign = users.filter((u) => u.desired !== 'none');
    const unassign = users.filter((u) => u.desired === 'none');
    const out = new Map<string, WriteResult>();
    if (assign.length) {
      const value = assign.map((u) => ({
        '@odata.type': POLICY_ASSIGNMENT_TYPE,
        userId: u.userId,
        policyType: params.policyType,
        policyId: u.desired.split(':')[1],
      }));
      const send = () => graph.post('/admin/teams/policy/userAssignments/assign', { value });
      for (const [id, r] of await collectionWrite(assign, send)) out.set(id, r);
    }
    if (unassign.length) {
      const value = unassign.map((u) => ({
        '@odata.type': POLICY_ASSIGNMENT_TYPE,
        userId: u.userId,
        policyType: params.policyType,
      }));
      const send = () => graph.post('/admin/teams/policy/userAssignments/unassign', { value });
      for (const [id, r] of await collectionWrite(unassign, send)) out.set(id, r);
    }
    return out;
  },
  satisfied(state, desired) {
    if (desired === 'none') return state === 'none';
    return state.split(':')[1]?.toLowerCase() === desired.split(':')[1]?.toLowerCase();
  },
  undoable: (before) => before !== null,
  describe(state) {
    if (state === null) return '';
    if (state === 'none') return 'no direct assignment';
    const [, id, ...name] = state.split(':');
    return `${name.join(':') || id} (direct)`;
  },
};

/** accountEnabled true/false: a PATCH sets an absolute value, so sending it twice changes nothing more. */
const account: Family = {
  name: 'account',
  idempotent: true,
  readable: true,
  requestsPerUser: 2,
  async read(graph, _params, users, signal) {
    const results = await batchPerUser(
      graph,
      users,
      (u) => ({ method: 'GET', url: withQuery(`/users/${u.userId}`, { $select: ['id', 'accountEnabled'] }) }),
      signal,
    );
    return readEach(results, (body) =>
      (body as { accountEnabled?: boolean }).accountEnabled === false ? 'disabled' : 'enabled',
    );
  },
  async write(graph, _params, users, signal) {
    return writeEach(
      await batchPerUser(
        graph,
        users,
        (u) => ({ method: 'PATCH', url: `/users/${u.userId}`, body: { accountEnabled: u.desired === 'enabled' } }),
        signal,
      ),
    );
  },
  satisfied: (state, desired) => state === desired,
  undoable: (before) => before === 'enabled' || before === 'disabled',
  describe: (state) => (state === 'disabled' ? 'sign-in blocked' : state === 'enabled' ? 'sign-in allowed' : ''),
};

/**
 * assignLicense is not idempotent (removing a SKU the user no longer has is a 400), so a chunk that was in flight
 * is reconciled by reading first.
 */
const license: Family = {
  name: 'license',
  idempotent: false,
  readable: true,
  requestsPerUser: 2,
  async read(graph, params, users, signal) {
    const sku = (params.skuId ?? '').toLowerCase();
    const results = await batchPerUser(
      graph,
      users,
      (u) => ({ method: 'GET', url: withQuery(`/users/${u.userId}`, { $select: ['id', 'assignedLicenses'] }) }),
      signal,
    );
    return readEach(results, (body) =>
      ((body as { assignedLicenses?: Array<{ skuId: string }> }).assignedLicenses ?? []).some(
        (l) => l.skuId.toLowerCase() === sku,
      )
        ? 'assigned'
        : 'unassigned',
    );
  },
  async write(graph, params, users, signal) {
    return writeEach(
      await batchPerUser(
        graph,
        users,
        (u) => ({
          method: 'POST',
          url: `/users/${u.userId}/assignLicense`,
          body:
            u.desired === 'assigned'
              ? { addLicenses: [{ skuId: params.skuId, disabledPlans: [] }], removeLicenses: [] }
              : { addLicenses: [], removeLicenses: [params.skuId] },
        }),
        signal,
      ),
    );
  },
  satisfied: (state, desired) => state === desired,
  undoable: (before) => before === 'assigned' || before === 'unassigned',
  describe: (state, params) =>
    state === 'assigned' ? `has ${params.skuName ?? 'the license'}` : state === 'unassigned' ? 'no license' : '',
};

/** revokeSignInSessions: sending it again only signs the user out again, which is what was asked. */
const sessions: Family = {
  name: 'sessions',
  idempotent: true,
  readable: false,
  requestsPerUser: 1,
  async read() {
    return new Map();
  },
  async write(graph, _params, users, signal) {
    return writeEach(
      await batchPerUser(
        graph,
        users,
        (u) => ({ method: 'POST', url: `/users/${u.userId}/revokeSignInSessions` }),
        signal,
      ),
    );
  },
  satisfied: () => false,
  undoable: () => false,
  describe: (state) => (state === 'revoked' ? 'sessions revoked' : ''),
};

export const FAMILIES: Record<FamilyName, Family> = { policy, account, license, sessions };

export function familyOf(params: JobParams): Family {
  return FAMILIES[params.family];
}
