// Decides whether a sign-in needs the second factor: when the request asks for it (claims acrs, amr_values,
// acr_values) or a tenant policy for the user demands it.
import { readAccessTokenClaimsRequest } from './claims-request.js';
import type { IdentityTenant, IdentityUser } from './tenant-view.js';

/**
 * `requested` (default): MFA only when the request asks; `admins`: also for anyone holding a directory role; `all`:
 * always.
 */
export type MfaPolicy = 'requested' | 'admins' | 'all';

const MFA_ACR_VALUES = new Set(['mfa', 'http://schemas.microsoft.com/claims/multipleauthn', 'urn:mfa']);
const AUTH_CONTEXT = /^c\d{1,2}$/i;

export interface AuthorizationParams {
  claims?: unknown;
  amr_values?: unknown;
  acr_values?: unknown;
}

export function mfaRequestedBy(params: AuthorizationParams): boolean {
  if (readAccessTokenClaimsRequest(params.claims).acrs.length > 0) return true;
  const words = (v: unknown) => (typeof v === 'string' ? v.split(' ').filter(Boolean) : []);
  if (words(params.amr_values).some((v) => v.toLowerCase() === 'mfa' || v === 'ngcmfa')) return true;
  return words(params.acr_values).some((v) => MFA_ACR_VALUES.has(v.toLowerCase()) || AUTH_CONTEXT.test(v));
}

export function mfaRequiredByPolicy(policy: MfaPolicy, tenant: IdentityTenant, user: IdentityUser): boolean {
  if (policy === 'all') return true;
  if (policy === 'admins') return tenant.activeRoleTemplateIds(user.id).length > 0;
  return false;
}

export function mfaRequired(
  policy: MfaPolicy,
  tenant: IdentityTenant,
  user: IdentityUser,
  params: AuthorizationParams,
): boolean {
  return mfaRequestedBy(params) || mfaRequiredByPolicy(policy, tenant, user);
}
