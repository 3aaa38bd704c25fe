import type { GateDecision } from '../commands/gate.js';
import type { AnyCommand } from '../commands/types.js';
import { isAccountDisabled } from './account-disabled.js';
import { notice } from './prompts.js';
import { GRAPH_SCOPES, type CachedSignIn } from './service.js';

/**
 * Graph refused the cached token (continuous access evaluation revokes it when an account is disabled): a forced
 * refresh tells a disabled account (AADSTS50057) apart from a revoked session, which a new sign-in does fix.
 */
export async function disabledOnRefresh(signIn: CachedSignIn): Promise<boolean> {
  try {
    await signIn.client.acquireTokenSilent({ account: signIn.account, scopes: GRAPH_SCOPES, forceRefresh: true });
    return false;
  } catch (err) {
    return isAccountDisabled(err);
  }
}

/** The refusal (audited as `command.refused` / `account-disabled`). */
export function accountDisabledRefusal(command: AnyCommand, upn: string): Extract<GateDecision, { kind: 'refuse' }> {
  return {
    kind: 'refuse',
    reason: 'account-disabled',
    reply: notice(
      'Your account is disabled',
      `Microsoft Entra ID reports that the account ${upn} is disabled, so "${command.name}" was not run and ` +
        `signing in again would not help. Ask another administrator to enable the account if it should be.`,
    ),
  };
}
