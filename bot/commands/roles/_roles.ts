import type { GraphApi } from '../../graph/client.js';
import { isGuid, withQuery } from '../../graph/odata.js';
import { pickByName } from '../_lib/pick-by-name.js';

export const ROLE_DEFINITIONS = '/roleManagement/directory/roleDefinitions';

export interface RoleDefinition {
  id: string;
  displayName: string;
  description?: string | null;
  isBuiltIn?: boolean;
  isEnabled?: boolean;
}

/**
 * All role definitions of the tenant, only the fields asked for. Graph returns them in one response (the
 * collection does not page, and a tenant has ~130 built-in roles plus its custom ones), so a name is matched here.
 */
export async function fetchRoleDefinitions(graph: GraphApi, select: string[]): Promise<RoleDefinition[]> {
  const response = await graph.get<{ value: RoleDefinition[] }>(withQuery(ROLE_DEFINITIONS, { $select: select }));
  return response.body.value ?? [];
}

/** A role by id or by (part of) its name, in one round trip; several candidates → a choice card. */
export async function resolveRoleDefinition(graph: GraphApi, typed: string): Promise<RoleDefinition> {
  if (isGuid(typed)) {
    return (
      await graph.get<RoleDefinition>(withQuery(`${ROLE_DEFINITIONS}/${typed}`, { $select: ['id', 'displayName'] }))
    ).body;
  }
  return pickByName(await fetchRoleDefinitions(graph, ['id', 'displayName']), typed, {
    name: (r) => r.displayName,
    noun: 'directory role',
  });
}

/** `'/'` is the whole tenant; anything else is an administrative unit or an object the assignment is limited to. */
export function scopeText(directoryScopeId: string | null | undefined): string {
  return !directoryScopeId || directoryScopeId === '/' ? 'tenant-wide' : `scope ${directoryScopeId}`;
}
