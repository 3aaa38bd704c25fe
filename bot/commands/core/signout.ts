import { z } from 'zod';
import { defineCommand } from '../types.js';
import { notice } from '../notice.js';

export default defineCommand({
  name: 'signout',
  aliases: ['sign out', 'logout'],
  area: 'core',
  summary: 'Signs you out of the bot: your cached tenant tokens are deleted.',
  usage: 'signout',
  examples: ['signout'],
  args: { positional: [], schema: z.object({}).strict() },
  tier: 'read',
  scopes: [],
  requiresSignIn: false,
  card: 'notice',
  async run(ctx) {
    const identity = ctx.services.identity;
    if (!identity) {
      return notice('Nothing to sign out of', 'Sign-in is not configured on this bot, so it holds no tokens for you.', {
        text: 'Sign-in is not configured on this bot; nothing to sign out of.',
      });
    }
    const removed = await identity.signOut(ctx.actor, ctx.conversation);
    const message = removed
      ? 'Your cached tokens were deleted. The next admin command asks you to sign in again.'
      : 'You were not signed in; there was nothing to delete.';
    return notice(removed ? 'Signed out' : 'Not signed in', message, {
      actions: [{ title: 'whoami', command: 'whoami' }],
      text: message,
    });
  },
});
