import type { TenantStore } from './tenant.js';
import { isoSeconds } from './random.js';
import type { Random } from './random.js';
import type { DirectoryAudit, SignIn } from './types.js';
import { APP_IDS, FIXED_ACCOUNTS } from './constants.js';

const ACTIVITIES = [
  { activityDisplayName: 'Update user', category: 'UserManagement', operationType: 'Update' },
  { activityDisplayName: 'Add member to group', category: 'GroupManagement', operationType: 'Assign' },
  { activityDisplayName: 'Remove member from group', category: 'GroupManagement', operationType: 'Unassign' },
  { activityDisplayName: 'Change user license', category: 'UserManagement', operationType: 'Update' },
  { activityDisplayName: 'Add member to role', category: 'RoleManagement', operationType: 'Assign' },
  { activityDisplayName: 'Reset user password', category: 'UserManagement', operationType: 'Update' },
  { activityDisplayName: 'Add user', category: 'UserManagement', operationType: 'Add' },
];

/** Historical directory audits and sign-ins, oldest first, spread over the last 30 days. */
export function addHistory(store: TenantStore, rng: Random, now: Date): void {
  const users = [...store.liveUsers()];
  const admins = FIXED_ACCOUNTS.filter((a) => a.roles.length > 0).map((a) => store.userById(a.id)!);
  const auditCount = store.size === 'large' ? 2_000 : 80;
  const signInCount = store.size === 'large' ? 10_000 : 150;
  const span = 30 * 86_400_000;
  const times = (n: number) =>
    Array.from({ length: n }, () => now.getTime() - Math.floor(rng.next() * span)).sort((a, b) => a - b);

  for (const t of times(auditCount)) {
    const actor = rng.pick(admins);
    const target = rng.pick(users);
    const activity = rng.pick(ACTIVITIES);
    const audit: DirectoryAudit = {
      id: `Directory_${rng.guid()}`,
      ...activity,
      correlationId: rng.guid(),
      result: rng.chance(0.95) ? 'success' : 'failure',
      resultReason: '',
      activityDateTime: isoSeconds(t),
      loggedByService: 'Core Directory',
      initiatedBy: {
        user: {
          id: actor.id,
          displayName: actor.displayName,
          userPrincipalName: actor.userPrincipalName,
          ipAddress: `10.0.${rng.int(0, 255)}.${rng.int(1, 254)}`,
        },
        app: null,
      },
      targetResources: [
        {
          id: target.id,
          displayName: target.displayName,
          type: 'User',
          userPrincipalName: target.userPrincipalName,
          modifiedProperties: [],
        },
      ],
      additionalDetails: [],
    };
    store.directoryAudits.push(audit);
  }
  const apps = [
    { appId: APP_IDS.teamsClient, name: 'Microsoft Teams' },
    { appId: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' },
    { appId: '4765445b-32c6-49b0-83e6-1d93765276ca', name: 'OfficeHome' },
  ];
  for (const t of times(signInCount)) {
    const user = rng.pick(users);
    const app = rng.pick(apps);
    const ok = rng.chance(0.9);
    const signIn: SignIn = {
      id: rng.guid(),
      createdDateTime: isoSeconds(t),
      userDisplayName: user.displayName,
      userPrincipalName: user.userPrincipalName,
      userId: user.id,
      appId: app.appId,
      appDisplayName: app.name,
      ipAddress: `203.0.113.${rng.int(1, 254)}`,
      clientAppUsed: 'Browser',
      correlationId: rng.guid(),
      conditionalAccessStatus: ok ? 'success' : 'failure',
      isInteractive: true,
      resourceDisplayName: 'Microsoft Graph',
      resourceId: '00000003-0000-0000-c000-000000000000',
      status: ok
        ? { errorCode: 0, failureReason: null, additionalDetails: null }
        : {
            errorCode: 50126,
            failureReason: 'Invalid username or password or Invalid on-premise username or password.',
            additionalDetails: null,
          },
      location: rng.pick([
        { city: 'Redmond', state: 'Washington', countryOrRegion: 'US' },
        { city: 'London', state: 'England', countryOrRegion: 'GB' },
        { city: 'Berlin', state: 'Berlin', countryOrRegion: 'DE' },
      ]),
      authenticationRequirement:
        store.isMfaRegistered(user) && rng.chance(0.8) ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    };
    store.signIns.push(signIn);
  }
}
