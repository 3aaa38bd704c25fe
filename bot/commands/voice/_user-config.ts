import { NotFoundError } from '../../errors.js';
import type { GraphApi } from '../../graph/client.js';
import { isGuid, odataLiteral, withQuery } from '../../graph/odata.js';
import type { Lookup } from '../_lib/batch-lookup.js';
import { stepBody } from '../_lib/batch-steps.js';
import { resolveUser } from '../_lib/users.js';

/** microsoft.graph.teamsAdministration.teamsUserConfiguration, as far as the bot reads it. */
export interface TeamsUserConfiguration {
  id: string;
  userPrincipalName?: string;
  accountType?: string;
  isEnterpriseVoiceEnabled?: boolean;
  featureTypes?: string[];
  modifiedDateTime?: string;
  telephoneNumbers?: Array<{ telephoneNumber: string; assignmentCategory?: string }>;
  effectivePolicyAssignments?: Array<{
    policyType: string;
    policyAssignment?: { assignmentType?: string; displayName?: string; groupId?: string | null; policyId?: string };
  }>;
  user?: { id?: string; displayName?: string; accountEnabled?: boolean } | null;
}

const CONFIG_FIELDS = [
  'id',
  'userPrincipalName',
  'accountType',
  'isEnterpriseVoiceEnabled',
  'featureTypes',
  'modifiedDateTime',
  'telephoneNumbers',
  'effectivePolicyAssignments',
];
const EXPAND_USER = 'user($select=id,displayName,accountEnabled)';
/** accountType has members after unknownFutureValue (ineligibleUser); Graph sends them only when asked. */
const EVOLVABLE_ENUMS = { Prefer: 'include-unknown-enum-members' };
const BASE = '/admin/teams/userConfigurations';

/**
 * A user's Teams configuration (≈ Get-CsOnlineUser) with the directory user expanded. An object id is one read of
 * the entity; a UPN is one filtered read of the collection (the entity is keyed by object id only); a display
 * name is resolved to an id first (choice card when ambiguous), then read: two round trips.
 */
export async function readUserConfiguration(graph: GraphApi, typed: string): Promise<TeamsUserConfiguration> {
  const query = { $select: CONFIG_FIELDS, $expand: EXPAND_USER };
  if (!isGuid(typed) && typed.includes('@')) {
    const list = await graph.get<{ value: TeamsUserConfiguration[] }>(
      withQuery(BASE, { $filter: `userPrincipalName eq ${odataLiteral(typed)}`, ...query }),
      EVOLVABLE_ENUMS,
    );
    const found = list.body.value?.[0];
    if (!found) throw new NotFoundError(`Teams has no configuration for ${typed}: no such user in this tenant.`);
    return found;
  }
  const id = isGuid(typed) ? typed : (await resolveUser(graph, typed, ['id'])).id;
  return (await graph.get<TeamsUserConfiguration>(withQuery(`${BASE}/${id}`, query), EVOLVABLE_ENUMS)).body;
}

const ACCOUNT_TYPES: Record<string, { label: string; color: 'Good' | 'Warning' | 'Attention' | 'Accent' }> = {
  user: { label: 'Teams user', color: 'Good' },
  resourceAccount: { label: 'Resource account', color: 'Accent' },
  guest: { label: 'Guest', color: 'Warning' },
  sfbOnPremUser: { label: 'Skype for Business on-premises', color: 'Warning' },
  ineligibleUser: { label: 'Not eligible (no Teams licence)', color: 'Attention' },
  unknownFutureValue: { label: 'Not eligible / unknown', color: 'Attention' },
  unknown: { label: 'Unknown', color: 'Warning' },
};

export function accountTypeView(type: string | undefined): {
  label: string;
  color: 'Good' | 'Warning' | 'Attention' | 'Accent';
} {
  return ACCOUNT_TYPES[type ?? 'unknown'] ?? { label: type ?? 'Unknown', color: 'Warning' };
}

export type EffectivePolicy = NonNullable<TeamsUserConfiguration['effectivePolicyAssignments']>[number];

/**
 * The user's effective policies as a batch step, to learn what a grant or revoke replaces in the same round trip
 * as the other lookups. Only for an object id or UPN (a display name must be resolved first): otherwise undefined.
 */
export function policiesLookup(typed: string, id = 'config'): Lookup<TeamsUserConfiguration | undefined> | undefined {
  const query = { $select: ['id', 'effectivePolicyAssignments'] };
  if (isGuid(typed)) {
    return {
      steps: [{ id, method: 'GET', url: withQuery(`${BASE}/${typed}`, query) }],
      pick: (results) => stepBody<TeamsUserConfiguration>(results, id),
    };
  }
  if (!typed.includes('@')) return undefined;
  return {
    steps: [
      { id, method: 'GET', url: withQuery(BASE, { $filter: `userPrincipalName eq ${odataLiteral(typed)}`, ...query }) },
    ],
    pick: (results) => stepBody<{ value?: TeamsUserConfiguration[] }>(results, id).value?.[0],
  };
}

/** The assignment of one policy type in force for the user, if any (direct or inherited from a group). */
export function effectivePolicy(
  config: TeamsUserConfiguration | undefined,
  policyType: string,
): EffectivePolicy | undefined {
  return config?.effectivePolicyAssignments?.find((p) => p.policyType.toLowerCase() === policyType.toLowerCase());
}

/** "AllOn · direct", "Default · from group 5f1e…", or the Global fallback. */
export function describePolicy(policy: EffectivePolicy | undefined): string {
  if (!policy) return 'Global (org-wide default)';
  const a = policy.policyAssignment ?? {};
  const source = a.assignmentType === 'group' ? `from group ${a.groupId ?? '?'}` : (a.assignmentType ?? 'direct');
  return `${a.displayName || a.policyId || '?'} · ${source}`;
}
