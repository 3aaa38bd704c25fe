// Per-request lookups behind teamsUserConfiguration: a 50,000-user page must not scan every policy assignment and
// phone number once per user, so each request builds (once) maps by user id.
import type { NumberAssignment, SeedUser, TeamsPolicy, TeamsPolicyAssignment, TenantStore } from '../../seed/index.js';
import type { RouteContext } from '../route.js';

export interface EffectivePolicyAssignment {
  policyType: string;
  policyAssignment: { assignmentType: 'direct' | 'group'; displayName: string; groupId: string | null; policyId: string };
}

export interface TeamsIndex {
  effectivePolicies(userId: string): EffectivePolicyAssignment[];
  telephoneNumbers(userId: string): { telephoneNumber: string; assignmentCategory: string }[];
  modifiedDateTime(user: SeedUser): string;
}

const perRequest = new WeakMap<RouteContext, TeamsIndex>();
/** When a user's Teams configuration last changed (policy or number); defaults to the user's creation. */
const modified = new WeakMap<SeedUser, string>();

export function markConfigurationModified(tenant: TenantStore, user: SeedUser): void {
  modified.set(user, tenant.nowIso());
}

/** `Prefer: include-unknown-enum-members` opts in to enum members declared after unknownFutureValue. */
export function wantsEvolvableEnums(ctx: RouteContext): boolean {
  return /include-unknown-enum-members/i.test(ctx.headers.prefer ?? '');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function buildIndex(tenant: TenantStore): TeamsIndex {
  const assignments = groupBy<TeamsPolicyAssignment>(tenant.teamsPolicyAssignments, (a) => a.userId);
  const numbers = groupBy<NumberAssignment>(tenant.numberAssignments, (n) =>
    n.assignmentStatus === 'userAssigned' && n.activationState === 'activated' ? n.assignmentTargetId : null);
  const policies = new Map<string, TeamsPolicy>(tenant.teamsPolicies.map((p) => [p.policyId, p]));
  return {
    effectivePolicies(userId) {
      // A direct assignment beats a group one for the same policy type (Get-CsUserPolicyAssignment semantics);
      // the org-wide Global policy is implicit and, as in PowerShell, not listed.
      const byType = new Map<string, TeamsPolicyAssignment>();
      for (const a of assignments.get(userId) ?? []) {
        const current = byType.get(a.policyType);
        if (!current || (current.assignmentType === 'group' && a.assignmentType === 'direct')) byType.set(a.policyType, a);
      }
      return [...byType.values()].map((a) => ({
        policyType: a.policyType,
        policyAssignment: { assignmentType: a.assignmentType, displayName: policies.get(a.policyId)?.name ?? '', groupId: a.groupId, policyId: a.policyId },
      }));
    },
    telephoneNumbers(userId) {
      return (numbers.get(userId) ?? []).map((n) => ({ telephoneNumber: n.telephoneNumber, assignmentCategory: n.assignmentCategory ?? 'primary' }));
    },
    modifiedDateTime(user) {
      return modified.get(user) ?? user.createdDateTime;
    },
  };
}

export function teamsIndex(ctx: RouteContext): TeamsIndex {
  let index = perRequest.get(ctx);
  if (!index) {
    index = buildIndex(ctx.tenant);
    perRequest.set(ctx, index);
  }
  return index;
}
