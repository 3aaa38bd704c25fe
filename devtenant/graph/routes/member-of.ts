// /users/{id}/memberOf and transitiveMemberOf (groups and directory roles), plus the /microsoft.graph.group cast.
import { registerRoutes } from './registry.js';
import { listCollection } from '../odata/collection.js';
import { P, STRING_DIR, STRING_EQ, type EntitySchema } from '../odata/schema.js';
import { resolveUser } from './common.js';
import type { RouteContext, RouteDefinition } from '../route.js';
import type { DirectoryRole, SeedGroup } from '../../seed/index.js';

type Membership = { kind: 'group'; group: SeedGroup } | { kind: 'role'; role: DirectoryRole };

const schema: EntitySchema<Membership> = {
  typeName: 'microsoft.graph.directoryObject',
  resourceName: 'DirectoryObject',
  directory: true,
  properties: {
    id: P.str(STRING_EQ),
    displayName: P.str(STRING_DIR, true),
    description: P.str(),
    mail: P.str(STRING_DIR),
    mailEnabled: P.bool(['eq']),
    securityEnabled: P.bool(['eq']),
    groupTypes: P.strings(['any'], ['eq']),
    visibility: P.str(),
    resourceProvisioningOptions: P.strings(['any'], ['eq']),
    roleTemplateId: P.str(['eq']),
    deletedDateTime: P.date(),
  },
  defaultSelect: [
    'id',
    'displayName',
    'description',
    'mail',
    'mailEnabled',
    'securityEnabled',
    'groupTypes',
    'visibility',
    'resourceProvisioningOptions',
    'roleTemplateId',
    'deletedDateTime',
  ],
  toJson: (m) =>
    m.kind === 'group'
      ? {
          '@odata.type': '#microsoft.graph.group',
          id: m.group.id,
          deletedDateTime: null,
          displayName: m.group.displayName,
          description: m.group.description,
          mail: m.group.mail,
          mailEnabled: m.group.mailEnabled,
          securityEnabled: m.group.securityEnabled,
          groupTypes: m.group.groupTypes,
          visibility: m.group.visibility,
          resourceProvisioningOptions: m.group.resourceProvisioningOptions,
        }
      : {
          '@odata.type': '#microsoft.graph.directoryRole',
          id: m.role.id,
          deletedDateTime: null,
          displayName: m.role.displayName,
          description: m.role.description,
          roleTemplateId: m.role.roleTemplateId,
        },
};

function memberships(ctx: RouteContext, groupsOnly: boolean): Membership[] {
  const user = resolveUser(ctx, ctx.params.id);
  const out: Membership[] = ctx.tenant.groups
    .filter((g) => g.memberIds.has(user.id))
    .map((group) => ({ kind: 'group', group }));
  if (groupsOnly) return out;
  const roles = new Set(ctx.tenant.activeRoleTemplateIds(user.id));
  for (const role of ctx.tenant.directoryRoles) if (roles.has(role.roleTemplateId)) out.push({ kind: 'role', role });
  return out;
}

const route = (path: string, groupsOnly: boolean): RouteDefinition => ({
  method: 'GET',
  path,
  countable: true,
  selfParam: 'id',
  selfPermissions: ['User.Read'],
  permissions: { delegated: ['GroupMember.Read.All'], application: ['GroupMember.Read.All'] },
  handler: (ctx) =>
    listCollection(ctx, {
      schema,
      items: memberships(ctx, groupsOnly),
      contextPath: groupsOnly ? 'groups' : 'directoryObjects',
    }),
});

registerRoutes([
  route('/users/{id}/memberOf', false),
  route('/users/{id}/transitiveMemberOf', false),
  route('/users/{id}/memberOf/microsoft.graph.group', true),
  route('/users/{id}/transitiveMemberOf/microsoft.graph.group', true),
]);
