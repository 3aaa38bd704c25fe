// /subscribedSkus, /users/{id}/licenseDetails, /users/{id}/assignLicense
import { registerRoutes } from './registry.js';
import { entityResponse, listCollection } from '../odata/collection.js';
import { P, STRING_EQ, type EntitySchema } from '../odata/schema.js';
import { userSchema } from '../model/user.js';
import { ROLES } from '../permissions.js';
import { badRequest, isGuid } from '../errors.js';
import { bodyObject, resolveUser, userTarget } from './common.js';
import type { AssignedLicense, SeedUser, SubscribedSku, TenantStore } from '../../seed/index.js';
import type { RouteContext } from '../route.js';

interface LicenseDetail {
  id: string;
  skuId: string;
  skuPartNumber: string;
  servicePlans: object[];
}

const skuSchema: EntitySchema<SubscribedSku & { consumedUnits: number }> = {
  typeName: 'microsoft.graph.subscribedSku',
  resourceName: 'SubscribedSku',
  directory: false,
  properties: {
    id: P.str(),
    accountId: P.str(),
    accountName: P.str(),
    skuId: P.guid(),
    skuPartNumber: P.str(),
    appliesTo: P.str(),
    capabilityStatus: P.str(),
    consumedUnits: P.int(),
    prepaidUnits: P.complex(),
    servicePlans: P.complexes(),
    subscriptionIds: P.strings(),
  },
  toJson: (s) => ({
    accountName: s.accountName,
    accountId: s.accountId,
    appliesTo: s.appliesTo,
    capabilityStatus: s.capabilityStatus,
    consumedUnits: s.consumedUnits,
    id: s.id,
    skuId: s.skuId,
    skuPartNumber: s.skuPartNumber,
    subscriptionIds: s.subscriptionIds,
    prepaidUnits: s.prepaidUnits,
    servicePlans: s.servicePlans,
  }),
};

const licenseDetailSchema: EntitySchema<LicenseDetail> = {
  typeName: 'microsoft.graph.licenseDetails',
  resourceName: 'LicenseDetails',
  directory: false,
  properties: {
    id: P.str(STRING_EQ),
    skuId: P.guid(['eq']),
    skuPartNumber: P.str(STRING_EQ),
    servicePlans: P.complexes(),
  },
  toJson: (d) => ({ id: d.id, skuId: d.skuId, skuPartNumber: d.skuPartNumber, servicePlans: d.servicePlans }),
};

function consumed(tenant: TenantStore): Map<string, number> {
  const counts = new Map<string, number>();
  for (const u of tenant.liveUsers())
    for (const l of u.assignedLicenses) counts.set(l.skuId, (counts.get(l.skuId) ?? 0) + 1);
  return counts;
}

function licenseDetails(tenant: TenantStore, user: SeedUser): LicenseDetail[] {
  return user.assignedLicenses.flatMap((l) => {
    const sku = tenant.subscribedSkus.find((s) => s.skuId === l.skuId);
    if (!sku) return [];
    return [
      {
        id: Buffer.from(`${user.id}:${sku.skuId}`).toString('base64url').slice(0, 43),
        skuId: sku.skuId,
        skuPartNumber: sku.skuPartNumber,
        servicePlans: sku.servicePlans.map((p) => ({
          ...p,
          provisioningStatus: l.disabledPlans.includes(p.servicePlanId) ? 'Disabled' : 'Success',
        })),
      },
    ];
  });
}

function parseAssign(ctx: RouteContext): { add: AssignedLicense[]; remove: string[] } {
  const body = bodyObject(ctx);
  if (!Array.isArray(body.addLicenses))
    throw badRequest("Invalid value specified for property 'addLicenses' of resource 'User'.");
  if (!Array.isArray(body.removeLicenses))
    throw badRequest("Invalid value specified for property 'removeLicenses' of resource 'User'.");
  const add = body.addLicenses.map((l: unknown) => {
    const { skuId, disabledPlans } = (l ?? {}) as { skuId?: unknown; disabledPlans?: unknown };
    if (typeof skuId !== 'string' || !isGuid(skuId))
      throw badRequest("Invalid value specified for property 'skuId' of resource 'AssignedLicense'.");
    if (
      disabledPlans !== undefined &&
      disabledPlans !== null &&
      !(Array.isArray(disabledPlans) && disabledPlans.every((p) => typeof p === 'string' && isGuid(p)))
    ) {
      throw badRequest("Invalid value specified for property 'disabledPlans' of resource 'AssignedLicense'.");
    }
    return {
      skuId: skuId.toLowerCase(),
      disabledPlans: ((disabledPlans as string[] | undefined) ?? []).map((p) => p.toLowerCase()),
    };
  });
  const remove = body.removeLicenses.map((s: unknown) => {
    if (typeof s !== 'string' || !isGuid(s))
      throw badRequest("Invalid value specified for property 'removeLicenses' of resource 'User'.");
    return s.toLowerCase();
  });
  return { add, remove };
}

registerRoutes([
  {
    method: 'GET',
    path: '/subscribedSkus',
    permissions: { delegated: ['LicenseAssignment.Read.All'], application: ['LicenseAssignment.Read.All'] },
    handler: (ctx) => {
      const counts = consumed(ctx.tenant);
      const items = ctx.tenant.subscribedSkus.map((s) => ({ ...s, consumedUnits: counts.get(s.skuId) ?? 0 }));
      return listCollection(ctx, {
        schema: skuSchema,
        items,
        contextPath: 'subscribedSkus',
        page: null,
        disallow: ['filter', 'search', 'orderby', 'count', 'top'],
      });
    },
  },
  {
    method: 'GET',
    path: '/users/{id}/licenseDetails',
    selfParam: 'id',
    selfPermissions: ['User.Read'],
    permissions: { delegated: ['LicenseAssignment.Read.All'], application: ['LicenseAssignment.Read.All'] },
    roles: ROLES.directoryReaders,
    handler: (ctx) => {
      const user = resolveUser(ctx, ctx.params.id);
      return listCollection(ctx, {
        schema: licenseDetailSchema,
        items: licenseDetails(ctx.tenant, user),
        contextPath: `users('${user.id}')/licenseDetails`,
        page: null,
      });
    },
  },
  {
    method: 'POST',
    path: '/users/{id}/assignLicense',
    permissions: { delegated: ['LicenseAssignment.ReadWrite.All'], application: ['LicenseAssignment.ReadWrite.All'] },
    roles: ROLES.licenseWriters,
    handler: (ctx) => {
      const user = resolveUser(ctx, ctx.params.id);
      const { add, remove } = parseAssign(ctx);
      const counts = consumed(ctx.tenant);
      for (const l of add) {
        const sku = ctx.tenant.subscribedSkus.find((s) => s.skuId === l.skuId);
        if (!sku) throw badRequest(`License ${l.skuId} does not correspond to a valid company License.`);
        const plans = new Set(sku.servicePlans.map((p) => p.servicePlanId));
        const badPlan = l.disabledPlans.find((p) => !plans.has(p));
        if (badPlan) throw badRequest(`Service plan ${badPlan} does not belong to license ${l.skuId}.`);
        const already = user.assignedLicenses.some((a) => a.skuId === l.skuId);
        if (!already && (counts.get(l.skuId) ?? 0) >= sku.prepaidUnits.enabled) {
          throw badRequest(`Subscription for ${sku.skuPartNumber} does not have any available licenses.`);
        }
      }
      if (add.length > 0 && !user.usageLocation)
        throw badRequest('License assignment cannot be done for user with invalid usage location.');
      for (const skuId of remove) {
        if (!user.assignedLicenses.some((a) => a.skuId === skuId))
          throw badRequest(`User does not have a corresponding license ${skuId}.`);
      }
      const before = user.assignedLicenses.map((l) => l.skuId);
      user.assignedLicenses = [
        ...user.assignedLicenses.filter((a) => !remove.includes(a.skuId) && !add.some((l) => l.skuId === a.skuId)),
        ...add,
      ];
      ctx.audit({
        activityDisplayName: 'Change user license',
        category: 'UserManagement',
        operationType: 'Update',
        targetResources: [
          userTarget(user, [
            {
              displayName: 'AssignedLicense',
              oldValue: JSON.stringify(before),
              newValue: JSON.stringify(user.assignedLicenses.map((l) => l.skuId)),
            },
          ]),
        ],
      });
      return entityResponse(ctx, userSchema, user, 'users');
    },
  },
]);
