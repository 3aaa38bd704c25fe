import type { GraphApi } from '../graph/client.js';
import { CodedError, ErrorCode } from '../errors.js';
import { odataLiteral, withQuery } from '../graph/odata.js';
import { roleName } from '../identity/roles.js';

/**
 * Who may approve a `dangerous` command (besides "never the requester", checked by the service):
 * 1. A role that could run the command itself: the command's own `roles` when it declares them, else the roles
 *    that can do its area's work in Entra (below), else — for an area not listed — the bot-wide approver roles.
 *    A Teams Administrator cannot release an MFA reset, because Graph would not let them do one either.
 * 2. When the pinned target holds or is eligible for a privileged role (Global Administrator, Privileged Role
 *    Administrator, Privileged Authentication Administrator), the approver must also hold one of Global
 *    Administrator, Privileged Authentication Administrator or Privileged Role Administrator. Both rules apply
 *    together, so for users/mfa work on a privileged admin only a Global or Privileged Authentication
 *    Administrator qualifies (a Privileged Role Administrator cannot reset methods or block users in Entra either).
 * Built-in role template ids are the same in every tenant.
 */
export const ROLE_IDS = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  licenseAdministrator: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  groupsAdministrator: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  teamsAdministrator: '69091246-20e8-4a56-aa4d-066075b2a7a8',
  teamsCommunicationsAdministrator: 'baf37b3a-610e-45da-9e62-d9d1e5e8914b',
} as const;

const R = ROLE_IDS;

/** Roles that can do an area's work in Entra (least privilege per Microsoft's role documentation). */
export const AREA_APPROVER_ROLES: Readonly<Record<string, readonly string[]>> = {
  users: [R.globalAdministrator, R.userAdministrator, R.privilegedAuthenticationAdministrator],
  mfa: [R.globalAdministrator, R.authenticationAdministrator, R.privilegedAuthenticationAdministrator],
  licenses: [R.globalAdministrator, R.userAdministrator, R.licenseAdministrator],
  groups: [R.globalAdministrator, R.userAdministrator, R.groupsAdministrator],
  roles: [R.globalAdministrator, R.privilegedRoleAdministrator],
  teams: [R.globalAdministrator, R.teamsAdministrator],
  voice: [R.globalAdministrator, R.teamsAdministrator, R.teamsCommunicationsAdministrator],
};

/** A target holding (or eligible for) one of these is a privileged admin. */
export const PRIVILEGED_TARGET_ROLES: readonly string[] = [
  R.globalAdministrator,
  R.privilegedRoleAdministrator,
  R.privilegedAuthenticationAdministrator,
];

/** Who may approve dangerous work on a privileged admin. */
export const PRIVILEGED_APPROVER_ROLES: readonly string[] = [
  R.globalAdministrator,
  R.privilegedAuthenticationAdministrator,
  R.privilegedRoleAdministrator,
];

export interface ApprovalSubject {
  name: string;
  area: string;
  roles?: string[];
}

/** The roles that may approve `command` when its target is not privileged. */
export function approverRolesFor(command: ApprovalSubject | undefined, fallback: readonly string[]): readonly string[] {
  if (command?.roles?.length) return command.roles.map((r) => r.toLowerCase());
  return (command && AREA_APPROVER_ROLES[command.area]) ?? fallback;
}

export type Eligibility = { ok: true } | { ok: false; reason: string };

/** Pure decision: `targetRoles` are the target's active and eligible role template ids (undefined: no user target). */
export function approverEligibility(
  approverRoles: readonly string[],
  command: ApprovalSubject | undefined,
  fallback: readonly string[],
  targetRoles?: readonly string[],
): Eligibility {
  const held = approverRoles.map((r) => r.toLowerCase());
  const allowed = approverRolesFor(command, fallback);
  const name = command?.name ?? 'this command';
  if (!held.some((r) => allowed.includes(r))) {
    return {
      ok: false,
      reason: `Approving "${name}" needs a role that could run it: ${allowed.map(roleName).join(', ')}.`,
    };
  }
  const privileged = (targetRoles ?? []).map((r) => r.toLowerCase()).filter((r) => PRIVILEGED_TARGET_ROLES.includes(r));
  if (privileged.length > 0 && !held.some((r) => PRIVILEGED_APPROVER_ROLES.includes(r) && allowed.includes(r))) {
    const qualified = PRIVILEGED_APPROVER_ROLES.filter((r) => allowed.includes(r));
    return {
      ok: false,
      reason:
        `The target holds ${privileged.map(roleName).join(', ')}: approving "${name}" on a privileged admin needs ` +
        `${qualified.map(roleName).join(' or ')}.`,
    };
  }
  return { ok: true };
}

interface RoleRow {
  roleDefinitionId?: string;
  roleTemplateId?: string;
  '@odata.type'?: string;
}

/**
 * The target's active directory roles (transitiveMemberOf: direct and through role-assignable groups) and the
 * roles it could activate with PIM (eligibility instances): someone eligible for Global Administrator is one MFA
 * registration away from being one, which is exactly what an MFA reset hands out. Any failure propagates: the
 * caller refuses the decision rather than guessing that the target is not privileged.
 */
/**
 * Pages read per role listing before giving up (fail closed): bounds the approver's wait on a target in thousands of
 * groups.
 */
const MAX_ROLE_PAGES = 10;

export async function targetRoleTemplateIds(graph: GraphApi, userId: string): Promise<string[]> {
  const ids = new Set<string>();
  const collect = async (first: string, pick: (row: RoleRow) => string | undefined) => {
    let path: string | undefined = first;
    for (let page = 0; path && page < MAX_ROLE_PAGES; page++) {
      const response: { body: { value?: RoleRow[]; '@odata.nextLink'?: string } } = await graph.get(path);
      for (const row of response.body.value ?? []) {
        const id = pick(row);
        if (id) ids.add(id.toLowerCase());
      }
      const next = response.body['@odata.nextLink'];
      path = next ? graph.relativeLink(next) : undefined;
    }
    // A role listed past the bound would be missed: refuse to decide rather than call the target unprivileged.
    if (path)
      throw new CodedError(
        ErrorCode.Graph,
        `The target's directory roles span more than ${MAX_ROLE_PAGES} pages; the bot cannot tell whether the ` +
          `target is a privileged admin.`,
      );
  };
  await collect(`/users/${encodeURIComponent(userId)}/transitiveMemberOf?$select=id,roleTemplateId`, (row) =>
    row['@odata.type'] === '#microsoft.graph.directoryRole' ? row.roleTemplateId : undefined,
  );
  await collect(
    withQuery('/roleManagement/directory/roleEligibilityScheduleInstances', {
      $filter: `principalId eq ${odataLiteral(userId)}`,
      $select: 'roleDefinitionId',
    }),
    (row) => row.roleDefinitionId,
  );
  return [...ids];
}
