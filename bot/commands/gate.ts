import type { AdminSession, AnyCommand, CommandContext, CommandOutput } from './types.js';

/**
 * Decides whether a parsed command may run now. The identity module provides the real gate (signed in, admin
 * role re-checked, MFA fresh enough for the tier, approval for `dangerous`); when it answers `hold`, the
 * command is parked and resumes by itself once the condition is met.
 */
export type GateDecision =
  | { kind: 'allow'; session?: AdminSession }
  /** Everything a `dangerous` command needs from its requester is there; a second admin must now approve. */
  | { kind: 'approval'; session: AdminSession }
  /** `reason` names why in the audit record (`command.held` / `command.refused` outcome), e.g. `other-tenant`. */
  | { kind: 'hold'; reply: CommandOutput; reason?: string }
  | { kind: 'refuse'; reply: CommandOutput; reason?: string };

export interface CommandGate {
  /** `ctx.request.text` is what to park and replay when the answer is `hold`. */
  check(command: AnyCommand, ctx: CommandContext): Promise<GateDecision>;
}

/**
 * The gate used when no identity provider is configured: public commands run, everything else is refused with
 * an explanation. It never lets a tenant command through.
 */
export const noIdentityGate: CommandGate = {
  async check(command) {
    if (command.public) return { kind: 'allow' };
    return {
      kind: 'refuse',
      reason: 'identity-not-configured',
      reply: {
        card: 'notice',
        data: {
          title: 'Sign-in is not configured',
          message: `"${command.name}" acts on your tenant on your behalf, which needs a sign-in, and this bot has no identity provider configured. Ask the bot's operator to set the identity settings (see the README).`,
          actions: [],
        },
        text: `"${command.name}" needs sign-in, which is not configured on this bot.`,
      },
    };
  },
};
