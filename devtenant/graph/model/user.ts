// microsoft.graph.user: properties the stand-in serves, with Graph's documented $filter support per property.
import type { SeedUser } from '../../seed/index.js';
import { BOOL_DIR, DATE_RANGE, P, STRING_DIR, STRING_EQ, type EntitySchema } from '../odata/schema.js';

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
  properties: {
    id: P.str(STRING_EQ),
    businessPhones: P.strings(),
    displayName: P.str(STRING_DIR, true),
    givenName: P.str(STRING_DIR),
    surname: P.str(STRING_DIR),
    jobTitle: P.str(STRING_DIR),
    mail: P.str(STRING_DIR),
    mobilePhone: P.str(STRING_DIR),
    officeLocation: P.str(STRING_DIR),
    preferredLanguage: P.str(STRING_EQ),
    userPrincipalName: P.str(STRING_DIR, true),
    accountEnabled: P.bool(BOOL_DIR),
    userType: P.str(['eq', 'ne', 'in']),
    usageLocation: P.str(['eq', 'ne', 'in']),
    department: P.str(STRING_DIR),
    createdDateTime: P.date(['eq', 'ge', 'le', 'gt', 'lt'], true),
    onPremisesSyncEnabled: P.bool(BOOL_DIR),
    otherMails: P.strings(['any'], ['eq', 'startswith']),
    assignedLicenses: P.complexes({ skuId: P.guid(['eq']), disabledPlans: P.strings() }, ['any']),
    licenseAssignmentStates: P.complexes(),
    signInActivity: P.complex({
      lastSignInDateTime: P.date(DATE_RANGE),
      lastSignInRequestId: P.str(),
      lastNonInteractiveSignInDateTime: P.date(DATE_RANGE),
      lastNonInteractiveSignInRequestId: P.str(),
      lastSuccessfulSignInDateTime: P.date(DATE_RANGE),
      lastSuccessfulSignInRequestId: P.str(),
    }),
    signInSessionsValidFromDateTime: P.date(),
    passwordPolicies: P.str(),
    employeeId: P.str(STRING_DIR),
    companyName: P.str(STRING_DIR),
    proxyAddresses: P.strings(['any'], ['eq', 'startswith']),
    deletedDateTime: P.date(),
  },
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
  }),
};

/** As a directoryObject inside members/$expand: typed, with the default user properties. */
export function userAsDirectoryObject(u: SeedUser): Record<string, unknown> {
  const json = userSchema.toJson(u, undefined as never);
  const out: Record<string, unknown> = { '@odata.type': '#microsoft.graph.user' };
  for (const k of USER_DEFAULT_SELECT) out[k] = json[k];
  return out;
}
