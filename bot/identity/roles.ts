import type { GraphApi } from '../graph/client.js';

/** Names of the directory roles an admin bot meets (built-in template ids are the same in every tenant). */
export const ROLE_NAMES: Record<string, string> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  '69091246-20e8-4a56-aa4d-066075b2a7a8': 'Teams Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  'c4e39bd9-1100-46d3-8c65-fb160da0071f': 'Authentication Administrator',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': 'Privileged Authentication Administrator',
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451': 'Global Reader',
  '4a5d8f65-41da-4de4-8968-e035b65339cf': 'Reports Reader',
  '5d6b6bb7-de71-4623-b4af-96380a352509': 'Security Reader',
  '194ae4cb-b126-40b2-bd5b-6091b380977d': 'Security Administrator',
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': 'Helpdesk Administrator',
  '4d6ac14f-3453-41d0-bef9-a3e0c569773a': 'License Administrator',
  'fdd7a751-b60b-444a-984c-02652fe8fa1c': 'Groups Administrator',
  'baf37b3a-610e-45da-9e62-d9d1e5e8914b': 'Teams Communications Administrator',
  '29232cdf-9323-42fd-ade2-1d097af3e4de': 'Exchange Administrator',
};

export function roleName(templateId: string): string {
  return ROLE_NAMES[templateId.toLowerCase()] ?? templateId;
}

/**
 * The directory roles the signed-in user holds right now, asked of Graph for every command (a token's `wids`
 * is a snapshot from sign-in and is never trusted for this). `filterByCurrentUser` lists the caller's own active
 * assignments, permanent and PIM-activated, and needs no reader role, so a Teams or Authentication
 * Administrator can be checked as well as a Global Administrator. Only tenant-wide (`/`) assignments count:
 * an administrative-unit-scoped role does not make a tenant admin.
 */
export async function currentRoleTemplateIds(graph: GraphApi): Promise<string[]> {
  return ownTenantWideRoles(graph, 'roleAssignmentScheduleInstances');
}

/**
 * The roles the signed-in user could activate with PIM (eligible, not active): lets an eligible-only admin reach
 * the commands that exist to activate them (`pim eligible`, `pim activate`), and nothing else.
 */
export async function eligibleRoleTemplateIds(graph: GraphApi): Promise<string[]> {
  return ownTenantWideRoles(graph, 'roleEligibilityScheduleInstances');
}

async function ownTenantWideRoles(
  graph: GraphApi,
  collection: 'roleAssignmentScheduleInstances' | 'roleEligibilityScheduleInstances',
): Promise<string[]> {
  const ids = new Set<string>();
  let path: string | undefined =
    `/roleManagement/directory/${collection}/filterByCurrentUser(on='principal')?$select=roleDefinitionId,directoryScopeId`;
  for (let page = 0; path && page < 10; page++) {
    const response: {
      body: { value?: { roleDefinitionId?: string; directoryScopeId?: string }[]; '@odata.nextLink'?: string };
    } = await graph.get(path);
    for (const assignment of response.body.value ?? []) {
      if (assignment.roleDefinitionId && (assignment.directoryScopeId ?? '/') === '/')
        ids.add(assignment.roleDefinitionId.toLowerCase());
    }
    const next = response.body['@odata.nextLink'];
    path = next ? graph.relativeLink(next) : undefined;
  }
  return [...ids];
}
