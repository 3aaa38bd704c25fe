import { z } from 'zod';
import { defineCommand } from '../types.js';

export default defineCommand({
  name: 'whoami',
  area: 'core',
  summary: 'Shows who you are to the bot: Teams identity, and tenant identity once signed in.',
  usage: 'whoami',
  examples: ['whoami'],
  args: { positional: [], schema: z.object({}).strict() },
  tier: 'read',
  scopes: [],
  requiresSignIn: false,
  card: 'whoami',
  async run(ctx) {
    const { actor, conversation } = ctx;
    const data = {
      name: actor.name ?? 'unknown',
      teamsUserId: actor.teamsUserId,
      aadObjectId: actor.aadObjectId ?? 'not provided by the client',
      tenantId: actor.tenantId ?? 'not provided by the client',
      conversationKind: conversation.kind,
      signedIn: false,
      signInNote: 'Not signed in to the tenant yet. Any admin command asks you to sign in.',
    };
    return {
      card: 'whoami',
      data,
      text: `You are ${data.name} (Teams ${data.teamsUserId}, Entra ${data.aadObjectId}, tenant ${data.tenantId}). Not signed in.`,
    };
  },
});
