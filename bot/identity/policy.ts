import type { RiskTier } from '../commands/types.js';

/**
 * The step-up policy, declared per risk tier. `read` needs a signed-in admin; `write` and `dangerous` need MFA
 * evidence in the token (amr `mfa`, or the step-up authentication context in `acrs`) no older than their
 * maximum age; `dangerous` also needs a second admin's approval, which this module does not grant (the approvals
 * feature does), so such commands are refused after the MFA check until it exists.
 */
export interface TierRequirement {
  mfa: boolean;
  /** Maximum age of the MFA (auth_time), seconds. */
  mfaMaxAgeSeconds?: number;
  approval: boolean;
}

export type StepUpPolicy = Record<RiskTier, TierRequirement>;

export function stepUpPolicy(maxAge: { write: number; dangerous: number }): StepUpPolicy {
  return {
    read: { mfa: false, approval: false },
    write: { mfa: true, mfaMaxAgeSeconds: maxAge.write, approval: false },
    dangerous: { mfa: true, mfaMaxAgeSeconds: maxAge.dangerous, approval: true },
  };
}

export interface MfaEvidence {
  amr: string[];
  acrs: string[];
  authTime?: number;
}

export type PolicyVerdict =
  | { kind: 'ok' }
  | { kind: 'step-up'; reason: 'no-mfa' | 'mfa-too-old'; maxAgeSeconds: number }
  | { kind: 'needs-approval' };

/** True when the token shows a second factor: amr `mfa` (v1-style tokens) or the step-up context in acrs. */
export function hasMfa(evidence: MfaEvidence, authContext: string): boolean {
  return evidence.amr.includes('mfa') || evidence.acrs.includes(authContext);
}

/**
 * `commandMaxAgeSeconds` is a command's own freshness demand (e.g. approving a dangerous command is a `write`
 * that needs the `dangerous` 5 minutes): it requires MFA and tightens, never loosens, the tier's maximum age.
 */
export function requirementFor(policy: StepUpPolicy, tier: RiskTier, commandMaxAgeSeconds?: number): TierRequirement {
  const base = policy[tier];
  if (commandMaxAgeSeconds === undefined) return base;
  const maxAge = base.mfa
    ? Math.min(base.mfaMaxAgeSeconds ?? commandMaxAgeSeconds, commandMaxAgeSeconds)
    : commandMaxAgeSeconds;
  return { ...base, mfa: true, mfaMaxAgeSeconds: maxAge };
}

export function evaluatePolicy(
  policy: StepUpPolicy,
  tier: RiskTier,
  evidence: MfaEvidence,
  authContext: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
  commandMaxAgeSeconds?: number,
): PolicyVerdict {
  const requirement = requirementFor(policy, tier, commandMaxAgeSeconds);
  if (requirement.mfa) {
    const maxAgeSeconds = requirement.mfaMaxAgeSeconds ?? 0;
    if (!hasMfa(evidence, authContext)) return { kind: 'step-up', reason: 'no-mfa', maxAgeSeconds };
    // No auth_time means the age is unknown: treated as too old, never as fresh.
    if (evidence.authTime === undefined || nowSeconds - evidence.authTime > maxAgeSeconds) {
      return { kind: 'step-up', reason: 'mfa-too-old', maxAgeSeconds };
    }
  }
  if (requirement.approval) return { kind: 'needs-approval' };
  return { kind: 'ok' };
}
