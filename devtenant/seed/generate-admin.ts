import type { TenantStore } from './tenant.js';
import { isoSeconds } from './random.js';
import type { Random } from './random.js';
import { FIXED_ACCOUNTS, SERVICE_PLAN, SKU } from './constants.js';
import type { ServicePlanInfo } from './types.js';

const plan = (p: { servicePlanId: string; servicePlanName: string }): ServicePlanInfo => ({
  ...p,
  provisioningStatus: 'Success',
  appliesTo: 'User',
});

export function addSkus(store: TenantStore, rng: Random): void {
  const seats = store.size === 'large' ? 60_000 : 100;
  const defs = [
    {
      ...SKU.officeE5,
      units: seats,
      plans: [
        SERVICE_PLAN.teams,
        SERVICE_PLAN.exchange,
        SERVICE_PLAN.sharepoint,
        SERVICE_PLAN.skypeOnline,
        SERVICE_PLAN.phoneSystem,
      ],
    },
    {
      ...SKU.officeE3,
      units: Math.round(seats / 2),
      plans: [SERVICE_PLAN.teams, SERVICE_PLAN.exchange, SERVICE_PLAN.sharepoint, SERVICE_PLAN.skypeOnline],
    },
    { ...SKU.teamsPhone, units: Math.round(seats / 10), plans: [SERVICE_PLAN.phoneSystem] },
  ];
  for (const d of defs) {
    store.subscribedSkus.push({
      id: `${store.id}_${d.skuId}`,
      accountId: store.id,
      accountName: store.displayName,
      skuId: d.skuId,
      skuPartNumber: d.skuPartNumber,
      appliesTo: 'User',
      capabilityStatus: 'Enabled',
      prepaidUnits: { enabled: d.units, suspended: 0, warning: 0, lockedOut: 0 },
      servicePlans: d.plans.map(plan),
      subscriptionIds: [rng.guid()],
    });
  }
}

const POLICY_NAMES: Record<string, string[]> = {
  TeamsMeetingPolicy: ['Global', 'AllOn', 'RestrictedAnonymousAccess', 'AllOff'],
  TeamsMessagingPolicy: ['Global', 'Default', 'RestrictedAnonymousNoGiphy'],
  TeamsCallingPolicy: ['Global', 'AllowCalling', 'DisallowCalling'],
  TeamsAppSetupPolicy: ['Global', 'FirstlineWorker'],
  TeamsMeetingBroadcastPolicy: ['Global', 'Default'],
  OnlineVoiceRoutingPolicy: ['Global', 'US-Only'],
  TenantDialPlan: ['Global', 'Redmond'],
};

/** Teams policies (Global + named instances), direct assignments to some users and one group assignment. */
export function addTeamsPolicies(store: TenantStore, rng: Random): void {
  for (const [policyType, names] of Object.entries(POLICY_NAMES)) {
    for (const name of names) store.teamsPolicies.push({ policyType, name, policyId: rng.guid() });
  }
  const find = (type: string, name: string) =>
    store.teamsPolicies.find((p) => p.policyType === type && p.name === name)!;
  const alice = FIXED_ACCOUNTS.find((a) => a.key === 'alice')!.id;
  store.teamsPolicyAssignments.push({
    userId: alice,
    policyType: 'TeamsMeetingPolicy',
    policyId: find('TeamsMeetingPolicy', 'AllOn').policyId,
    assignmentType: 'direct',
    groupId: null,
  });
  const sales = store.groups.find((g) => g.displayName === 'Sales');
  if (sales) {
    const restricted = find('TeamsMessagingPolicy', 'RestrictedAnonymousNoGiphy');
    for (const userId of sales.memberIds) {
      store.teamsPolicyAssignments.push({
        userId,
        policyType: 'TeamsMessagingPolicy',
        policyId: restricted.policyId,
        assignmentType: 'group',
        groupId: sales.id,
      });
    }
  }
  for (const user of store.liveUsers()) {
    if (user.userType !== 'Member' || !rng.chance(0.2) || user.id === alice) continue;
    const type = rng.pick(Object.keys(POLICY_NAMES));
    const names = POLICY_NAMES[type].filter((n) => n !== 'Global');
    store.teamsPolicyAssignments.push({
      userId: user.id,
      policyType: type,
      policyId: find(type, rng.pick(names)).policyId,
      assignmentType: 'direct',
      groupId: null,
    });
  }
}

/** Phone numbers: some assigned to licensed voice users, the rest unassigned inventory. */
export function addPhoneNumbers(store: TenantStore, rng: Random): void {
  const count = store.size === 'large' ? 5_000 : 20;
  const voiceUsers = [...store.liveUsers()].filter((u) => u.userType === 'Member' && u.assignedLicenses.length > 0);
  const teamsadmin = FIXED_ACCOUNTS.find((a) => a.key === 'teamsadmin')!.id;
  for (let i = 0; i < count; i++) {
    const assignee =
      i === 0 ? store.userById(teamsadmin) : i % 2 === 1 && voiceUsers.length ? rng.pick(voiceUsers) : undefined;
    const numberType = rng.pick(['callingPlan', 'callingPlan', 'directRouting', 'operatorConnect'] as const);
    const telephoneNumber = `+1425555${String(100 + i).padStart(4, '0')}`;
    if (assignee) {
      assignee.teams.isEnterpriseVoiceEnabled = true;
      if (!assignee.teams.featureTypes.includes('PhoneSystem')) assignee.teams.featureTypes.push('PhoneSystem');
    }
    store.numberAssignments.push({
      id: telephoneNumber.slice(1),
      telephoneNumber,
      numberType,
      assignmentStatus: assignee ? 'userAssigned' : 'unassigned',
      activationState: 'activated',
      assignmentTargetId: assignee?.id ?? null,
      assignmentCategory: assignee ? 'primary' : null,
      locationId: numberType === 'callingPlan' ? '0b6a5ad5-3c92-4e4c-a4b7-0f8a4e1c9d21' : null,
      cityCode: numberType === 'callingPlan' ? 'REDMOND' : null,
      isoCountryCode: 'US',
      operatorId: numberType === 'operatorConnect' ? rng.guid() : null,
      capabilities:
        numberType === 'callingPlan' ? ['userAssignment'] : ['userAssignment', 'voiceApplicationAssignment'],
      portInStatus: 'completed',
      supportedCustomerActions: ['release'],
      reverseNumberLookup: [],
      networkSiteId: null,
    });
  }
}

const SERVICES = [
  'Exchange Online',
  'Microsoft Teams',
  'SharePoint Online',
  'Microsoft Entra',
  'OneDrive for Business',
  'Microsoft 365 suite',
  'Microsoft Intune',
  'Planner',
];

export function addServiceHealth(store: TenantStore, now: Date): void {
  const ago = (h: number) => isoSeconds(now.getTime() - h * 3_600_000);
  for (const service of SERVICES) {
    const degraded = service === 'Microsoft Teams';
    store.healthOverviews.push({
      id: service,
      service,
      status: degraded ? 'serviceDegradation' : 'serviceOperational',
      issues: degraded
        ? [
            {
              id: 'TM812345',
              title: 'Some users may experience delays when joining meetings',
              classification: 'incident',
              impactDescription:
                'Users may see a delay of up to one minute when joining Teams meetings from the desktop client.',
              status: 'serviceDegradation',
              service,
              feature: 'Teams Components',
              featureGroup: 'Meetings',
              isResolved: false,
              startDateTime: ago(5),
              endDateTime: null,
              lastModifiedDateTime: ago(1),
              origin: 'microsoft',
            },
            {
              id: 'TM811002',
              title: 'Chat messages delayed',
              classification: 'advisory',
              impactDescription: 'Chat messages were delayed for a subset of users.',
              status: 'serviceRestored',
              service,
              feature: 'Teams Components',
              featureGroup: 'Chat',
              isResolved: true,
              startDateTime: ago(50),
              endDateTime: ago(44),
              lastModifiedDateTime: ago(40),
              origin: 'microsoft',
            },
          ]
        : [],
    });
  }
}

export function addAuthenticationContexts(store: TenantStore): void {
  store.authenticationContexts.push(
    {
      id: 'c1',
      displayName: 'MFA for admin writes',
      description: 'Require multifactor authentication within the last 15 minutes for administrative changes.',
      isAvailable: true,
    },
    { id: 'c2', displayName: 'Compliant device', description: 'Require a compliant device.', isAvailable: true },
    {
      id: 'c3',
      displayName: 'Phishing-resistant MFA',
      description: 'Reserved; not yet published to apps.',
      isAvailable: false,
    },
  );
}
