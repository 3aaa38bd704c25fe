import { z } from 'zod';
import { optionalString } from '../config-values.js';

/**
 * Identity settings (sign-in, SSO, MFA step-up), merged into the bot's config schema (`bot/config.ts`). Identity is
 * on when `IDENTITY_AUTHORITY` is set; then the client secret and the token-cache key are required. Without it the
 * bot still answers help / whoami / signout and refuses tenant commands (`noIdentityGate`).
 */

const seconds = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** Global, Teams, Privileged Role, User, Authentication and Privileged Authentication administrators. */
export const DEFAULT_ADMIN_ROLE_TEMPLATE_IDS = [
  '62e90394-69f5-4237-9190-012177145e10',
  '69091246-20e8-4a56-aa4d-066075b2a7a8',
  'e8611ab8-c189-46e8-94e1-60213ab1f814',
  'fe930be7-5e62-47db-91af-98c3a49a38b1',
  'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes', 'on'].includes(v)));

export const identitySettingsShape = {
  /** `https://login.microsoftonline.com/<tenant>/` or the devtenant's `https://localhost:<port>/<tenant>/`. */
  IDENTITY_AUTHORITY: optionalString.pipe(
    z
      .string()
      .url('must be an https URL such as https://login.microsoftonline.com/<tenant>/')
      .refine((v) => v.startsWith('https://'), 'must use https (msal-node refuses any other authority)')
      .transform((v) => (v.endsWith('/') ? v : `${v}/`))
      .optional(),
  ),
  /** The bot's Entra app (defaults to MICROSOFT_APP_ID: in production it is the same app). */
  IDENTITY_CLIENT_ID: optionalString.pipe(z.string().regex(GUID, 'must be an app id, a GUID').optional()),
  /** Client secret of that app (defaults to MICROSOFT_APP_PASSWORD). */
  IDENTITY_CLIENT_SECRET: optionalString,
  /**
   * PEM file of an extra CA to trust for the authority and Graph (the devtenant's CA); added to the system roots, TLS
   * checks stay on.
   */
  EXTRA_CA_FILE: optionalString,
  /** Public base URL of this bot; `<url>/auth/callback` must be a redirect URI of the app. */
  PUBLIC_BASE_URL: optionalString.pipe(z.string().url("must be the bot's public base URL").optional()),
  GRAPH_BASE_URL: z
    .string()
    .trim()
    .url('must be the Graph root, e.g. https://graph.microsoft.com')
    .default('https://graph.microsoft.com'),
  /** 32 random bytes, base64: encrypts the token cache at rest (AES-256-GCM). */
  TOKEN_CACHE_KEY: optionalString,
  ADMIN_ROLE_TEMPLATE_IDS: optionalString.transform((v) =>
    v === undefined
      ? DEFAULT_ADMIN_ROLE_TEMPLATE_IDS
      : v
          .split(',')
          .map((id) => id.trim().toLowerCase())
          .filter(Boolean),
  ),
  /** Conditional Access authentication context requested at step-up (c1…c99). */
  STEP_UP_AUTH_CONTEXT: z
    .string()
    .trim()
    .regex(/^c([1-9]|[1-9][0-9])$/, 'must be an authentication context id c1…c99')
    .default('c1'),
  MFA_MAX_AGE_WRITE_SECONDS: seconds(30, 24 * 3600, 15 * 60),
  MFA_MAX_AGE_DANGEROUS_SECONDS: seconds(30, 24 * 3600, 5 * 60),
  /**
   * Graph per-attempt timeouts and the time one command may spend on Graph, retries included (bot/graph/retry-
   * policy.ts).
   */
  GRAPH_READ_TIMEOUT_MS: seconds(1_000, 60_000, 8_000),
  GRAPH_WRITE_TIMEOUT_MS: seconds(1_000, 60_000, 10_000),
  GRAPH_COMMAND_BUDGET_MS: seconds(2_000, 120_000, 12_000),
  /** Teams SSO: an OAuthCard with tokenExchangeResource (api://botid-<client id>) alongside the sign-in link. */
  TEAMS_SSO: booleanFlag(true),
};

interface IdentityFields {
  HOST: string;
  PORT: number;
  MICROSOFT_APP_ID?: string;
  MICROSOFT_APP_PASSWORD?: string;
  IDENTITY_AUTHORITY?: string;
  IDENTITY_CLIENT_ID?: string;
  IDENTITY_CLIENT_SECRET?: string;
  EXTRA_CA_FILE?: string;
  PUBLIC_BASE_URL?: string;
  TOKEN_CACHE_KEY?: string;
  ADMIN_ROLE_TEMPLATE_IDS: string[];
  MFA_MAX_AGE_WRITE_SECONDS: number;
  MFA_MAX_AGE_DANGEROUS_SECONDS: number;
  GRAPH_READ_TIMEOUT_MS?: number;
  GRAPH_WRITE_TIMEOUT_MS?: number;
  GRAPH_COMMAND_BUDGET_MS?: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function checkIdentitySettings(cfg: IdentityFields, ctx: z.RefinementCtx): void {
  const problem = (path: string, message: string) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
  for (const id of cfg.ADMIN_ROLE_TEMPLATE_IDS) {
    if (!GUID.test(id))
      problem('ADMIN_ROLE_TEMPLATE_IDS', 'must be a comma-separated list of role template ids (GUIDs)');
  }
  if (cfg.MFA_MAX_AGE_DANGEROUS_SECONDS > cfg.MFA_MAX_AGE_WRITE_SECONDS) {
    problem(
      'MFA_MAX_AGE_DANGEROUS_SECONDS',
      'must not exceed MFA_MAX_AGE_WRITE_SECONDS (dangerous commands need the fresher MFA)',
    );
  }
  if (!cfg.IDENTITY_AUTHORITY) return;
  if (!(cfg.IDENTITY_CLIENT_ID ?? cfg.MICROSOFT_APP_ID))
    problem('IDENTITY_CLIENT_ID', 'required with IDENTITY_AUTHORITY (or set MICROSOFT_APP_ID)');
  if (!(cfg.IDENTITY_CLIENT_SECRET ?? cfg.MICROSOFT_APP_PASSWORD)) {
    problem('IDENTITY_CLIENT_SECRET', 'required with IDENTITY_AUTHORITY (or set MICROSOFT_APP_PASSWORD)');
  }
  if (!cfg.TOKEN_CACHE_KEY)
    problem('TOKEN_CACHE_KEY', 'required with IDENTITY_AUTHORITY: 32 random bytes, base64 (openssl rand -base64 32)');
  else if (Buffer.from(cfg.TOKEN_CACHE_KEY, 'base64').length !== 32)
    problem('TOKEN_CACHE_KEY', 'must be exactly 32 bytes, base64-encoded');
  if (!cfg.PUBLIC_BASE_URL && !LOOPBACK.has(cfg.HOST))
    problem('PUBLIC_BASE_URL', 'required with IDENTITY_AUTHORITY when the bot is not on loopback');
}

/** Everything the identity module needs, resolved (defaults applied, CA read). */
export interface IdentitySettings {
  authority: string;
  /** host[:port] of the authority: msal-node's knownAuthorities, so no instance discovery call leaves the process. */
  authorityHost: string;
  /** The authority's OpenID metadata (JSON), read once at start (see authority-metadata.ts). */
  authorityMetadata?: string;
  clientId: string;
  clientSecret: string;
  /** Extra CA file (see EXTRA_CA_FILE); read by the trust anchors (bot/net/trust.ts). */
  caFile?: string;
  publicBaseUrl: string;
  redirectUri: string;
  graphBaseUrl: string;
  cacheKey: Buffer;
  adminRoleTemplateIds: string[];
  /**
   * The one tenant this bot administers: the tenant id in IDENTITY_AUTHORITY's path. Tenant commands from any other
   * tenant's conversation are refused before sign-in. Undefined for a multi-tenant authority (`organizations`,
   * `common`, or a domain name): then only the rule "the sign-in must be the activity's user in the activity's
   * tenant" applies.
   */
  homeTenantId?: string;
  stepUpAuthContext: string;
  mfaMaxAgeSeconds: { write: number; dangerous: number };
  teamsSso: boolean;
  ssoResource: string;
  /** Graph timeouts and per-command budget; the client's defaults (which fit a Teams turn) when absent. */
  graphRetry?: { readTimeoutMs?: number; writeTimeoutMs?: number; budgetMs?: number };
}

export interface IdentityConfigInput extends IdentityFields {
  GRAPH_BASE_URL: string;
  STEP_UP_AUTH_CONTEXT: string;
  TEAMS_SSO: boolean;
}

/** Undefined when identity is not configured (IDENTITY_AUTHORITY unset). */
export function identitySettings(cfg: IdentityConfigInput): IdentitySettings | undefined {
  if (!cfg.IDENTITY_AUTHORITY) return undefined;
  const clientId = (cfg.IDENTITY_CLIENT_ID ?? cfg.MICROSOFT_APP_ID)!;
  const publicBaseUrl = (
    cfg.PUBLIC_BASE_URL ?? `http://${cfg.HOST === '::1' ? '[::1]' : cfg.HOST}:${cfg.PORT}`
  ).replace(/\/+$/, '');
  return {
    authority: cfg.IDENTITY_AUTHORITY,
    authorityHost: new URL(cfg.IDENTITY_AUTHORITY).host,
    clientId,
    clientSecret: (cfg.IDENTITY_CLIENT_SECRET ?? cfg.MICROSOFT_APP_PASSWORD)!,
    caFile: cfg.EXTRA_CA_FILE,
    publicBaseUrl,
    redirectUri: `${publicBaseUrl}/auth/callback`,
    graphBaseUrl: cfg.GRAPH_BASE_URL.replace(/\/+$/, ''),
    cacheKey: Buffer.from(cfg.TOKEN_CACHE_KEY!, 'base64'),
    adminRoleTemplateIds: cfg.ADMIN_ROLE_TEMPLATE_IDS,
    homeTenantId: tenantOfAuthority(cfg.IDENTITY_AUTHORITY),
    stepUpAuthContext: cfg.STEP_UP_AUTH_CONTEXT,
    mfaMaxAgeSeconds: { write: cfg.MFA_MAX_AGE_WRITE_SECONDS, dangerous: cfg.MFA_MAX_AGE_DANGEROUS_SECONDS },
    teamsSso: cfg.TEAMS_SSO,
    ssoResource: `api://botid-${clientId}`,
    graphRetry: {
      readTimeoutMs: cfg.GRAPH_READ_TIMEOUT_MS,
      writeTimeoutMs: cfg.GRAPH_WRITE_TIMEOUT_MS,
      budgetMs: cfg.GRAPH_COMMAND_BUDGET_MS,
    },
  };
}

/** `https://login.microsoftonline.com/<tenant id>/` → the tenant id (lowercase); undefined when the path is not a GUID. */
export function tenantOfAuthority(authority: string): string | undefined {
  const first = new URL(authority).pathname.split('/').find(Boolean);
  return first && GUID.test(first) ? first.toLowerCase() : undefined;
}
