// Lookups behind teamsUserConfiguration: a page of users must not scan every policy assignment and phone number once
// per user, so maps by user id are built once per tenant and rebuilt after a change (every Teams write path calls
// markConfigurationModified; the array lengths catch additions made elsewhere).
import type { NumberAssignment, SeedUser, TeamsPolicy, TeamsPolicyAssignment, TenantStore } from '../../seed/index.js';
import type { RouteContext } from '../route.js';

export interface EffectivePolicyAssignment {
  policyType: string;
  policyAssignment: {
    assignmentType: 'direct' | 'group';
    displayName: string;
    groupId: string | null;
    policyId: string;
  };
}

export interface TeamsIndex {
  effectivePolicies(userId: string): EffectivePolicyAssignment[];
  telephoneNumbers(userId: string): { telephoneNumber: string; assignmentCategory: string }[];
  modifiedDateTime(user: SeedUser): string;
}

interface CachedIndex {
  index: TeamsIndex;
  assignments: number;
  numbers: number;
  policies: number;
}
const perTenant = new WeakMap<TenantStore, CachedIndex>();
/** When a user's Teams configuration last changed (policy or number); defaults to the user's creation. */
const modified = new WeakMap<SeedUser, string>();

export function markConfigurationModified(tenant: TenantStore, user: SeedUser | undefined): void {
  if (user) modified.set(user, tenant.nowIso());
  perTenant.delete(tenant);
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
    n.assignmentStatus === 'userAssigned' && n.activationState === 'activated' ? n.assignmentTargetId : null,
  );
  const policies = new Map<string, TeamsPolicy>(tenant.teamsPolicies.map((p) => [p.policyId, p]));
  return {
    effectivePolicies(userId) {
      // A direct assignment beats a group one for the same policy type (Get-CsUserPolicyAssignment semantics);
      // the org-wide Global policy is implicit and, as in PowerShell, not listed.
      const byType = new Map<string, TeamsPolicyAssignment>();
      for (const a of assignments.get(userId) ?? []) {
        const current = byType.get(a.policyType);
        if (!current || (current.assignmentType === 'group' && a.assignmentType === 'direct'))
          byType.set(a.policyType, a);
      }
      return [...byType.values()].map((a) => ({
        policyType: a.policyType,
        policyAssignment: {
          assignmentType: a.assignmentType,
          displayName: policies.get(a.policyId)?.name ?? '',
          groupId: a.groupId,
          policyId: a.policyId,
        },
      }));
    },
    telephoneNumbers(userId) {
      return (numbers.get(userId) ?? []).map((n) => ({
        telephoneNumber: n.telephoneNumber,
        assignmentCategory: n.assignmentCategory ?? 'primary',
      }));
    },
    modifiedDateTime(user) {
      return modified.get(user) ?? user.createdDateTime;
    },
  };
}

export function teamsIndex(ctx: RouteContext): TeamsIndex {
  const { tenant } = ctx;
  const cached = perTenant.get(tenant);
  if (
    cached &&
    cached.assignments === tenant.teamsPolicyAssignments.length &&
    cached.numbers === tenant.numberAssignments.length &&
    cached.policies === tenant.teamsPolicies.length
  )
    return cached.index;
  const index = buildIndex(tenant);
  perTenant.set(tenant, {
    index,
    assignments: tenant.teamsPolicyAssignments.length,
    numbers: tenant.numberAssignments.length,
    policies: tenant.teamsPolicies.length,
  });
  return index;
}
