import { defineCommand } from '../types.js';
import { notice } from '../notice.js';
import { noArgs } from '../_lib/args.js';

export default defineCommand({
  name: 'signout',
  aliases: ['sign out', 'logout'],
  summary: 'Signs you out of the bot: your cached tenant tokens are deleted.',
  usage: 'signout',
  examples: ['signout'],
  args: noArgs,
  tier: 'read',
  scopes: [],
  public: true,
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
