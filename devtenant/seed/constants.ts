// Fixed identifiers of the demo tenant. Role template ids, SKU ids and service plan ids are Microsoft's real ones.

export const DEMO_TENANT_ID = '7d5c2f1e-3b8a-4c6d-9e0f-1a2b3c4d5e6f';
export const DEMO_DOMAIN = 'contoso.onmicrosoft.com';
export const DEMO_TENANT_NAME = 'Contoso';

export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  teamsAdministrator: '69091246-20e8-4a56-aa4d-066075b2a7a8',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  reportsReader: '4a5d8f65-41da-4de4-8968-e035b65339cf',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  licenseAdministrator: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  groupsAdministrator: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  teamsCommunicationsAdministrator: 'baf37b3a-610e-45da-9e62-d9d1e5e8914b',
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
} as const;

export const ROLE_DISPLAY_NAMES: Record<string, string> = {
  [ROLE.globalAdministrator]: 'Global Administrator',
  [ROLE.teamsAdministrator]: 'Teams Administrator',
  [ROLE.userAdministrator]: 'User Administrator',
  [ROLE.authenticationAdministrator]: 'Authentication Administrator',
  [ROLE.privilegedRoleAdministrator]: 'Privileged Role Administrator',
  [ROLE.privilegedAuthenticationAdministrator]: 'Privileged Authentication Administrator',
  [ROLE.globalReader]: 'Global Reader',
  [ROLE.reportsReader]: 'Reports Reader',
  [ROLE.securityReader]: 'Security Reader',
  [ROLE.securityAdministrator]: 'Security Administrator',
  [ROLE.helpdeskAdministrator]: 'Helpdesk Administrator',
  [ROLE.licenseAdministrator]: 'License Administrator',
  [ROLE.groupsAdministrator]: 'Groups Administrator',
  [ROLE.teamsCommunicationsAdministrator]: 'Teams Communications Administrator',
  [ROLE.exchangeAdministrator]: 'Exchange Administrator',
};

/** App ids of the seeded applications (fixed GUIDs; the identity provider registers them as clients). */
export const APP_IDS = {
  bot: '0b7f4d2a-6c1e-4a8b-9d3f-5e2c1a7b8d90',
  reports: '3e9a1c5b-7d2f-4e6a-8b0c-9f1d3e5a7c21',
  teamsClient: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
} as const;
/** Development-only secret of the bot app in the stand-in (never a real credential). */
export const BOT_CLIENT_SECRET = 'devtenant-bot-secret-not-for-production';

/** Graph's own application id and resource URI (token audiences accepted by the stand-in). */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

export const SKU = {
  officeE5: { skuId: 'c7df2760-2c81-4ef7-b578-5b5392b571df', skuPartNumber: 'ENTERPRISEPREMIUM' },
  officeE3: { skuId: '6fd2c87f-b296-42f0-b197-1e91e994b900', skuPartNumber: 'ENTERPRISEPACK' },
  teamsPhone: { skuId: 'e43b5b99-8dfb-405f-9987-dc307f34bcbd', skuPartNumber: 'MCOEV' },
} as const;

export const SERVICE_PLAN = {
  teams: { servicePlanId: '57ff2da0-773e-42df-b2af-ffb7a2317929', servicePlanName: 'TEAMS1' },
  exchange: { servicePlanId: 'efb87545-963c-4e0d-99df-69c6916d9eb0', servicePlanName: 'EXCHANGE_S_ENTERPRISE' },
  sharepoint: { servicePlanId: '5dbe027f-2339-4123-9542-606e4d348a72', servicePlanName: 'SHAREPOINTENTERPRISE' },
  skypeOnline: { servicePlanId: '0feaeb32-d00e-4d66-bd5a-43b5b83db82c', servicePlanName: 'MCOSTANDARD' },
  phoneSystem: { servicePlanId: '4828c8ec-dc2e-4779-b502-87ac9ce28ab7', servicePlanName: 'MCOEV' },
} as const;

export interface FixedAccount {
  key: 'admin' | 'teamsadmin' | 'useradmin' | 'helpdesk' | 'alice' | 'bob';
  id: string;
  upn: string;
  displayName: string;
  givenName: string;
  surname: string;
  jobTitle: string;
  roles: string[];
  eligibleRoles: string[];
  mfa: boolean;
  licensed: boolean;
  password: string;
}

const fixed = (
  key: FixedAccount['key'],
  id: string,
  displayName: string,
  jobTitle: string,
  roles: string[],
  mfa: boolean,
  password: string,
  eligibleRoles: string[] = [],
): FixedAccount => {
  const [givenName, surname] = displayName.split(' ');
  return {
    key,
    id,
    upn: `${key}@${DEMO_DOMAIN}`,
    displayName,
    givenName,
    surname: surname ?? '',
    jobTitle,
    roles,
    eligibleRoles,
    mfa,
    licensed: true,
    password,
  };
};

/** The accounts tests and scripts rely on. Passwords are development-only and deterministic by design. */
export const FIXED_ACCOUNTS: readonly FixedAccount[] = [
  fixed(
    'admin',
    'a0000000-0000-4000-8000-000000000001',
    'Adele Admin',
    'IT Director',
    [ROLE.globalAdministrator],
    true,
    'Demo-Admin-Pass1!',
  ),
  fixed(
    'teamsadmin',
    'a0000000-0000-4000-8000-000000000002',
    'Tom Teams',
    'Collaboration Lead',
    [ROLE.teamsAdministrator],
    true,
    'Demo-Teams-Pass1!',
  ),
  fixed(
    'useradmin',
    'a0000000-0000-4000-8000-000000000003',
    'Uma Users',
    'Identity Engineer',
    [ROLE.userAdministrator],
    true,
    'Demo-Users-Pass1!',
  ),
  fixed(
    'helpdesk',
    'a0000000-0000-4000-8000-000000000004',
    'Hank Helpdesk',
    'Service Desk',
    [ROLE.authenticationAdministrator],
    false,
    'Demo-Help-Pass1!',
  ),
  fixed(
    'alice',
    'a0000000-0000-4000-8000-000000000005',
    'Alice Anders',
    'Sales Manager',
    [],
    true,
    'Demo-Alice-Pass1!',
  ),
  fixed('bob', 'a0000000-0000-4000-8000-000000000006', 'Bob Berg', 'Support Engineer', [], false, 'Demo-Bob-Pass1!', [
    ROLE.teamsAdministrator,
  ]),
];

/** Password of every fixed demo account, by UPN (development only). */
export const DEMO_PASSWORDS: Readonly<Record<string, string>> = Object.fromEntries(
  FIXED_ACCOUNTS.map((a) => [a.upn, a.password]),
);
