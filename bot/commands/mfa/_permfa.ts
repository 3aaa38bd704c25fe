import { z } from 'zod';
import type { GraphApi } from '../../graph/client.js';
import { userPath } from '../../graph/odata.js';
import { directUserPath, userKey, userLabel } from '../_lib/user-target.js';
import { resolveUser } from '../_lib/users.js';

/**
 * Per-user MFA (the legacy "MFA state" of the old portal) lives only in Graph beta:
 * `/beta/users/{id}/authentication/requirements` (strongAuthenticationRequirements). No v1.0 equivalent exists.
 */
export const PER_USER_MFA_STATES = ['disabled', 'enabled', 'enforced'] as const;
export type PerUserMfaState = (typeof PER_USER_MFA_STATES)[number];

export interface StrongAuthenticationRequirements {
  perUserMfaState?: PerUserMfaState;
}

/** What each state means for the user, for the card (Graph only names the state). */
export const STATE_MEANING: Record<PerUserMfaState, string> = {
  disabled: 'Per-user MFA is off: only Conditional Access or security defaults ask this user for MFA.',
  enabled: 'Enrolled in per-user MFA: the user is asked to register MFA at the next interactive sign-in.',
  enforced: 'Per-user MFA is enforced: every interactive sign-in asks for MFA.',
};

export const CA_RECOMMENDATION =
  'Microsoft recommends Conditional Access (or security defaults) instead of per-user MFA; keep per-user MFA ' +
  'disabled for users that Conditional Access covers.';

export const stateColor = (state: PerUserMfaState | undefined): string =>
  state === 'enforced' ? 'Good' : state === 'enabled' ? 'Warning' : 'Default';

/** Accepts the catalog's verbs (enable, disable, enforce) as well as Graph's values, and answers Graph's value. */
export const stateArg = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const word = value.trim().toLowerCase();
    return ({ enable: 'enabled', disable: 'disabled', enforce: 'enforced' } as Record<string, string>)[word] ?? word;
  },
  z.enum(PER_USER_MFA_STATES, { errorMap: () => ({ message: 'must be enabled, disabled or enforced' }) }),
);

export interface PerUserMfaTarget {
  /** Graph path of the user (`/users/{id}` or `/users('upn')`). */
  path: string;
  /** How the card names the user. */
  label: string;
  /** What follow-up commands are typed with (UPN when known, else object id). */
  key: string;
}

/**
 * The user whose state to read or change. An object id or UPN needs no lookup (Graph's 404 on the requirements
 * path says the user does not exist); a display name is resolved first (choice card when ambiguous, never a guess).
 */
export async function perUserMfaTarget(graph: GraphApi, typed: string): Promise<PerUserMfaTarget> {
  const direct = directUserPath(typed);
  if (direct) return { path: direct, label: typed, key: typed };
  const user = await resolveUser(graph, typed);
  return { path: userPath(user.id), label: userLabel(user), key: userKey(user) };
}

export const requirementsPath = (target: PerUserMfaTarget): string => `${target.path}/authentication/requirements`;

/** The user's current per-user MFA state (one beta GET). */
export async function readPerUserMfaState(graph: GraphApi, target: PerUserMfaTarget): Promise<PerUserMfaState> {
  const response = await graph.get<StrongAuthenticationRequirements>(requirementsPath(target), undefined, 'beta');
  // Graph omits nothing here in practice; a missing value is the default state.
  return response.body.perUserMfaState ?? 'disabled';
}
