import { AmbiguousTargetError, NotFoundError } from '../../errors.js';
import type { BatchStep, BatchStepResult, GraphApi } from '../../graph/client.js';
import { isGuid, odataLiteral, withQuery } from '../../graph/odata.js';
import { stepBody } from '../_lib/batch-steps.js';

export interface GraphGroup {
  id: string;
  displayName: string;
  description?: string | null;
  mail?: string | null;
  mailEnabled?: boolean;
  securityEnabled?: boolean;
  groupTypes?: string[];
  visibility?: string | null;
  createdDateTime?: string | null;
  resourceProvisioningOptions?: string[];
}

export const GROUP_SUMMARY_FIELDS = ['id', 'displayName', 'mail', 'groupTypes', 'securityEnabled', 'mailEnabled'];
const MAX_CANDIDATES = 5;

/**
 * The `$batch` steps that find a group from what an admin typed: an object id is one read; a name is looked up
 * exactly and by prefix side by side (a prefix query alone could page the exact name away behind "Sales 1…9"),
 * so resolving costs one round trip either way. Other steps (the user to add) can ride in the same batch.
 */
export function groupLookupSteps(typed: string, select: string[]): BatchStep[] {
  if (isGuid(typed)) return [{ id: 'group', method: 'GET', url: withQuery(`/groups/${typed}`, { $select: select }) }];
  const literal = odataLiteral(typed);
  return [
    { id: 'exact', method: 'GET', url: withQuery('/groups', { $filter: `displayName eq ${literal}`, $top: MAX_CANDIDATES + 1, $select: select }) },
    { id: 'prefix', method: 'GET', url: withQuery('/groups', { $filter: `startswith(displayName,${literal})`, $top: MAX_CANDIDATES + 1, $select: select }) },
  ];
}

function kind(group: Pick<GraphGroup, 'groupTypes' | 'securityEnabled' | 'mailEnabled' | 'resourceProvisioningOptions'>): string {
  if (group.resourceProvisioningOptions?.includes('Team')) return 'team';
  if (group.groupTypes?.includes('Unified')) return 'Microsoft 365 group';
  if (group.securityEnabled) return group.mailEnabled ? 'mail-enabled security group' : 'security group';
  return group.mailEnabled ? 'distribution list' : 'group';
}

export function groupKind(group: Pick<GraphGroup, 'groupTypes' | 'securityEnabled' | 'mailEnabled' | 'resourceProvisioningOptions'>): string {
  const text = kind(group);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Picks the group out of the lookup steps' answers: exact name wins, then a single prefix match; never a guess. */
export function groupFromLookup(results: Map<string, BatchStepResult>, typed: string): GraphGroup {
  if (results.has('group')) return stepBody<GraphGroup>(results, 'group');
  const exact = stepBody<{ value: GraphGroup[] }>(results, 'exact').value ?? [];
  if (exact.length === 1) return exact[0];
  const candidates = exact.length > 1 ? exact : stepBody<{ value: GraphGroup[] }>(results, 'prefix').value ?? [];
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) throw new NotFoundError(`No group's name starts with "${typed}".`);
  throw new AmbiguousTargetError(
    typed,
    candidates.slice(0, MAX_CANDIDATES).map((g) => ({
      label: `${g.displayName} (${kind(g)}${g.mail ? `, ${g.mail}` : ''})`,
      // Same-named groups can only be told apart by id.
      value: exact.length > 1 ? g.id : g.displayName,
    })),
  );
}

/** One round trip: the group an admin named (see `groupLookupSteps`). */
export async function resolveGroup(graph: GraphApi, typed: string, select: string[] = GROUP_SUMMARY_FIELDS): Promise<GraphGroup> {
  return groupFromLookup(await graph.batch(groupLookupSteps(typed, select)), typed);
}
