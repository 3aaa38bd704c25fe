// The bot's Entra app registration in the Agents Toolkit's AAD manifest format (applied by `aadApp/update`): the
// Teams SSO scope, the delegated Graph permissions the commands declare (so consent never lags behind a new
// command), the optional claims the step-up policy reads, and the sign-in link's redirect URI.
import type { AnyCommand } from '../../bot/commands/types.js';

/** Teams desktop/mobile and Teams web: the clients that may get an SSO token for the bot without a consent prompt. */
export const TEAMS_CLIENT_APP_IDS = ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346'];

/**
 * Read by the bot's MFA policy: `amr` (how the user signed in), `acrs` (authentication contexts satisfied),
 * `auth_time` (how fresh the sign-in is) and `xms_cc` (the client can handle claims challenges).
 */
export const OPTIONAL_CLAIMS = ['amr', 'acrs', 'auth_time', 'xms_cc'];

/** Needed by every signed-in session whatever the command: the sign-in itself and the admin role check. */
export const BASELINE_SCOPES = ['openid', 'profile', 'offline_access', 'User.Read'];

/** The delegated Graph permissions: the baseline plus every command's `scopes`, sorted, without duplicates. */
export function delegatedGraphPermissions(commands: readonly AnyCommand[]): string[] {
  const declared = new Set(commands.flatMap((c) => c.scopes));
  const baseline = BASELINE_SCOPES.filter((s) => !declared.has(s));
  return [...baseline, ...[...declared].sort((a, b) => a.localeCompare(b))];
}

const claim = (name: string) => ({ name, source: null, essential: false, additionalProperties: [] as string[] });

export function buildEntraManifest(commands: readonly AnyCommand[]): Record<string, unknown> {
  const accessAsUser = '${{AAD_APP_ACCESS_AS_USER_PERMISSION_ID}}';
  return {
    id: '${{AAD_APP_OBJECT_ID}}',
    appId: '${{BOT_ID}}',
    name: 'tenant-admin-bot${{APP_NAME_SUFFIX}}',
    accessTokenAcceptedVersion: 2,
    signInAudience: 'AzureADMyOrg',
    optionalClaims: {
      idToken: OPTIONAL_CLAIMS.map(claim),
      accessToken: OPTIONAL_CLAIMS.map(claim),
      saml2Token: [],
    },
    requiredResourceAccess: [
      {
        resourceAppId: 'Microsoft Graph',
        resourceAccess: delegatedGraphPermissions(commands).map((id) => ({ id, type: 'Scope' })),
      },
    ],
    oauth2Permissions: [
      {
        adminConsentDescription: 'Allows Teams to call the bot as the signed-in admin (single sign-on).',
        adminConsentDisplayName: 'Teams can sign in to the admin bot',
        id: accessAsUser,
        isEnabled: true,
        type: 'User',
        userConsentDescription: 'Lets Teams sign you in to the admin bot.',
        userConsentDisplayName: 'Sign in to the admin bot from Teams',
        value: 'access_as_user',
      },
    ],
    preAuthorizedApplications: TEAMS_CLIENT_APP_IDS.map((appId) => ({ appId, permissionIds: [accessAsUser] })),
    identifierUris: ['api://botid-${{BOT_ID}}'],
    replyUrlsWithType: [{ url: 'https://${{BOT_DOMAIN}}/auth/callback', type: 'Web' }],
  };
}
