// The slice of the shared seed `Tenant` (devtenant/seed, see notes/devtenant-contract.md) that the identity
// provider reads. Structural, so the real Tenant satisfies it and tests can pass a small fake.

export interface IdentityUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
  credentials: { password: string; totpSecret?: string };
  /** Set by Graph revokeSignInSessions: sessions and refresh tokens from before this instant are void. */
  signInSessionsValidFromDateTime?: string;
}

export interface IdentityApplication {
  appId: string;
  displayName: string;
  kind: 'bot' | 'reports' | 'teams-client';
  clientSecret?: string;
  redirectUris: string[];
  identifierUris: string[];
  appRoles?: string[];
}

export interface SignInEntry {
  userId: string;
  appId: string;
  status: 'success' | 'failure';
  failureReason?: string;
  mfa: boolean;
  ipAddress?: string;
}

export interface IdentityTenant {
  id: string;
  domain: string;
  displayName: string;
  userById(id: string): IdentityUser | undefined;
  userByUpn(upn: string): IdentityUser | undefined;
  activeRoleTemplateIds(userId: string): string[];
  registerAuthenticator(userId: string, totpSecret: string): void;
  appendSignIn(entry: SignInEntry): void;
  applications: IdentityApplication[];
}

/** True when an authentication at `authTime` (epoch s) predates the user's session revocation. */
export function revokedSince(user: IdentityUser, authTime: number | undefined): boolean {
  if (!user.signInSessionsValidFromDateTime || authTime === undefined) return false;
  // auth_time has second resolution: an authentication in the revocation's own second stays valid, so a
  // sign-in right after the revocation is never mistaken for a revoked one.
  return authTime < Math.floor(Date.parse(user.signInSessionsValidFromDateTime) / 1000);
}
