// microsoft.graph.user: properties the stand-in serves, with Graph's documented $filter support per property.
import type { SeedUser } from '../../seed/index.js';
import { DATE_RANGE, P, type EntitySchema, type FilterOp, type PropertySpec } from '../odata/schema.js';

/** "Supports $filter (eq, ne, NOT, ge, le, in, startsWith, and eq on null values)" — most user strings. */
const STR: readonly FilterOp[] = ['eq', 'ne', 'ge', 'le', 'in', 'startswith', 'eqnull'];
const ORDERED = ['eq', 'ne', 'ge', 'le', 'in'] as const;
const EQ_NE_IN = ['eq', 'ne', 'in'] as const;
/** A property kept in `SeedUser.extra` (not a field of its own). */
const extra = (spec: PropertySpec, name: string): PropertySpec => ({
  ...spec,
  get: (u: SeedUser) => u.extra?.[name] ?? null,
});
const extraStr = (name: string, ops: readonly FilterOp[] = STR) => extra(P.str(ops), name);
const EXTENSION_ATTRIBUTES = Object.fromEntries(
  Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, P.str(['eq', 'ge', 'le', 'in', 'eqnull'])]),
);

/**
 * $filter support per property, as the v1.0 user resource documents it ("Supports `$filter` (…)", learn.microsoft.com/
 * graph/api/resources/user); `NOT` is an advanced query on every property that supports it. Properties not listed
 * are selectable but not filterable (400 Request_UnsupportedQuery, as Graph).
 */
export const USER_FILTER_RULES: Record<string, PropertySpec> = {
  id: P.str(EQ_NE_IN),
  accountEnabled: P.bool(EQ_NE_IN),
  ageGroup: extraStr('ageGroup', EQ_NE_IN),
  assignedLicenses: P.complexes({ skuId: P.guid(['eq']), disabledPlans: P.strings() }, ['any']),
  assignedPlans: extra(
    P.complexes({ servicePlanId: P.guid(['eq']), capabilityStatus: P.str(['eq']), service: P.str(['eq']) }, ['any']),
    'assignedPlans',
  ),
  businessPhones: P.strings(['any'], ['eq']),
  city: extraStr('city'),
  companyName: extraStr('companyName'),
  consentProvidedForMinor: extraStr('consentProvidedForMinor', EQ_NE_IN),
  country: extraStr('country'),
  createdDateTime: P.date(ORDERED, true),
  creationType: extraStr('creationType', EQ_NE_IN),
  deletedDateTime: P.date(ORDERED),
  department: P.str([...ORDERED, 'eqnull']),
  displayName: P.str(STR, true),
  employeeHireDate: extra(P.date(ORDERED), 'employeeHireDate'),
  employeeId: extraStr('employeeId'),
  employeeOrgData: extra(P.complex({ division: P.str(ORDERED), costCenter: P.str(ORDERED) }), 'employeeOrgData'),
  employeeType: extraStr('employeeType', [...ORDERED, 'startswith']),
  externalUserState: extraStr('externalUserState', EQ_NE_IN),
  externalUserStateChangeDateTime: extra(P.date(EQ_NE_IN), 'externalUserStateChangeDateTime'),
  faxNumber: extraStr('faxNumber'),
  givenName: P.str(STR),
  identities: extra(
    P.complexes({ signInType: P.str(['eq']), issuer: P.str(['eq']), issuerAssignedId: P.str(['eq']) }, ['any']),
    'identities',
  ),
  imAddresses: extra(P.strings(['any'], ['eq', 'ge', 'le', 'startswith']), 'imAddresses'),
  jobTitle: P.str(STR),
  mail: P.str([...STR, 'endswith']),
  mailNickname: extraStr('mailNickname'),
  mobilePhone: P.str(STR),
  officeLocation: P.str(STR),
  onPremisesExtensionAttributes: extra(P.complex(EXTENSION_ATTRIBUTES), 'onPremisesExtensionAttributes'),
  onPremisesImmutableId: extraStr('onPremisesImmutableId', ORDERED),
  onPremisesLastSyncDateTime: extra(P.date(ORDERED), 'onPremisesLastSyncDateTime'),
  onPremisesSamAccountName: extraStr('onPremisesSamAccountName', [...ORDERED, 'startswith']),
  onPremisesSecurityIdentifier: extraStr('onPremisesSecurityIdentifier', ['eqnull']),
  onPremisesSyncEnabled: P.bool([...EQ_NE_IN, 'eqnull']),
  onPremisesUserPrincipalName: extraStr('onPremisesUserPrincipalName', [...ORDERED, 'startswith']),
  otherMails: P.strings(['any'], ['eq', 'ge', 'le', 'in', 'startswith']),
  passwordPolicies: P.str(['ne', 'eqnull']),
  postalCode: extraStr('postalCode'),
  preferredLanguage: P.str(STR),
  provisionedPlans: extra(
    P.complexes({ capabilityStatus: P.str(['eq']), provisioningStatus: P.str(['eq']), service: P.str(['eq']) }, [
      'any',
    ]),
    'provisionedPlans',
  ),
  proxyAddresses: {
    ...P.strings(['any'], ['eq', 'ge', 'le', 'startswith']),
    get: (u: SeedUser) => (u.mail ? [`SMTP:${u.mail}`] : []),
  },
  showInAddressList: extra(P.bool(EQ_NE_IN), 'showInAddressList'),
  signInActivity: P.complex({
    lastSignInDateTime: P.date(DATE_RANGE),
    lastSignInRequestId: P.str(),
    lastNonInteractiveSignInDateTime: P.date(DATE_RANGE),
    lastNonInteractiveSignInRequestId: P.str(),
    lastSuccessfulSignInDateTime: P.date(DATE_RANGE),
    lastSuccessfulSignInRequestId: P.str(),
  }),
  signInSessionsValidFromDateTime: P.date(),
  state: extraStr('state'),
  streetAddress: extraStr('streetAddress'),
  surname: P.str(STR),
  usageLocation: P.str(STR),
  userPrincipalName: P.str([...ORDERED, 'startswith', 'endswith'], true),
  userType: P.str([...EQ_NE_IN, 'eqnull']),
};

/** v1.0's default property set when there is no $select. */
export const USER_DEFAULT_SELECT = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

export const userSchema: EntitySchema<SeedUser> = {
  typeName: 'microsoft.graph.user',
  resourceName: 'User',
  directory: true,
  properties: USER_FILTER_RULES,
  defaultSelect: USER_DEFAULT_SELECT,
  selectOnly: ['signInActivity', 'licenseAssignmentStates'],
  searchable: ['displayName', 'userPrincipalName', 'mail', 'givenName', 'surname', 'jobTitle', 'department'],
  toJson: (u) => ({
    id: u.id,
    businessPhones: u.businessPhones,
    displayName: u.displayName,
    givenName: u.givenName,
    jobTitle: u.jobTitle,
    mail: u.mail,
    mobilePhone: u.mobilePhone,
    officeLocation: u.officeLocation,
    preferredLanguage: u.preferredLanguage,
    surname: u.surname,
    userPrincipalName: u.userPrincipalName,
    accountEnabled: u.accountEnabled,
    userType: u.userType,
    usageLocation: u.usageLocation,
    department: u.department,
    createdDateTime: u.createdDateTime,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled,
    otherMails: u.otherMails,
    assignedLicenses: u.assignedLicenses,
    // Direct assignments are active; a failed (group-based) assignment is listed with its error, as Graph does.
    licenseAssignmentStates: [
      ...u.assignedLicenses.map((l) => ({ ...l, assignedByGroup: null, state: 'Active', error: 'None' })),
      ...(u.licenseErrors ?? []).map((e) => ({
        skuId: e.skuId,
        disabledPlans: [],
        assignedByGroup: e.groupId ?? null,
        state: 'Error',
        error: e.error,
      })),
    ],
    signInActivity: u.signInActivity,
    signInSessionsValidFromDateTime: u.signInSessionsValidFromDateTime,
    passwordPolicies: u.passwordPolicies,
    employeeId: null,
    companyName: null,
    proxyAddresses: u.mail ? [`SMTP:${u.mail}`] : [],
    deletedDateTime: (u as { deletedDateTime?: string }).deletedDateTime ?? null,
    ...u.extra,
  }),
};

/** As a directoryObject inside members/$expand: typed, with the default user properties. */
export function userAsDirectoryObject(u: SeedUser): Record<string, unknown> {
  const json = userSchema.toJson(u, undefined as never);
  const out: Record<string, unknown> = { '@odata.type': '#microsoft.graph.user' };
  for (const k of USER_DEFAULT_SELECT) out[k] = json[k];
  return out;
}
