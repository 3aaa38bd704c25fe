import { z } from 'zod';
import { optionalString } from '../config-values.js';

/**
 * Scheduled reports run under their own Entra app (the "reports app"), authenticated with a certificate, never a
 * secret and never a user's token. All three settings or none; they need IDENTITY_AUTHORITY (same tenant and
 * authority as the bot's sign-ins). Values are never echoed in errors or logs.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const reportsSettingsShape = {
  /** Application (client) id of the reports app registration. */
  REPORTS_APP_ID: optionalString.pipe(z.string().regex(GUID, 'must be the reports app id, a GUID').optional()),
  /** SHA-256 thumbprint (hex) of the certificate uploaded to the reports app. */
  REPORTS_CERT_THUMBPRINT_SHA256: optionalString.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, "must be the certificate's SHA-256 thumbprint, 64 hex digits")
      .optional(),
  ),
  /** PEM file of that certificate's private key (read at start, never logged). */
  REPORTS_PRIVATE_KEY_FILE: optionalString,
};

export const REPORTS_SETTINGS = [
  'REPORTS_APP_ID',
  'REPORTS_CERT_THUMBPRINT_SHA256',
  'REPORTS_PRIVATE_KEY_FILE',
] as const;

interface ReportsFields {
  IDENTITY_AUTHORITY?: string;
  REPORTS_APP_ID?: string;
  REPORTS_CERT_THUMBPRINT_SHA256?: string;
  REPORTS_PRIVATE_KEY_FILE?: string;
}

export function checkReportsSettings(cfg: ReportsFields, ctx: z.RefinementCtx): void {
  if (!REPORTS_SETTINGS.some((key) => cfg[key] !== undefined)) return;
  for (const key of REPORTS_SETTINGS.filter((k) => cfg[k] === undefined)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: [key],
      message: `required with the other scheduled-report settings (${REPORTS_SETTINGS.join(', ')})`,
    });
  }
  if (!cfg.IDENTITY_AUTHORITY) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['IDENTITY_AUTHORITY'],
      message: 'required for scheduled reports (the reports app gets its token from this authority)',
    });
  }
}

/**
 * The reports app's certificate credential (msal-node `clientCertificate`), resolved; undefined when not configured.
 */
export interface ReportsSettings {
  appId: string;
  thumbprintSha256: string;
  privateKeyFile: string;
}

export function reportsSettings(cfg: ReportsFields): ReportsSettings | undefined {
  if (!cfg.REPORTS_APP_ID || !cfg.REPORTS_CERT_THUMBPRINT_SHA256 || !cfg.REPORTS_PRIVATE_KEY_FILE) return undefined;
  return {
    appId: cfg.REPORTS_APP_ID,
    thumbprintSha256: cfg.REPORTS_CERT_THUMBPRINT_SHA256.toUpperCase(),
    privateKeyFile: cfg.REPORTS_PRIVATE_KEY_FILE,
  };
}
