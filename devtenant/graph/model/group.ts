// microsoft.graph.group: Graph's documented $filter support per property.
import type { SeedGroup } from '../../seed/index.js';
import { P, type EntitySchema, type FilterOp, type PropertySpec } from '../odata/schema.js';
import { GROUP_DEFAULT_SELECT } from './writable.js';

const ORDERED = ['eq', 'ne', 'ge', 'le', 'in'] as const;
const STR: readonly FilterOp[] = [...ORDERED, 'startswith', 'eqnull'];
const fromExtra = (spec: PropertySpec, name: string): PropertySpec => ({
  ...spec,
  get: (g: SeedGroup) => g.extra?.[name] ?? null,
});

/**
 * $filter support per property as the v1.0 group resource documents it ("Supports `$filter` (…)",
 * learn.microsoft.com/graph/api/resources/group). resourceProvisioningOptions/any(x:x eq 'Team') is the documented
 * way to list teams' groups; visibility eq/ne is not in the property table but Graph answers it (kept; see
 * CONFORMANCE.md).
 */
export const GROUP_FILTER_RULES: Record<string, PropertySpec> = {
  id: P.str(['eq', 'ne', 'in']),
  classification: fromExtra(P.str(['eq', 'ne', 'ge', 'le', 'startswith']), 'classification'),
  createdDateTime: P.date(ORDERED, true),
  description: P.str(['eq', 'ne', 'ge', 'le', 'startswith']),
  displayName: P.str(STR, true),
  expirationDateTime: fromExtra(P.date(ORDERED), 'expirationDateTime'),
  groupTypes: P.strings(['any'], ['eq']),
  hasMembersWithLicenseErrors: fromExtra(P.bool(['eq']), 'hasMembersWithLicenseErrors'),
  isAssignableToRole: { ...P.bool(['eq', 'ne']), get: (g: SeedGroup) => g.extra?.isAssignableToRole ?? false },
  mail: P.str(STR),
  mailEnabled: P.bool(['eq', 'ne']),
  mailNickname: P.str(STR),
  membershipRule: fromExtra(P.str(['eq', 'ne', 'ge', 'le', 'startswith']), 'membershipRule'),
  membershipRuleProcessingState: fromExtra(P.str(['eq', 'ne', 'in']), 'membershipRuleProcessingState'),
  onPremisesLastSyncDateTime: fromExtra(P.date(ORDERED), 'onPremisesLastSyncDateTime'),
  onPremisesSamAccountName: fromExtra(P.str([...ORDERED, 'startswith']), 'onPremisesSamAccountName'),
  onPremisesSecurityIdentifier: fromExtra(P.str(['eqnull']), 'onPremisesSecurityIdentifier'),
  onPremisesSyncEnabled: fromExtra(P.bool(['eq', 'ne', 'in', 'eqnull']), 'onPremisesSyncEnabled'),
  preferredLanguage: fromExtra(P.str(STR), 'preferredLanguage'),
  proxyAddresses: {
    ...P.strings(['any'], ['eq', 'ge', 'le', 'startswith']),
    get: (g: SeedGroup) => (g.mail ? [`SMTP:${g.mail}`] : []),
  },
  renewedDateTime: fromExtra(P.date(ORDERED), 'renewedDateTime'),
  resourceProvisioningOptions: P.strings(['any'], ['eq']),
  securityEnabled: P.bool(['eq', 'ne', 'in']),
  visibility: P.str(['eq', 'ne']),
  deletedDateTime: P.date(),
};

export const groupSchema: EntitySchema<SeedGroup> = {
  typeName: 'microsoft.graph.group',
  resourceName: 'Group',
  directory: true,
  properties: GROUP_FILTER_RULES,
  defaultSelect: GROUP_DEFAULT_SELECT,
  searchable: ['displayName', 'description', 'mail', 'mailNickname'],
  toJson: (g) => ({
    id: g.id,
    deletedDateTime: null,
    createdDateTime: g.createdDateTime,
    description: g.description,
    displayName: g.displayName,
    groupTypes: g.groupTypes,
    mail: g.mail,
    mailEnabled: g.mailEnabled,
    mailNickname: g.mailNickname,
    resourceProvisioningOptions: g.resourceProvisioningOptions,
    securityEnabled: g.securityEnabled,
    visibility: g.visibility,
    proxyAddresses: g.mail ? [`SMTP:${g.mail}`] : [],
    isAssignableToRole: false,
    ...g.extra,
  }),
};
