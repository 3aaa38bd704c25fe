// Entity shapes of the seeded tenant. Property names follow microsoft.graph (v1.0 CSDL) so the Graph
// routes can serialise them with little mapping; credentials and bookkeeping live beside them.

export type TenantSize = 'demo' | 'large';

export interface AssignedLicense {
  skuId: string;
  disabledPlans: string[];
}

export type AuthMethodKind =
  'password' | 'phone' | 'microsoftAuthenticator' | 'softwareOath' | 'fido2' | 'temporaryAccessPass' | 'email';

export interface AuthMethod {
  id: string;
  kind: AuthMethodKind;
  createdDateTime: string;
  /** Type-specific Graph properties (phoneNumber, phoneType, displayName, deviceTag, model, …). */
  props: Record<string, unknown>;
}

export interface SignInActivity {
  lastSignInDateTime: string | null;
  lastSignInRequestId: string | null;
  lastNonInteractiveSignInDateTime: string | null;
  lastNonInteractiveSignInRequestId: string | null;
  lastSuccessfulSignInDateTime: string | null;
  lastSuccessfulSignInRequestId: string | null;
}

export interface TeamsUserSettings {
  isEnterpriseVoiceEnabled: boolean;
  featureTypes: string[];
  accountType: 'user' | 'resourceAccount' | 'guest' | 'sfbOnPremUser' | 'unknown' | 'ineligibleUser';
}

export interface SeedUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  otherMails: string[];
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  usageLocation: string | null;
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  mobilePhone: string | null;
  businessPhones: string[];
  preferredLanguage: string | null;
  createdDateTime: string;
  onPremisesSyncEnabled: boolean | null;
  assignedLicenses: AssignedLicense[];
  /** Licence assignments that failed (group-based licensing: CountViolation, …); none unless a test sets them. */
  licenseErrors?: Array<{ skuId: string; error: string; groupId?: string }>;
  signInActivity: SignInActivity;
  signInSessionsValidFromDateTime: string;
  passwordPolicies: string | null;
  /** Other declared microsoft.graph.user properties with a value (employeeType, city, …), serialised as they are. */
  extra?: Record<string, unknown>;
  /** Registered authentication methods (the password method is always present). */
  authMethods: AuthMethod[];
  /** Id of the method Entra uses by default for MFA (cannot be deleted while others exist), if any. */
  defaultMfaMethodId: string | null;
  teams: TeamsUserSettings;
  /** Legacy per-user MFA (beta authentication/requirements); undefined = disabled. */
  perUserMfaState?: 'disabled' | 'enabled' | 'enforced';
  credentials: {
    password: string;
    /** base32, RFC 6238 SHA1, 6 digits, 30 s (Microsoft Authenticator); undefined = no authenticator. */
    totpSecret?: string;
  };
}

export interface SeedApplication {
  appId: string;
  displayName: string;
  kind: 'bot' | 'reports' | 'teams-client';
  clientSecret?: string;
  redirectUris: string[];
  identifierUris: string[];
  appRoles?: string[];
}

export interface SeedGroup {
  id: string;
  displayName: string;
  description: string | null;
  mailNickname: string;
  mail: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  visibility: 'Public' | 'Private' | 'HiddenMembership' | null;
  resourceProvisioningOptions: string[];
  createdDateTime: string;
  memberIds: Set<string>;
  ownerIds: Set<string>;
  /** Other declared microsoft.graph.group properties with a value (classification, theme, …). */
  extra?: Record<string, unknown>;
}

/** A team shares its id with its Microsoft 365 group; owners/members are the group's. */
export interface SeedTeam {
  id: string;
  displayName: string;
  description: string | null;
  isArchived: boolean;
  visibility: 'public' | 'private';
  createdDateTime: string;
  internalId: string;
  webUrl: string;
  tenantId: string;
}

export interface RoleDefinition {
  id: string; // = templateId for built-in roles
  templateId: string;
  displayName: string;
  description: string;
  isBuiltIn: boolean;
  isEnabled: boolean;
  allowedResourceActions: string[];
}

export interface DirectoryRole {
  id: string;
  roleTemplateId: string;
  displayName: string;
  description: string;
}

export interface RoleAssignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  createdDateTime: string;
}

export interface RoleEligibility {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  startDateTime: string;
  endDateTime: string | null;
}

/** A PIM activation in force (assignmentType Activated) until endDateTime. */
export interface RoleActivation {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  startDateTime: string;
  endDateTime: string;
  requestId: string;
}

export interface RoleAssignmentScheduleRequest {
  id: string;
  action: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  status: string;
  createdDateTime: string;
  completedDateTime: string | null;
  justification: string | null;
  isValidationOnly: boolean;
  createdBy: { user: { id: string } | null; application: { id: string } | null };
  scheduleInfo: {
    startDateTime: string;
    expiration: { type: string; duration: string | null; endDateTime: string | null };
  };
  ticketInfo: { ticketNumber: string | null; ticketSystem: string | null };
  approvalId: string | null;
}

/** PIM approval (beta roleAssignmentApprovals) for a request that needs one. */
export interface RoleApproval {
  id: string;
  requestId: string;
  steps: {
    id: string;
    displayName: string | null;
    reviewedBy: { user: { id: string; displayName: string | null } } | null;
    reviewedDateTime: string | null;
    reviewResult: 'NotReviewed' | 'Approve' | 'Deny';
    status: 'InProgress' | 'Completed';
    justification: string | null;
    assignedToMe: boolean;
  }[];
}

/** PIM role-setting rules applied to selfActivate requests for one role. */
export interface RoleActivationPolicy {
  roleDefinitionId: string;
  requireJustification: boolean;
  requireTicket: boolean;
  maxDuration: string; // ISO 8601 duration, e.g. PT8H
  requireMfa: boolean;
  requireAuthContext: string | null; // e.g. 'c1'
  requireApproval: boolean;
}

export interface ServicePlanInfo {
  servicePlanId: string;
  servicePlanName: string;
  provisioningStatus: string;
  appliesTo: string;
}
export interface SubscribedSku {
  id: string;
  accountId: string;
  accountName: string;
  skuId: string;
  skuPartNumber: string;
  appliesTo: string;
  capabilityStatus: string;
  prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut: number };
  servicePlans: ServicePlanInfo[];
  subscriptionIds: string[];
}

export interface TeamsPolicy {
  policyType: string;
  name: string;
  policyId: string;
}
export interface TeamsPolicyAssignment {
  userId: string;
  policyType: string;
  policyId: string;
  assignmentType: 'direct' | 'group';
  groupId: string | null;
}

export interface NumberAssignment {
  id: string;
  telephoneNumber: string;
  numberType: 'internalCalling' | 'directRouting' | 'callingPlan' | 'operatorConnect';
  assignmentStatus:
    | 'unassigned'
    | 'userAssigned'
    | 'conferenceAssigned'
    | 'voiceApplicationAssigned'
    | 'thirdPartyAppAssigned'
    | 'policyAssigned';
  activationState: 'activated' | 'assignmentPending' | 'assignmentFailed' | 'updatePending' | 'updateFailed';
  assignmentTargetId: string | null;
  assignmentCategory: 'primary' | 'private' | 'alternate' | null;
  locationId: string | null;
  cityCode: string | null;
  isoCountryCode: string;
  operatorId: string | null;
  capabilities: string[];
  portInStatus: string | null;
  supportedCustomerActions: string[];
  reverseNumberLookup: string[];
  networkSiteId: string | null;
}

export interface ServiceHealthIssue {
  id: string;
  title: string;
  impactDescription: string;
  classification: 'advisory' | 'incident';
  status: string;
  service: string;
  feature: string;
  featureGroup: string;
  isResolved: boolean;
  startDateTime: string;
  endDateTime: string | null;
  lastModifiedDateTime: string;
  origin: string;
}
export interface ServiceHealth {
  id: string;
  service: string;
  status: string;
  issues: ServiceHealthIssue[];
}

export interface AuditTarget {
  id: string;
  displayName: string | null;
  type: string;
  userPrincipalName: string | null;
  modifiedProperties: { displayName: string; oldValue: string | null; newValue: string | null }[];
}
export interface DirectoryAudit {
  id: string;
  category: string;
  correlationId: string;
  result: 'success' | 'failure' | 'timeout' | 'unknownFutureValue';
  resultReason: string;
  activityDisplayName: string;
  activityDateTime: string;
  loggedByService: string;
  operationType: string;
  initiatedBy: {
    user: { id: string; displayName: string | null; userPrincipalName: string; ipAddress: string | null } | null;
    app: {
      appId: string;
      displayName: string | null;
      servicePrincipalId: string | null;
      servicePrincipalName: string | null;
    } | null;
  };
  targetResources: AuditTarget[];
  additionalDetails: { key: string; value: string }[];
}

export interface SignIn {
  id: string;
  createdDateTime: string;
  userDisplayName: string;
  userPrincipalName: string;
  userId: string;
  appId: string;
  appDisplayName: string;
  ipAddress: string;
  clientAppUsed: string;
  correlationId: string;
  conditionalAccessStatus: 'success' | 'failure' | 'notApplied';
  isInteractive: boolean;
  resourceDisplayName: string;
  resourceId: string;
  status: { errorCode: number; failureReason: string | null; additionalDetails: string | null };
  location: { city: string; state: string; countryOrRegion: string };
  authenticationRequirement: 'singleFactorAuthentication' | 'multiFactorAuthentication';
}

export interface AuthContextClassReference {
  id: string;
  displayName: string;
  description: string;
  isAvailable: boolean;
}

/** Async Teams operations (archive/unarchive) and phone-number orders, stored for polling. */
export interface AsyncOperation {
  id: string;
  kind: string;
  status: string;
  createdDateTime: string;
  lastActionDateTime: string;
  targetResourceId: string | null;
  targetResourceLocation: string | null;
  attemptsCount: number;
  error: { code: string; message: string } | null;
  details: Record<string, unknown>;
}
