import type { GraphApi } from '../../graph/client.js';
import { isGuid, odataLiteral, withQuery } from '../../graph/odata.js';
import { MAX_CANDIDATES, pickExactOrPrefix, runLookups, type Lookup } from '../_lib/batch-lookup.js';
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

type GroupKindFields = Pick<
  GraphGroup,
  'groupTypes' | 'securityEnabled' | 'mailEnabled' | 'resourceProvisioningOptions'
>;

function kind(group: GroupKindFields): string {
  if (group.resourceProvisioningOptions?.includes('Team')) return 'team';
  if (group.groupTypes?.includes('Unified')) return 'Microsoft 365 group';
  if (group.securityEnabled) return group.mailEnabled ? 'mail-enabled security group' : 'security group';
  return group.mailEnabled ? 'distribution list' : 'group';
}

export function groupKind(group: GroupKindFields): string {
  const text = kind(group);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Finding a group from what an admin typed, as `$batch` steps: an object id is one read; a name is looked up
 * exactly and by prefix side by side (a prefix query alone could page the exact "Sales" away behind "Sales 1…9"),
 * so resolving costs one round trip either way, and other lookups (the user to add) can ride in the same batch.
 */
export function groupLookup(typed: string, select: string[] = GROUP_SUMMARY_FIELDS): Lookup<GraphGroup> {
  if (isGuid(typed)) {
    return {
      steps: [{ id: 'group', method: 'GET', url: withQuery(`/groups/${typed}`, { $select: select }) }],
      pick: (r) => stepBody<GraphGroup>(r, 'group'),
    };
  }
  const literal = odataLiteral(typed);
  const query = (filter: string) =>
    withQuery('/groups', { $filter: filter, $top: MAX_CANDIDATES + 1, $select: select });
  return {
    steps: [
      { id: 'group-exact', method: 'GET', url: query(`displayName eq ${literal}`) },
      { id: 'group-prefix', method: 'GET', url: query(`startswith(displayName,${literal})`) },
    ],
    pick: (results) => {
      const exact = stepBody<{ value: GraphGroup[] }>(results, 'group-exact').value ?? [];
      const prefix = stepBody<{ value: GraphGroup[] }>(results, 'group-prefix').value ?? [];
      return pickExactOrPrefix(typed, exact, prefix, {
        noun: 'group',
        hint: 'Check the spelling, or give its object id.',
        label: (g) => `${g.displayName} (${kind(g)}${g.mail ? `, ${g.mail}` : ''})`,
        // Same-named groups can only be told apart by id.
        value: (g) => (exact.length > 1 ? g.id : g.displayName),
      });
    },
  };
}

/** One round trip: the group an admin named (see `groupLookup`). */
export async function resolveGroup(
  graph: GraphApi,
  typed: string,
  select: string[] = GROUP_SUMMARY_FIELDS,
): Promise<GraphGroup> {
  const [group] = await runLookups<[GraphGroup]>(graph, groupLookup(typed, select));
  return group;
}
