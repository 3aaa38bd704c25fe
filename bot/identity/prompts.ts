import type { AnyCommand, CommandContext, CommandOutput } from '../commands/types.js';
import type { IdentityService } from './service.js';
import { authContextClaims } from './token-claims.js';

/** Where the user finishes a sign-in in the browser (`Action.OpenUrl`): the bot's own start page. */
export function startUrl(identity: IdentityService, state: string): string {
  return `${identity.settings.publicBaseUrl}/auth/start?state=${encodeURIComponent(state)}`;
}

const LINK_NOTE = 'The link works once, only for you, for 10 minutes. The bot never sees your password.';

/** A card click in a group chat: what the parked command answers later goes to the clicker only. */
function answerPrivately(ctx: CommandContext): string | undefined {
  return ctx.origin === 'card' && ctx.conversation.kind !== 'personal' ? ctx.actor.teamsUserId : undefined;
}

/**
 * Parks the command and answers with a sign-in card (and, in a 1:1 chat with Teams SSO on, an OAuthCard that lets
 * Teams sign the user in silently). Whichever completes first resumes the command, once. When the command will
 * need a fresh MFA (`mfaMaxAgeSeconds`: a change, an approval decision), this first sign-in asks for it at once
 * (claims and max_age, as a step-up does), so the admin does not sign in twice in a row.
 */
export async function holdForSignIn(
  identity: IdentityService,
  command: AnyCommand,
  ctx: CommandContext,
  why?: string,
  mfaMaxAgeSeconds?: number,
): Promise<CommandOutput> {
  const { actor, conversation } = ctx;
  const oid = actor.aadObjectId!;
  const tenantId = conversation.tenantId!;
  const pendingOperationId = await identity.pending.parkOnce({
    request: ctx.request,
    address: ctx.address,
    tier: command.tier,
    userAadId: oid,
    answerPrivately: answerPrivately(ctx),
  });
  const mfa =
    mfaMaxAgeSeconds === undefined
      ? {}
      : { claims: authContextClaims(identity.settings.stepUpAuthContext), maxAgeSeconds: mfaMaxAgeSeconds };
  const state = await identity.states.create({
    userAadId: oid,
    teamsUserId: actor.teamsUserId,
    conversationId: conversation.id,
    purpose: 'sign-in',
    payload: { pendingOperationId, tenantId, ...mfa },
  });
  const withMfa = mfaMaxAgeSeconds === undefined ? '' : ' with multi-factor authentication (MFA)';
  // In a 1:1 chat Teams tries a silent token exchange for this resource first; the button is its fallback. A card
  // click elsewhere gets a Universal Actions login request instead (bot/teams/card-click.ts), unless the command
  // needs a fresh MFA, which a silent token does not bring: then the link asks for it at once.
  const silent = conversation.kind === 'personal' || (ctx.origin === 'card' && mfaMaxAgeSeconds === undefined);
  const sso =
    identity.settings.teamsSso && silent
      ? {
          operationId: pendingOperationId,
          resource: identity.settings.ssoResource,
          title: `Sign in to run "${command.name}"`,
          url: startUrl(identity, state),
        }
      : undefined;
  return {
    card: 'sign-in',
    data: {
      title: `Sign in to run "${command.name}"`,
      message:
        `${why ? `${why} ` : ''}"${command.name}" works on your tenant as you, so the bot needs you to sign in ` +
        `with your admin account${withMfa}. The command runs by itself once you are signed in.`,
      buttonTitle: 'Sign in',
      url: startUrl(identity, state),
      note: LINK_NOTE,
    },
    text: `Sign in to run "${command.name}": ${startUrl(identity, state)}`,
    sso,
    audience: 'actor',
  };
}

/**
 * Parks the command and answers with a step-up card: a fresh sign-in with MFA (`prompt=login`, `max_age`, and the
 * claims request: the configured authentication context, or the claims of a Graph challenge).
 */
export async function holdForStepUp(
  identity: IdentityService,
  command: AnyCommand,
  ctx: CommandContext,
  input: { upn?: string; maxAgeSeconds: number; claims?: string; claimsRetry?: boolean; reason: string },
): Promise<CommandOutput> {
  const { actor, conversation } = ctx;
  const oid = actor.aadObjectId!;
  const pendingOperationId = await identity.pending.parkOnce({
    request: ctx.request,
    address: ctx.address,
    tier: command.tier,
    userAadId: oid,
    claimsRetry: input.claimsRetry,
    answerPrivately: answerPrivately(ctx),
  });
  const state = await identity.states.create({
    userAadId: oid,
    teamsUserId: actor.teamsUserId,
    conversationId: conversation.id,
    purpose: 'step-up',
    payload: {
      pendingOperationId,
      tenantId: conversation.tenantId!,
      claims: input.claims ?? authContextClaims(identity.settings.stepUpAuthContext),
      maxAgeSeconds: input.maxAgeSeconds,
      loginHint: input.upn,
    },
  });
  const minutes = Math.max(1, Math.round(input.maxAgeSeconds / 60));
  return {
    card: 'sign-in',
    data: {
      title: 'Verify with MFA',
      message:
        `${input.reason} Verify your identity with multi-factor authentication (MFA) to continue; ` +
        `"${command.name}" runs by itself afterwards. The verification is valid for ${minutes} minute(s).`,
      buttonTitle: 'Verify with MFA',
      url: startUrl(identity, state),
      note: LINK_NOTE,
    },
    text: `"${command.name}" needs MFA: ${startUrl(identity, state)}`,
    audience: 'actor',
  };
}

export { notice } from '../commands/notice.js';
