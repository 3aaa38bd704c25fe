import type { AuthMethod, SeedUser } from './types.js';
import type { TenantStore } from './tenant.js';
import { Random, isoSeconds, stableBase32Secret } from './random.js';
import { FIXED_ACCOUNTS, ROLE, SKU, type FixedAccount } from './constants.js';

const FIRST = [
  'Ava',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kira',
  'Liam',
  'Maya',
  'Noah',
  'Olga',
  'Pablo',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
  'Umar',
  'Vera',
  'Wei',
  'Ximena',
  'Yusuf',
  'Zoe',
];
const LAST = [
  'Adams',
  'Brooks',
  'Costa',
  'Diaz',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Hughes',
  'Ito',
  'Jensen',
  'Khan',
  'Lopez',
  'Meyer',
  'Nakamura',
  "O'Neil",
  'Patel',
  'Quist',
  'Rossi',
  'Silva',
  'Tanaka',
  'Urban',
  'Vogel',
  'Weber',
  'Xu',
  'Young',
  'Zhang',
];
const DEPARTMENTS = ['Sales', 'Marketing', 'Engineering', 'Finance', 'Support', 'Legal', 'Operations', 'HR'];
const TITLES = ['Analyst', 'Engineer', 'Manager', 'Specialist', 'Consultant', 'Coordinator', 'Director'];
const LOCATIONS = ['US', 'US', 'US', 'GB', 'DE', 'FR', 'NL'];
/** Roles handed to generated admins, weighted towards the common ones. */
const GENERATED_ADMIN_ROLES = [
  ROLE.globalReader,
  ROLE.teamsAdministrator,
  ROLE.userAdministrator,
  ROLE.helpdeskAdministrator,
  ROLE.reportsReader,
  ROLE.teamsCommunicationsAdministrator,
  ROLE.privilegedRoleAdministrator,
  ROLE.authenticationAdministrator,
  ROLE.globalAdministrator,
];

export interface GeneratedRoleGrant {
  userId: string;
  roleId: string;
  eligible: boolean;
}

function isoDaysAgo(now: Date, days: number, rng: Random): string {
  return isoSeconds(now.getTime() - days * 86_400_000 - rng.int(0, 86_399) * 1000);
}

function mfaMethods(
  rng: Random,
  now: Date,
  kinds: ('authenticator' | 'phone' | 'fido2' | 'softwareOath' | 'email')[],
  totpSecret?: string,
): AuthMethod[] {
  const methods: AuthMethod[] = [];
  for (const kind of kinds) {
    const createdDateTime = isoDaysAgo(now, rng.int(30, 400), rng);
    if (kind === 'authenticator' && totpSecret) {
      methods.push({
        id: rng.guid(),
        kind: 'microsoftAuthenticator',
        createdDateTime,
        props: {
          displayName: rng.pick(['iPhone 15', 'Pixel 8', 'Galaxy S24']),
          deviceTag: 'SoftwareTokenActivated',
          phoneAppVersion: '6.2401.0119',
        },
      });
    } else if (kind === 'phone') {
      methods.push({
        id: '3179e48a-750b-4051-897c-87b9720928f7',
        kind: 'phone',
        createdDateTime,
        props: {
          phoneNumber: `+1 425555${String(rng.int(1000, 9999))}`,
          phoneType: 'mobile',
          smsSignInState: 'notAllowedByPolicy',
        },
      });
    } else if (kind === 'fido2') {
      methods.push({
        id: rng.guid(),
        kind: 'fido2',
        createdDateTime,
        props: {
          displayName: 'YubiKey 5 NFC',
          aaGuid: 'cb69481e-8ff7-4039-93ec-0a2729a154a8',
          model: 'YubiKey 5 NFC',
          attestationCertificates: [],
          attestationLevel: 'attested',
        },
      });
    } else if (kind === 'softwareOath') {
      methods.push({ id: rng.guid(), kind: 'softwareOath', createdDateTime, props: { secretKey: null } });
    } else if (kind === 'email') {
      methods.push({
        id: '3ddfcfc8-9383-446f-83cc-3ab9be4be18f',
        kind: 'email',
        createdDateTime,
        props: { emailAddress: `recovery${rng.int(100, 999)}@fabrikam.com` },
      });
    }
  }
  return methods;
}

function baseUser(
  rng: Random,
  now: Date,
  init: Partial<SeedUser> & Pick<SeedUser, 'id' | 'userPrincipalName' | 'displayName' | 'credentials'>,
): SeedUser {
  const created = isoDaysAgo(now, rng.int(60, 1500), rng);
  const lastSignIn = isoDaysAgo(now, rng.int(0, 45), rng);
  const requestId = rng.guid();
  const passwordMethod: AuthMethod = {
    id: '28c10230-6103-485e-b985-444c60001490',
    kind: 'password',
    createdDateTime: created,
    props: { password: null },
  };
  return {
    givenName: null,
    surname: null,
    mail: null,
    otherMails: [],
    accountEnabled: true,
    userType: 'Member',
    usageLocation: 'US',
    jobTitle: null,
    department: null,
    officeLocation: null,
    mobilePhone: null,
    businessPhones: [],
    preferredLanguage: 'en-US',
    createdDateTime: created,
    onPremisesSyncEnabled: null,
    assignedLicenses: [],
    signInActivity: {
      lastSignInDateTime: lastSignIn,
      lastSignInRequestId: requestId,
      lastNonInteractiveSignInDateTime: lastSignIn,
      lastNonInteractiveSignInRequestId: requestId,
      lastSuccessfulSignInDateTime: lastSignIn,
      lastSuccessfulSignInRequestId: requestId,
    },
    signInSessionsValidFromDateTime: created,
    passwordPolicies: null,
    authMethods: [passwordMethod],
    defaultMfaMethodId: null,
    teams: { isEnterpriseVoiceEnabled: false, featureTypes: ['Teams', 'AudioConferencing'], accountType: 'user' },
    ...init,
  } as SeedUser;
}

function withMfa(user: SeedUser, methods: AuthMethod[]): void {
  user.authMethods.push(...methods);
  const preferred = methods.find((m) => m.kind === 'microsoftAuthenticator') ?? methods[0];
  user.defaultMfaMethodId = preferred?.id ?? null;
}

function license(skuIds: string[]): SeedUser['assignedLicenses'] {
  return skuIds.map((skuId) => ({ skuId, disabledPlans: [] }));
}

export function addFixedAccounts(store: TenantStore, rng: Random, now: Date): GeneratedRoleGrant[] {
  const grants: GeneratedRoleGrant[] = [];
  for (const a of FIXED_ACCOUNTS) {
    const totpSecret = a.mfa ? stableBase32Secret(a.upn) : undefined;
    const user = baseUser(rng, now, fixedInit(a, totpSecret));
    const kinds =
      a.key === 'alice'
        ? (['authenticator', 'phone', 'email'] as const)
        : a.key === 'useradmin'
          ? (['authenticator', 'softwareOath'] as const)
          : (['authenticator'] as const);
    if (totpSecret) withMfa(user, mfaMethods(rng, now, [...kinds], totpSecret));
    store.addUser(user);
    for (const roleId of a.roles) grants.push({ userId: a.id, roleId, eligible: false });
    for (const roleId of a.eligibleRoles) grants.push({ userId: a.id, roleId, eligible: true });
  }
  return grants;
}

function fixedInit(
  a: FixedAccount,
  totpSecret: string | undefined,
): Partial<SeedUser> & Pick<SeedUser, 'id' | 'userPrincipalName' | 'displayName' | 'credentials'> {
  return {
    id: a.id,
    userPrincipalName: a.upn,
    displayName: a.displayName,
    givenName: a.givenName,
    surname: a.surname,
    mail: a.upn,
    jobTitle: a.jobTitle,
    department: a.key === 'alice' ? 'Sales' : 'IT',
    officeLocation: 'Building 1',
    assignedLicenses: license(
      a.key === 'teamsadmin' ? [SKU.officeE5.skuId, SKU.teamsPhone.skuId] : [SKU.officeE5.skuId],
    ),
    teams: {
      isEnterpriseVoiceEnabled: a.key === 'teamsadmin',
      featureTypes: ['Teams', 'AudioConferencing', 'PhoneSystem'],
      accountType: 'user',
    },
    credentials: { password: a.password, ...(totpSecret ? { totpSecret } : {}) },
  };
}

/** Generated population with the demo's proportions: ~8% guests, ~6% disabled, ~75% licensed, ~70% MFA, ~8% admins. */
export function addGeneratedUsers(store: TenantStore, rng: Random, now: Date, count: number): GeneratedRoleGrant[] {
  const grants: GeneratedRoleGrant[] = [];
  const domain = store.domain;
  for (let i = 0; i < count; i++) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const nick = `${first}.${last}`.toLowerCase().replace(/'/g, '');
    // Strides, not chance, so even the 60-user demo always has guests (1 in 12) and disabled users (1 in 16).
    const guest = i % 12 === 1;
    const id = rng.guid();
    const upn = guest ? `${nick}${i}_fabrikam.com#EXT#@${domain}` : `${nick}${i}@${domain}`;
    const usageLocation = rng.chance(0.92) ? rng.pick(LOCATIONS) : null;
    const licensed = !guest && usageLocation !== null && rng.chance(0.8);
    const mfa = rng.chance(0.7);
    const totpSecret = mfa && rng.chance(0.75) ? rng.base32(32) : undefined;
    const user = baseUser(rng, now, {
      id,
      userPrincipalName: upn,
      displayName: `${first} ${last}`,
      givenName: first,
      surname: last,
      mail: guest ? `${nick}${i}@fabrikam.com` : upn,
      userType: guest ? 'Guest' : 'Member',
      accountEnabled: i % 16 !== 3,
      usageLocation,
      jobTitle: guest ? null : rng.pick(TITLES),
      department: guest ? null : rng.pick(DEPARTMENTS),
      onPremisesSyncEnabled: rng.chance(0.2) ? true : null,
      assignedLicenses: licensed ? license([rng.chance(0.6) ? SKU.officeE5.skuId : SKU.officeE3.skuId]) : [],
      teams: {
        isEnterpriseVoiceEnabled: false,
        featureTypes: licensed ? ['Teams', 'AudioConferencing'] : [],
        accountType: guest ? 'guest' : licensed ? 'user' : 'ineligibleUser',
      },
      credentials: { password: `Gen-${rng.hex(10)}-Pw1!`, ...(totpSecret ? { totpSecret } : {}) },
    });
    if (mfa) {
      const kinds: ('authenticator' | 'phone' | 'fido2' | 'softwareOath')[] = totpSecret
        ? ['authenticator']
        : ['phone'];
      if (rng.chance(0.3)) kinds.push(totpSecret ? 'phone' : 'fido2');
      withMfa(user, mfaMethods(rng, now, kinds, totpSecret));
    }
    store.addUser(user);
    if (!guest && rng.chance(0.08))
      grants.push({ userId: id, roleId: rng.pick(GENERATED_ADMIN_ROLES), eligible: false });
    if (!guest && rng.chance(0.04))
      grants.push({ userId: id, roleId: rng.pick(GENERATED_ADMIN_ROLES), eligible: true });
  }
  return grants;
}
