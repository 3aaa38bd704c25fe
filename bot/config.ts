import { z } from 'zod';
import { checkIdentitySettings, identitySettingsShape } from './identity/config.js';
import { rateLimitSettingsShape } from './limits/settings.js';
import { connectionSettingsShape } from './net/connection-limits.js';
import { checkPhrasingSettings, phrasingSettingsShape } from './phrasing/config.js';
import { checkReportsSettings, reportsSettingsShape } from './schedule/config.js';
import { bulkSettingsShape } from './jobs/config.js';
import { optionalString, LOOPBACK_URL } from './config-values.js';

/**
 * Validated configuration. Everything comes from environment variables (optionally a `.env` file, loaded by the
 * entry point). With nothing set, the bot runs locally for the Agents Playground: no bot app id, loopback only.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Bot Framework channel endpoints for a sovereign or private cloud. botbuilder treats them all-or-nothing: once any
 * is set, every one is read from config and an unset one becomes `undefined` (an undefined issuer fails every
 * token), so the schema demands the complete set. Plain http is allowed only for loopback stand-ins.
 */
const channelUrl = optionalString.pipe(
  z
    .string()
    .url('must be a URL')
    .refine((v) => v.startsWith('https://') || LOOPBACK_URL.test(v), 'must use https (http only on loopback)')
    .optional(),
);

/** The channel settings: `BOT_CALLER_ID` may stay unset and `BOT_TOKEN_ISSUER` has a default; the rest are required. */
export const CHANNEL_AUTH_SETTINGS = [
  'BOT_OPENID_METADATA_URL',
  'BOT_TOKEN_ISSUER',
  'BOT_LOGIN_URL',
  'BOT_OAUTH_SCOPE',
  'BOT_OAUTH_URL',
  'BOT_EMULATOR_OPENID_METADATA_URL',
  'BOT_CALLER_ID',
] as const;
const REQUIRED_CHANNEL_AUTH_SETTINGS = [
  'BOT_OPENID_METADATA_URL',
  'BOT_LOGIN_URL',
  'BOT_OAUTH_SCOPE',
  'BOT_OAUTH_URL',
  'BOT_EMULATOR_OPENID_METADATA_URL',
] as const;
export const DEFAULT_CHANNEL_TOKEN_ISSUER = 'https://api.botframework.com';

const intInRange = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const configSchema = z
  .object({
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    PORT: intInRange(0, 65535, 3978),
    /** The bot's Entra app id. When set, every inbound request must carry a valid Bot Framework token. */
    MICROSOFT_APP_ID: optionalString.pipe(z.string().uuid('must be the bot app id, a GUID').optional()),
    MICROSOFT_APP_PASSWORD: optionalString,
    MICROSOFT_APP_TENANT_ID: optionalString.pipe(z.string().uuid('must be a tenant id, a GUID').optional()),
    MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('SingleTenant'),
    DATA_DIR: z.string().trim().min(1).default('.data'),
    /** postgres://user:password@host:5432/db — the shared store for several instances; unset: SQLite in DATA_DIR. */
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .refine(
          (v) => /^postgres(ql)?:\/\//.test(v),
          'must be a postgres:// or postgresql:// URL (user, password, host, port, database)',
        )
        .optional(),
    ),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Teams activities are well under 100 KB; anything much larger is abuse and is refused before parsing. */
    MAX_BODY_BYTES: intInRange(1024, 4 * 1024 * 1024, 256 * 1024),
    /** How long an approval request for a dangerous command stays open. */
    APPROVAL_TTL_MINUTES: intInRange(5, 24 * 60, 60),
    /**
     * A command or approved execution started this long ago without an end record was interrupted by a crash: it
     * is recorded as "outcome unknown" (never re-run). Longer than any command may legitimately take: at least
     * 60 s, above a command's Graph budget plus margin, so a live command is never recorded as interrupted.
     */
    ABANDONED_AFTER_SECONDS: intInRange(60, 24 * 3600, 600),
    /** How long a graceful shutdown waits for in-flight turns before closing the store. */
    SHUTDOWN_TIMEOUT_MS: intInRange(0, 120_000, 10_000),
    /**
     * Channel OpenID metadata (`ToBotFromChannelOpenIdMetadataUrl`): where the channel's signing keys are published.
     */
    BOT_OPENID_METADATA_URL: channelUrl,
    /** `iss` of channel tokens (`ToBotFromChannelTokenIssuer`); defaults to DEFAULT_CHANNEL_TOKEN_ISSUER. */
    BOT_TOKEN_ISSUER: optionalString,
    /** Authority of the bot's own outgoing token (`ToChannelFromBotLoginUrl`). */
    BOT_LOGIN_URL: channelUrl,
    /** Scope/audience of the bot's outgoing token (`ToChannelFromBotOAuthScope`). */
    BOT_OAUTH_SCOPE: optionalString,
    /** Bot Framework token service (`OAuthUrl`, used for SSO token exchange). */
    BOT_OAUTH_URL: channelUrl,
    /** Emulator OpenID metadata (`ToBotFromEmulatorOpenIdMetadataUrl`). */
    BOT_EMULATOR_OPENID_METADATA_URL: channelUrl,
    /** Caller id stamped on inbound activities (`CallerId`), e.g. `urn:botframework:azure`. */
    BOT_CALLER_ID: optionalString,
    ...identitySettingsShape,
    ...rateLimitSettingsShape,
    ...connectionSettingsShape,
    ...reportsSettingsShape,
    ...phrasingSettingsShape,
    ...bulkSettingsShape,
  })
  .superRefine((cfg, ctx) => {
    if (!cfg.MICROSOFT_APP_ID && !LOOPBACK_HOSTS.has(cfg.HOST)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['HOST'],
        message:
          'without MICROSOFT_APP_ID inbound requests are not authenticated, so the bot only listens on loopback ' +
          '(127.0.0.1, ::1, localhost); set MICROSOFT_APP_ID to listen elsewhere',
      });
    }
    if (cfg.MICROSOFT_APP_ID && cfg.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !cfg.MICROSOFT_APP_PASSWORD) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['MICROSOFT_APP_PASSWORD'],
        message: 'required when MICROSOFT_APP_ID is set (the bot app client secret)',
      });
    }
    if (cfg.MICROSOFT_APP_TYPE === 'SingleTenant' && cfg.MICROSOFT_APP_ID && !cfg.MICROSOFT_APP_TENANT_ID) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['MICROSOFT_APP_TENANT_ID'],
        message: 'required for a SingleTenant bot (the tenant GUID)',
      });
    }
    if (CHANNEL_AUTH_SETTINGS.some((key) => cfg[key] !== undefined)) {
      for (const key of REQUIRED_CHANNEL_AUTH_SETTINGS.filter((k) => cfg[k] === undefined)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [key],
          message:
            `required once any Bot Framework channel setting (${CHANNEL_AUTH_SETTINGS.join(', ')}) is set: ` +
            `botbuilder then reads them all and an unset one breaks authentication`,
        });
      }
      if (!cfg.MICROSOFT_APP_ID) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['MICROSOFT_APP_ID'],
          message:
            'required with the Bot Framework channel settings (without an app id inbound requests are not ' +
            'authenticated at all)',
        });
      }
    }
    checkIdentitySettings(cfg, ctx);
    checkReportsSettings(cfg, ctx);
    checkPhrasingSettings(cfg, ctx);
  });

export type BotConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment. Problems name the variable and what it should be, never the value given: a
 * mistyped secret must not end up in a log.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`);
  throw new ConfigError(problems);
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host);
}
