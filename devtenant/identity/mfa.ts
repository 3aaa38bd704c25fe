// Second factor of the sign-in page: RFC 6238 TOTP (SHA1, 6 digits, 30 s, as Microsoft Authenticator),
// and Entra-like smart lockout: repeated wrong passwords or codes lock the user for a while.
import { authenticator } from 'otplib';

authenticator.options = { digits: 6, step: 30, window: 1 };

export function verifyTotp(code: string, secret: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  try {
    return authenticator.check(code, secret);
  } catch {
    return false;
  }
}

export function newTotpSecret(): string {
  return authenticator.generateSecret(20);
}

/** otpauth URI an authenticator app scans during enrolment. */
export function otpauthUri(upn: string, issuerName: string, secret: string): string {
  return authenticator.keyuri(upn, issuerName, secret);
}

export interface LockoutPolicy {
  maxFailures: number;
  lockSeconds: number;
}
export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockSeconds: 15 * 60 };

interface FailureState {
  passwordFailures: number;
  codeFailures: number;
  lockedUntil: number;
}

/** Per-user failure counters (in memory, like the rest of the stand-in's session state). */
export class LockoutTracker {
  private readonly states = new Map<string, FailureState>();
  constructor(
    private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT,
    private readonly now: () => number = Date.now,
  ) {}

  /** Epoch ms until which the user is locked, or undefined. */
  lockedUntil(userId: string): number | undefined {
    const state = this.states.get(userId);
    return state && state.lockedUntil > this.now() ? state.lockedUntil : undefined;
  }

  /** Records a failure; returns true when this failure locked the account. */
  recordFailure(userId: string, kind: 'password' | 'code'): boolean {
    const state = this.states.get(userId) ?? { passwordFailures: 0, codeFailures: 0, lockedUntil: 0 };
    if (kind === 'password') state.passwordFailures += 1;
    else state.codeFailures += 1;
    this.states.set(userId, state);
    if (Math.max(state.passwordFailures, state.codeFailures) < this.policy.maxFailures) return false;
    state.lockedUntil = this.now() + this.policy.lockSeconds * 1000;
    state.passwordFailures = 0;
    state.codeFailures = 0;
    return true;
  }

  recordSuccess(userId: string, kind: 'password' | 'code'): void {
    const state = this.states.get(userId);
    if (!state) return;
    if (kind === 'password') state.passwordFailures = 0;
    else state.codeFailures = 0;
  }

  remainingAttempts(userId: string, kind: 'password' | 'code'): number {
    const state = this.states.get(userId);
    const used = state ? (kind === 'password' ? state.passwordFailures : state.codeFailures) : 0;
    return this.policy.maxFailures - used;
  }
}
