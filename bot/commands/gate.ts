import type { CommandGate } from './types.js';
import { notice } from './notice.js';

export type { CommandGate, GateDecision } from './types.js';

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
      reply: notice(
        'Sign-in is not configured',
        `"${command.name}" acts on your tenant on your behalf, which needs a sign-in, and this bot has no ` +
          `identity provider configured. Ask the bot's operator to set the identity settings (see the README).`,
        { text: `"${command.name}" needs sign-in, which is not configured on this bot.` },
      ),
    };
  },
};
