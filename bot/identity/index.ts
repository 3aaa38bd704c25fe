import type { Server } from 'restify';
import type { AuditLog } from '../audit/log.js';
import type { IdentityPort } from '../commands/ports.js';
import type { CommandGate, StepUpPort } from '../commands/types.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { Logger } from '../log.js';
import { loadTrustAnchors } from '../net/trust.js';
import type { BotStore } from '../store/database.js';
import { installAuthRoutes } from './auth-routes.js';
import { tenantOfIssuer } from './authority-metadata.js';
import type { IdentitySettings } from './config.js';
import { IdentityGate } from './gate.js';
import { requirementFor } from './policy.js';
import { holdForStepUp } from './prompts.js';
import type { ResumeLink } from './resume.js';
import { IdentityService } from './service.js';
import { SignInCompletion } from './sign-in-completion.js';

export { identitySettings, type IdentitySettings } from './config.js';
export type { SignInCompletion } from './sign-in-completion.js';
export type { IdentityService } from './service.js';

/** The identity module as the composition sees it. */
export interface Identity {
  gate: CommandGate;
  /** Graph claims challenges in the middle of a command become a step-up hold. */
  stepUp: StepUpPort;
  services: IdentityPort;
  service: IdentityService;
  /**
   * Sign-in completion (link callback, Teams SSO) once the runner exists, since completing a sign-in resumes the
   * parked command; installs `/auth/start` and `/auth/callback` on the server.
   */
  completion(link: ResumeLink, audit: AuditLog): SignInCompletion;
  installHttpRoutes(server: Server, completion: SignInCompletion, limits?: RateLimiter): void;
}

export function createIdentity(configured: IdentitySettings, store: BotStore, log: Logger): Identity {
  // An authority named by domain is single-tenant too: its issuer names the tenant whose admins this bot serves.
  const settings = configured.homeTenantId
    ? configured
    : { ...configured, homeTenantId: tenantOfIssuer(configured.authorityMetadata) };
  const trust = loadTrustAnchors(settings.caFile);
  const service = new IdentityService(settings, store.db, log, trust);
  log.info(
    {
      authority: settings.authorityHost,
      clientId: settings.clientId,
      teamsSso: settings.teamsSso,
      stepUpContext: settings.stepUpAuthContext,
      callback: settings.redirectUri,
    },
    'identity configured',
  );
  return {
    gate: new IdentityGate(service),
    service,
    stepUp: {
      holdForClaims: (command, ctx, claims) =>
        holdForStepUp(service, command, ctx, {
          upn: ctx.session?.upn,
          maxAgeSeconds:
            requirementFor(service.policy, command.tier, command.mfaMaxAgeSeconds).mfaMaxAgeSeconds ??
            service.policy.write.mfaMaxAgeSeconds!,
          claims,
          claimsRetry: true,
          reason:
            `Microsoft Graph asks for a stronger sign-in before "${command.name}" can continue (nothing was ` +
            `changed yet).`,
        }),
    },
    services: {
      signOut: async (actor, conversation) => {
        if (!actor.aadObjectId || !conversation.tenantId) return false;
        return service.signOut(actor.aadObjectId, conversation.tenantId);
      },
    },
    completion: (link, audit) => new SignInCompletion(service, link, audit),
    installHttpRoutes: (server, completion, limits) => installAuthRoutes(server, service, completion, limits),
  };
}
