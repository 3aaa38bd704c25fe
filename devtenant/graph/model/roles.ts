// Role-management entity schemas: roleDefinitions, directoryRoles, roleAssignments, schedule instances, requests.
import type {
  DirectoryRole,
  RoleAssignmentScheduleRequest,
  RoleDefinition,
  SeedUser,
  TenantStore,
} from '../../seed/index.js';
import { P, STRING_EQ, type EntitySchema, type ExpandContext } from '../odata/schema.js';
import { userAsDirectoryObject } from './user.js';

/** Unified view of a role assignment / schedule instance (permanent or PIM-activated or eligible). */
export interface RoleGrant {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  startDateTime: string | null;
  endDateTime: string | null;
  assignmentType: 'Assigned' | 'Activated' | null;
  scheduleId: string;
}

export function roleDefinitionJson(d: RoleDefinition): Record<string, unknown> {
  return {
    id: d.id,
    description: d.description,
    displayName: d.displayName,
    isBuiltIn: d.isBuiltIn,
    isEnabled: d.isEnabled,
    resourceScopes: ['/'],
    templateId: d.templateId,
    version: '1',
    rolePermissions: [{ allowedResourceActions: d.allowedResourceActions, condition: null }],
    inheritsPermissionsFrom: [],
  };
}

function pick(obj: Record<string, unknown>, select: string[] | null): Record<string, unknown> {
  if (!select) return obj;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) if (k.startsWith('@odata.') || select.includes(k)) out[k] = obj[k];
  return out;
}

export function principalJson(
  tenant: TenantStore,
  id: string,
  select: string[] | null,
): Record<string, unknown> | null {
  const u: SeedUser | undefined = tenant.userById(id);
  return u ? pick(userAsDirectoryObject(u), select) : null;
}

export const roleDefinitionSchema: EntitySchema<RoleDefinition> = {
  typeName: 'microsoft.graph.unifiedRoleDefinition',
  resourceName: 'UnifiedRoleDefinition',
  directory: false,
  properties: {
    id: P.str(STRING_EQ),
    description: P.str(),
    displayName: P.str(['eq', 'startswith'], true),
    isBuiltIn: P.bool(['eq']),
    isEnabled: P.bool(['eq']),
    resourceScopes: P.strings(),
    templateId: P.str(['eq']),
    version: P.str(),
    rolePermissions: P.complexes(),
    inheritsPermissionsFrom: P.complexes(),
  },
  toJson: roleDefinitionJson,
};

export const directoryRoleSchema: EntitySchema<DirectoryRole> = {
  typeName: 'microsoft.graph.directoryRole',
  resourceName: 'DirectoryRole',
  directory: true,
  properties: {
    id: P.str(),
    deletedDateTime: P.date(),
    description: P.str(),
    displayName: P.str(['eq']),
    roleTemplateId: P.str(['eq']),
  },
  toJson: (r) => ({
    id: r.id,
    deletedDateTime: null,
    description: r.description,
    displayName: r.displayName,
    roleTemplateId: r.roleTemplateId,
  }),
};

const navigation = {
  principal: (g: RoleGrant, e: ExpandContext) => principalJson(e.ctx.tenant, g.principalId, e.select),
  roleDefinition: (g: RoleGrant, e: ExpandContext) => {
    const d = e.ctx.tenant.roleDefinitionById(g.roleDefinitionId);
    return d ? pick(roleDefinitionJson(d), e.select) : null;
  },
};

const grantProps = {
  id: P.str(STRING_EQ),
  principalId: P.str(STRING_EQ),
  roleDefinitionId: P.str(STRING_EQ),
  directoryScopeId: P.str(['eq']),
  appScopeId: P.str(),
};

export const roleAssignmentSchema: EntitySchema<RoleGrant> = {
  typeName: 'microsoft.graph.unifiedRoleAssignment',
  resourceName: 'UnifiedRoleAssignment',
  directory: false,
  properties: { ...grantProps, condition: P.str() },
  navigation,
  toJson: (g) => ({
    id: g.id,
    principalId: g.principalId,
    roleDefinitionId: g.roleDefinitionId,
    directoryScopeId: g.directoryScopeId,
    appScopeId: null,
    condition: null,
  }),
};

export const eligibilityInstanceSchema: EntitySchema<RoleGrant> = {
  typeName: 'microsoft.graph.unifiedRoleEligibilityScheduleInstance',
  resourceName: 'UnifiedRoleEligibilityScheduleInstance',
  directory: false,
  properties: {
    ...grantProps,
    startDateTime: P.date(),
    endDateTime: P.date(),
    memberType: P.str(['eq']),
    roleEligibilityScheduleId: P.str(['eq']),
  },
  navigation,
  toJson: (g) => ({
    id: g.id,
    principalId: g.principalId,
    roleDefinitionId: g.roleDefinitionId,
    directoryScopeId: g.directoryScopeId,
    appScopeId: null,
    startDateTime: g.startDateTime,
    endDateTime: g.endDateTime,
    memberType: 'Direct',
    roleEligibilityScheduleId: g.scheduleId,
  }),
};

export const assignmentInstanceSchema: EntitySchema<RoleGrant> = {
  typeName: 'microsoft.graph.unifiedRoleAssignmentScheduleInstance',
  resourceName: 'UnifiedRoleAssignmentScheduleInstance',
  directory: false,
  properties: {
    ...grantProps,
    startDateTime: P.date(),
    endDateTime: P.date(),
    assignmentType: P.str(['eq']),
    memberType: P.str(['eq']),
    roleAssignmentOriginId: P.str(),
    roleAssignmentScheduleId: P.str(['eq']),
  },
  navigation,
  toJson: (g) => ({
    id: g.id,
    principalId: g.principalId,
    roleDefinitionId: g.roleDefinitionId,
    directoryScopeId: g.directoryScopeId,
    appScopeId: null,
    startDateTime: g.startDateTime,
    endDateTime: g.endDateTime,
    assignmentType: g.assignmentType,
    memberType: 'Direct',
    roleAssignmentOriginId: g.id,
    roleAssignmentScheduleId: g.scheduleId,
  }),
};

export const scheduleRequestSchema: EntitySchema<RoleAssignmentScheduleRequest> = {
  typeName: 'microsoft.graph.unifiedRoleAssignmentScheduleRequest',
  resourceName: 'UnifiedRoleAssignmentScheduleRequest',
  directory: false,
  properties: {
    id: P.str(STRING_EQ),
    action: P.str(['eq']),
    principalId: P.str(STRING_EQ),
    roleDefinitionId: P.str(STRING_EQ),
    directoryScopeId: P.str(['eq']),
    appScopeId: P.str(),
    status: P.str(['eq']),
    createdDateTime: P.date(['ge', 'le'], true),
    completedDateTime: P.date(),
    justification: P.str(),
    isValidationOnly: P.bool(),
    createdBy: P.complex(),
    scheduleInfo: P.complex(),
    ticketInfo: P.complex(),
    approvalId: P.str(['eq']),
    customData: P.str(),
    targetScheduleId: P.str(),
  },
  navigation: {
    principal: (r, e) => principalJson(e.ctx.tenant, r.principalId, e.select),
    roleDefinition: (r, e) => {
      const d = e.ctx.tenant.roleDefinitionById(r.roleDefinitionId);
      return d ? pick(roleDefinitionJson(d), e.select) : null;
    },
  },
  toJson: (r) => ({
    id: r.id,
    status: r.status,
    createdDateTime: r.createdDateTime,
    completedDateTime: r.completedDateTime,
    approvalId: r.approvalId,
    customData: null,
    action: r.action,
    principalId: r.principalId,
    roleDefinitionId: r.roleDefinitionId,
    directoryScopeId: r.directoryScopeId,
    appScopeId: null,
    isValidationOnly: r.isValidationOnly,
    targetScheduleId: r.id,
    justification: r.justification,
    createdBy: r.createdBy,
    scheduleInfo: r.scheduleInfo,
    ticketInfo: r.ticketInfo,
  }),
};

/** Active grants now: permanent assignments + unexpired activations. */
export function activeGrants(tenant: TenantStore): RoleGrant[] {
  return [
    ...tenant.roleAssignments.map((a): RoleGrant => ({
      id: a.id,
      principalId: a.principalId,
      roleDefinitionId: a.roleDefinitionId,
      directoryScopeId: a.directoryScopeId,
      startDateTime: a.createdDateTime,
      endDateTime: null,
      assignmentType: 'Assigned',
      scheduleId: a.id,
    })),
    ...tenant.activeActivations().map((a): RoleGrant => ({
      id: a.id,
      principalId: a.principalId,
      roleDefinitionId: a.roleDefinitionId,
      directoryScopeId: a.directoryScopeId,
      startDateTime: a.startDateTime,
      endDateTime: a.endDateTime,
      assignmentType: 'Activated',
      scheduleId: a.requestId,
    })),
  ];
}

export function eligibleGrants(tenant: TenantStore): RoleGrant[] {
  return tenant.roleEligibilities.map((e) => ({
    id: e.id,
    principalId: e.principalId,
    roleDefinitionId: e.roleDefinitionId,
    directoryScopeId: e.directoryScopeId,
    startDateTime: e.startDateTime,
    endDateTime: e.endDateTime,
    assignmentType: null,
    scheduleId: e.id,
  }));
}

export const eligibilityScheduleSchema: EntitySchema<RoleGrant> = {
  typeName: 'microsoft.graph.unifiedRoleEligibilitySchedule',
  resourceName: 'UnifiedRoleEligibilitySchedule',
  directory: false,
  properties: {
    ...grantProps,
    createdDateTime: P.date(),
    modifiedDateTime: P.date(),
    createdUsing: P.str(),
    status: P.str(['eq']),
    memberType: P.str(['eq']),
    scheduleInfo: P.complex(),
  },
  navigation,
  toJson: (g) => ({
    id: g.id,
    principalId: g.principalId,
    roleDefinitionId: g.roleDefinitionId,
    directoryScopeId: g.directoryScopeId,
    appScopeId: null,
    createdUsing: g.id,
    createdDateTime: g.startDateTime,
    modifiedDateTime: null,
    status: 'Provisioned',
    memberType: 'Direct',
    scheduleInfo: {
      startDateTime: g.startDateTime,
      recurrence: null,
      expiration: {
        type: g.endDateTime ? 'afterDateTime' : 'noExpiration',
        endDateTime: g.endDateTime,
        duration: null,
      },
    },
  }),
};
