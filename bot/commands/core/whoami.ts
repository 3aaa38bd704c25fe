import { roleName } from '../../identity/roles.js';
import { defineCommand, type AdminSession } from '../types.js';
import { noArgs } from '../_lib/args.js';

/** "3 minutes ago", "in 55 minutes": coarse on purpose, the card is read by a person. */
function relative(from: Date, now: Date): string {
  const ms = from.getTime() - now.getTime();
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const amount =
    minutes === 0
      ? 'less than a minute'
      : minutes < 90
        ? `${minutes} minute${minutes === 1 ? '' : 's'}`
        : `${Math.round(minutes / 60)} hours`;
  return ms > 0 ? `in ${amount}` : `${amount} ago`;
}

function mfaState(session: AdminSession, now: Date): string {
  const evidence = session.mfa;
  // Any satisfied authentication context was granted only after a second factor.
  const proven = evidence.amr.includes('mfa') || evidence.acrs.length > 0;
  if (!proven) return 'no (password only); commands that change the tenant will ask for it';
  const methods = [...evidence.amr, ...evidence.acrs.map((c) => `context ${c}`)].join(', ');
  const age = evidence.authTime ? relative(new Date(evidence.authTime * 1000), now) : 'at an unknown time';
  return `yes, ${age} (${methods})`;
}

export default defineCommand({
  name: 'whoami',
  summary: 'Shows who you are to the bot: Teams identity, and tenant identity once signed in.',
  usage: 'whoami',
  examples: ['whoami'],
  args: noArgs,
  tier: 'read',
  scopes: [],
  public: true,
  async run(ctx) {
    const { actor, conversation, session } = ctx;
    const now = new Date();
    const teams = {
      name: actor.name ?? 'unknown',
      teamsUserId: actor.teamsUserId,
      aadObjectId: actor.aadObjectId ?? 'not provided by the client',
      tenantId: actor.tenantId ?? 'not provided by the client',
      conversationKind: conversation.kind,
    };
    if (!session) {
      return {
        card: 'whoami',
        data: {
          ...teams,
          signedIn: false,
          signInNote: 'Not signed in to the tenant yet. Any admin command asks you to sign in.',
        },
        text:
          `You are ${teams.name} (Teams ${teams.teamsUserId}, Entra ${teams.aadObjectId}, tenant ` +
          `${teams.tenantId}). Not signed in.`,
      };
    }
    const roles = session.roleTemplateIds.length ? session.roleTemplateIds.map(roleName).join(', ') : 'none';
    const data = {
      ...teams,
      signedIn: true,
      upn: session.upn,
      roles,
      mfa: mfaState(session, now),
      tokenExpiry: session.tokenExpiresOn ? relative(session.tokenExpiresOn, now) : 'unknown',
      signInNote: '',
    };
    return {
      card: 'whoami',
      data,
      text: `You are ${teams.name}, signed in as ${session.upn} (roles: ${roles}; MFA: ${data.mfa}).`,
    };
  },
});
