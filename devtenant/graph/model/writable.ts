// Which declared properties PATCH (and POST) may set, as Graph documents them, and the checks Graph's OData reader
// makes on a body: unknown properties (400 "does not exist"), read-only ones (400 "is read-only and cannot be set"),
// and values of the wrong CSDL type (400 "Cannot convert the literal").
import { GraphError } from '../errors.js';
import { CSDL_SERVED } from './csdl-served.js';

/** learn.microsoft.com/graph/api/user-update (v1.0, "Request body"). */
export const USER_WRITABLE = [
  'aboutMe',
  'accountEnabled',
  'ageGroup',
  'birthday',
  'businessPhones',
  'city',
  'companyName',
  'consentProvidedForMinor',
  'country',
  'customSecurityAttributes',
  'department',
  'displayName',
  'employeeHireDate',
  'employeeId',
  'employeeLeaveDateTime',
  'employeeOrgData',
  'employeeType',
  'faxNumber',
  'givenName',
  'hireDate',
  'identities',
  'interests',
  'jobTitle',
  'mail',
  'mailNickname',
  'mobilePhone',
  'mySite',
  'officeLocation',
  'onPremisesExtensionAttributes',
  'onPremisesImmutableId',
  'otherMails',
  'passwordPolicies',
  'passwordProfile',
  'pastProjects',
  'postalCode',
  'preferredDataLocation',
  'preferredLanguage',
  'preferredName',
  'responsibilities',
  'schools',
  'skills',
  'state',
  'streetAddress',
  'surname',
  'usageLocation',
  'userPrincipalName',
  'userType',
] as const;

/** learn.microsoft.com/graph/api/group-update (v1.0, "Request body"). */
export const GROUP_WRITABLE = [
  'allowExternalSenders',
  'assignedLabels',
  'autoSubscribeNewMembers',
  'classification',
  'description',
  'displayName',
  'groupTypes',
  'hideFromAddressLists',
  'hideFromOutlookClients',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'preferredDataLocation',
  'securityEnabled',
  'theme',
  'uniqueName',
  'visibility',
] as const;

/**
 * v1.0 `GET /groups` without $select: every property the group resource marks "Returned by default"
 * (learn.microsoft.com/graph/api/resources/group, Properties).
 */
export const GROUP_DEFAULT_SELECT = [
  'id',
  'deletedDateTime',
  'classification',
  'createdDateTime',
  'description',
  'displayName',
  'expirationDateTime',
  'groupTypes',
  'isAssignableToRole',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'onPremisesDomainName',
  'onPremisesLastSyncDateTime',
  'onPremisesNetBiosName',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'preferredDataLocation',
  'preferredLanguage',
  'proxyAddresses',
  'renewedDateTime',
  'resourceBehaviorOptions',
  'resourceProvisioningOptions',
  'securityEnabled',
  'securityIdentifier',
  'theme',
  'uniqueName',
  'visibility',
  'onPremisesProvisioningErrors',
  'serviceProvisioningErrors',
] as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function fitsType(type: string, value: unknown): boolean {
  if (value === null) return !type.startsWith('Collection(');
  const collection = /^Collection\((.*)\)$/.exec(type);
  if (collection) return Array.isArray(value) && value.every((v) => v !== null && fitsType(collection[1]!, v));
  switch (type) {
    case 'Edm.String':
    case 'Edm.Guid':
      return typeof value === 'string';
    case 'Edm.Boolean':
      return typeof value === 'boolean';
    case 'Edm.Int32':
    case 'Edm.Int64':
    case 'Edm.Double':
      return typeof value === 'number';
    case 'Edm.DateTimeOffset':
      return typeof value === 'string' && ISO_DATE.test(value);
    default:
      // Enums are sent as their member names; complex values as objects.
      return type.startsWith('Edm.')
        ? typeof value === 'string'
        : typeof value === 'object' || typeof value === 'string';
  }
}

/**
 * Checks a PATCH/POST body against the CSDL type and the documented writable set, in Graph's order: unknown property,
 * then read-only, then value type. `extraAllowed` are accepted as they are (e.g. `members@odata.bind`).
 */
export function checkWritableBody(
  body: Record<string, unknown>,
  typeName: string,
  writable: readonly string[],
  extraAllowed: readonly string[] = [],
): void {
  const declared = CSDL_SERVED[typeName]?.props ?? {};
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@odata.') || key.endsWith('@odata.bind') || extraAllowed.includes(key)) continue;
    const type = declared[key];
    if (type === undefined)
      throw new GraphError(
        400,
        'BadRequest',
        `The property '${key}' does not exist on type '${typeName}'. Make sure to only use property names that ` +
          `are defined by the type or mark the type as open type.`,
      );
    if (!writable.includes(key))
      throw new GraphError(400, 'Request_BadRequest', `Property '${key}' is read-only and cannot be set.`);
    if (!fitsType(type, value))
      throw new GraphError(
        400,
        'BadRequest',
        `Cannot convert the literal '${JSON.stringify(value)}' to the expected type '${type}' for property '${key}'.`,
      );
  }
}
