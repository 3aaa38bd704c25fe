// The seeded tenant shared by devtenant/graph and devtenant/identity (see notes/devtenant-contract.md).
import { TenantStore } from './tenant.js';
import { Random, stableBase32Secret } from './random.js';
import {
  APP_IDS,
  BOT_CLIENT_SECRET,
  FIXED_ACCOUNTS,
  DEMO_DOMAIN,
  DEMO_TENANT_ID,
  DEMO_TENANT_NAME,
} from './constants.js';
import { addFixedAccounts, addGeneratedUsers } from './generate-users.js';
import { addGroupsAndTeams, addRoles } from './generate-directory.js';
import {
  addAuthenticationContexts,
  addPhoneNumbers,
  addServiceHealth,
  addSkus,
  addTeamsPolicies,
} from './generate-admin.js';
import { addHistory } from './generate-logs.js';
import { addOrganisation } from './generate-organisation.js';
import type { SeedApplication, TenantSize } from './types.js';

export * from './types.js';
export * from './constants.js';
export { TenantStore, type Tenant, type SignInInput, type AuditInput } from './tenant.js';
export { stableBase32Secret, isoSeconds } from './random.js';

/** TOTP secret (base32) of every fixed demo account with an authenticator, by UPN (development only). */
export const DEMO_TOTP_SECRETS: Readonly<Record<string, string>> = Object.fromEntries(
  FIXED_ACCOUNTS.filter((a) => a.mfa).map((a) => [a.upn, stableBase32Secret(a.upn)]),
);

export const TENANT_USER_COUNTS: Readonly<Record<TenantSize, number>> = { demo: 60, large: 50_000 };

function seedApplications(): SeedApplication[] {
  const botUris = ['http://127.0.0.1:3978/auth/callback', 'http://localhost:3978/auth/callback'];
  return [
    {
      appId: APP_IDS.bot,
      displayName: 'Contoso Admin Bot',
      kind: 'bot',
      clientSecret: BOT_CLIENT_SECRET,
      redirectUris: botUris,
      identifierUris: [`api://botid-${APP_IDS.bot}`],
    },
    {
      appId: APP_IDS.reports,
      displayName: 'Contoso Scheduled Reports',
      kind: 'reports',
      redirectUris: [],
      identifierUris: [],
      appRoles: [
        'AuditLog.Read.All',
        'User.Read.All',
        'Directory.Read.All',
        'RoleManagement.Read.Directory',
        'LicenseAssignment.Read.All',
        'ServiceHealth.Read.All',
        'Team.ReadBasic.All',
        'TeamsUserConfiguration.Read.All',
        'TeamsTelephoneNumber.Read.All',
        'UserAuthenticationMethod.Read.All',
        'RoleAssignmentSchedule.Read.Directory',
        'RoleEligibilitySchedule.Read.Directory',
      ],
    },
    {
      appId: APP_IDS.teamsClient,
      displayName: 'Microsoft Teams (devtenant client)',
      kind: 'teams-client',
      redirectUris: ['http://localhost'],
      identifierUris: [],
    },
  ];
}

export interface CreateTenantOptions {
  size: TenantSize;
  seed?: number;
  /** Clock used for generated timestamps and PIM expiry (default: the real clock). */
  now?: () => Date;
}

/**
 * Deterministic for a given size + seed: ids, names, passwords, TOTP secrets and memberships repeat exactly;
 * timestamps are relative to the clock at creation time.
 */
export function createTenant(options: CreateTenantOptions): TenantStore {
  const seed = options.seed ?? 1;
  const clock = options.now ?? (() => new Date());
  const now = clock();
  const rng = new Random(seed * 7919 + (options.size === 'large' ? 104_729 : 0));
  const store = new TenantStore(
    DEMO_TENANT_ID,
    DEMO_DOMAIN,
    DEMO_TENANT_NAME,
    options.size,
    seedApplications(),
    clock,
    seed,
  );
  const grants = addFixedAccounts(store, rng, now);
  grants.push(...addGeneratedUsers(store, rng, now, TENANT_USER_COUNTS[options.size] - FIXED_ACCOUNTS.length));
  addRoles(store, rng, now, grants);
  addGroupsAndTeams(store, rng, now);
  addSkus(store, rng);
  addTeamsPolicies(store, rng);
  addPhoneNumbers(store, rng);
  addServiceHealth(store, now);
  addAuthenticationContexts(store);
  addHistory(store, rng, now);
  addOrganisation(store, seed, now);
  return store;
}
