import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Server } from 'restify';
import type { CommandGate } from '../commands/gate.js';
import { CommandRegistry } from '../commands/registry.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { Logger } from '../log.js';
import { tenantOfIssuer } from './authority-metadata.js';
import { loadTrustAnchors } from '../net/trust.js';
import type { BotStore } from '../store/database.js';
import { installAuthRoutes } from './auth-routes.js';
import { withClaimsChallengeStepUp } from './claims-retry.js';
import type { IdentityCommandServices } from './command-services.js';
import type { IdentitySettings } from './config.js';
import { IdentityGate } from './gate.js';
import type { BotLink } from './resume.js';
import { IdentityService } from './service.js';
import { SignInCompletion } from './sign-in-completion.js';
import { installSsoRoutes } from './sso.js';

export type { IdentityCommandServices } from './command-services.js';
export { identitySettings, type IdentitySettings } from './config.js';

/** The identity module as the composition sees it. */
export interface Identity {
  gate: CommandGate;
  services: IdentityCommandServices;
  service: IdentityService;
  /** Adds claims-challenge step-up to every signed-in command. */
  decorate(registry: CommandRegistry): CommandRegistry;
  /** `/auth/start` and `/auth/callback` on the bot's HTTP server (sign-in attempts limited when `limits` is given). */
  installHttpRoutes(server: Server, limits?: RateLimiter): void;
  /** `signin/tokenExchange`, `signin/verifyState`, `signin/failure` on the teams-ai app. */
  installInvokeRoutes(app: Application<TurnState>, limits?: RateLimiter): void;
  /** Once the app exists: the adapter and dispatch dependencies used to resume parked commands. */
  attach(link: BotLink): void;
}

export function createIdentity(configured: IdentitySettings, store: BotStore, log: Logger): Identity {
  // An authority named by domain is single-tenant too: its issuer names the tenant whose admins this bot serves.
  const settings = configured.homeTenantId
    ? configured
    : { ...configured, homeTenantId: tenantOfIssuer(configured.authorityMetadata) };
  const trust = loadTrustAnchors(settings.caFile);
  const service = new IdentityService(settings, store.db, log, trust);
  const completion = new SignInCompletion(service);
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
    services: {
      signOut: async (actor, conversation) => {
        if (!actor.aadObjectId || !conversation.tenantId) return false;
        return service.signOut(actor.aadObjectId, conversation.tenantId);
      },
    },
    decorate: (registry) =>
      new CommandRegistry(registry.all().map((command) => withClaimsChallengeStepUp(command, service))),
    installHttpRoutes: (server, limits) => installAuthRoutes(server, service, completion, limits),
    installInvokeRoutes: (app, limits) => installSsoRoutes(app, service, completion, store, limits),
    attach: (link) => completion.attach(link),
  };
}
