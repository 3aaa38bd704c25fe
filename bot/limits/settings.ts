import { z } from 'zod';

/**
 * Rate-limit settings, merged into the bot's config schema (`bot/config.ts`). Limits are on by default; turning
 * them off (`RATE_LIMITS=off`) is refused unless the bot listens on loopback only (local development, benchmarks):
 * a bot reachable from Teams always has them.
 */
const perWindow = (fallback: number) => z.coerce.number().int().min(1).max(100_000).default(fallback);

export const rateLimitSettingsShape = {
  RATE_LIMITS: z
    .enum(['on', 'off'])
    .default('on'),
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
  enabled: boolean;
  commandsPerUserPerMinute: number;
  changesPerUserPerMinute: number;
  commandsPerTenantPerMinute: number;
  signInsPerUserPer10Minutes: number;
  authPerIpPer10Minutes: number;
  trustedProxyHops: number;
}

interface RateLimitFields {
  HOST: string;
  RATE_LIMITS: 'on' | 'off';
  RATE_LIMIT_COMMANDS_PER_USER_PER_MINUTE: number;
  RATE_LIMIT_CHANGES_PER_USER_PER_MINUTE: number;
  RATE_LIMIT_COMMANDS_PER_TENANT_PER_MINUTE: number;
  RATE_LIMIT_SIGNINS_PER_USER_PER_10_MINUTES: number;
  RATE_LIMIT_AUTH_PER_IP_PER_10_MINUTES: number;
  TRUSTED_PROXY_HOPS: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function checkRateLimitSettings(cfg: RateLimitFields, ctx: z.RefinementCtx): void {
  if (cfg.RATE_LIMITS === 'off' && !LOOPBACK.has(cfg.HOST)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['RATE_LIMITS'], message: 'may only be off when the bot listens on loopback (development); a reachable bot always limits commands and sign-ins' });
  }
}

export function rateLimitSettings(cfg: RateLimitFields): RateLimitSettings {
  return {
    enabled: cfg.RATE_LIMITS === 'on',
    commandsPerUserPerMinute: cfg.RATE_LIMIT_COMMANDS_PER_USER_PER_MINUTE,
    changesPerUserPerMinute: cfg.RATE_LIMIT_CHANGES_PER_USER_PER_MINUTE,
    commandsPerTenantPerMinute: cfg.RATE_LIMIT_COMMANDS_PER_TENANT_PER_MINUTE,
    signInsPerUserPer10Minutes: cfg.RATE_LIMIT_SIGNINS_PER_USER_PER_10_MINUTES,
    authPerIpPer10Minutes: cfg.RATE_LIMIT_AUTH_PER_IP_PER_10_MINUTES,
    trustedProxyHops: cfg.TRUSTED_PROXY_HOPS,
  };
}
