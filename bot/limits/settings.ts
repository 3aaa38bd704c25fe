import { z } from 'zod';

/**
 * Rate-limit settings, merged into the bot's config schema (`bot/config.ts`). Limits are always on — there is no
 * switch (a bot behind a same-host reverse proxy listens on loopback too); tests and benchmarks that need more
 * raise the limits below.
 */
const perWindow = (fallback: number) => z.coerce.number().int().min(1).max(100_000).default(fallback);

export const rateLimitSettingsShape = {
  /** Any command, per Teams user (all instances together). */
  RATE_LIMIT_COMMANDS_PER_USER_PER_MINUTE: perWindow(30),
  /** `write` and `dangerous` commands, per Teams user: stricter, they change the tenant. */
  RATE_LIMIT_CHANGES_PER_USER_PER_MINUTE: perWindow(10),
  /** Any command, per tenant: bounds the Graph and audit load one tenant's users can cause together. */
  RATE_LIMIT_COMMANDS_PER_TENANT_PER_MINUTE: perWindow(300),
  /** Sign-in attempts per user (sign-in link opened, Teams SSO token exchange). */
  RATE_LIMIT_SIGNINS_PER_USER_PER_10_MINUTES: perWindow(10),
  /** Requests to /auth/start and /auth/callback per client IP (a NAT puts many users behind one address). */
  RATE_LIMIT_AUTH_PER_IP_PER_10_MINUTES: perWindow(120),
  /**
   * Reverse proxies in front of the bot that append to X-Forwarded-For (Azure App Service: 1). 0: the client IP is
   * the TCP peer. Never trust more hops than really exist: the header is otherwise the client's to forge.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
};

export interface RateLimitSettings {
  commandsPerUserPerMinute: number;
  changesPerUserPerMinute: number;
  commandsPerTenantPerMinute: number;
  signInsPerUserPer10Minutes: number;
  authPerIpPer10Minutes: number;
  trustedProxyHops: number;
}

interface RateLimitFields {
  RATE_LIMIT_COMMANDS_PER_USER_PER_MINUTE: number;
  RATE_LIMIT_CHANGES_PER_USER_PER_MINUTE: number;
  RATE_LIMIT_COMMANDS_PER_TENANT_PER_MINUTE: number;
  RATE_LIMIT_SIGNINS_PER_USER_PER_10_MINUTES: number;
  RATE_LIMIT_AUTH_PER_IP_PER_10_MINUTES: number;
  TRUSTED_PROXY_HOPS: number;
}

export function rateLimitSettings(cfg: RateLimitFields): RateLimitSettings {
  return {
    commandsPerUserPerMinute: cfg.RATE_LIMIT_COMMANDS_PER_USER_PER_MINUTE,
    changesPerUserPerMinute: cfg.RATE_LIMIT_CHANGES_PER_USER_PER_MINUTE,
    commandsPerTenantPerMinute: cfg.RATE_LIMIT_COMMANDS_PER_TENANT_PER_MINUTE,
    signInsPerUserPer10Minutes: cfg.RATE_LIMIT_SIGNINS_PER_USER_PER_10_MINUTES,
    authPerIpPer10Minutes: cfg.RATE_LIMIT_AUTH_PER_IP_PER_10_MINUTES,
    trustedProxyHops: cfg.TRUSTED_PROXY_HOPS,
  };
}
