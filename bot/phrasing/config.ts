import { z } from 'zod';
import { optionalString, LOOPBACK_URL } from '../config-values.js';

/**
 * The optional language model for free text the matcher cannot place: an Azure OpenAI chat-completions deployment.
 * Off unless all three are set. The admin's text is then sent to that endpoint (the deployment's own Azure
 * resource); the model may only propose a command, shown on the "Did you mean…" card. Values are never logged.
 */

export const phrasingSettingsShape = {
  /** https://<resource>.openai.azure.com (plain http only on loopback, for stand-ins). */
  AZURE_OPENAI_ENDPOINT: optionalString.pipe(
    z
      .string()
      .url('must be a URL')
      .refine((v) => v.startsWith('https://') || LOOPBACK_URL.test(v), 'must use https (http only on loopback)')
      .optional(),
  ),
  /** The resource's API key (sent as `api-key`, never logged). */
  AZURE_OPENAI_KEY: optionalString,
  /** The chat model deployment's name. */
  AZURE_OPENAI_DEPLOYMENT: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a deployment name (letters, digits, . _ -)')
      .optional(),
  ),
  AZURE_OPENAI_API_VERSION: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'must be an API version such as 2024-10-21')
    .default('2024-10-21'),
};

const PHRASING_SETTINGS = ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_KEY', 'AZURE_OPENAI_DEPLOYMENT'] as const;

interface PhrasingFields {
  AZURE_OPENAI_ENDPOINT?: string;
  AZURE_OPENAI_KEY?: string;
  AZURE_OPENAI_DEPLOYMENT?: string;
  AZURE_OPENAI_API_VERSION: string;
}

export function checkPhrasingSettings(cfg: PhrasingFields, ctx: z.RefinementCtx): void {
  if (!PHRASING_SETTINGS.some((key) => cfg[key] !== undefined)) return;
  for (const key of PHRASING_SETTINGS.filter((k) => cfg[k] === undefined)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: [key],
      message: `required with the other language-model settings (${PHRASING_SETTINGS.join(', ')})`,
    });
  }
}

export interface PhrasingSettings {
  endpoint: string;
  key: string;
  deployment: string;
  apiVersion: string;
}

export function phrasingSettings(cfg: PhrasingFields): PhrasingSettings | undefined {
  if (!cfg.AZURE_OPENAI_ENDPOINT || !cfg.AZURE_OPENAI_KEY || !cfg.AZURE_OPENAI_DEPLOYMENT) return undefined;
  return {
    endpoint: cfg.AZURE_OPENAI_ENDPOINT.replace(/\/+$/, ''),
    key: cfg.AZURE_OPENAI_KEY,
    deployment: cfg.AZURE_OPENAI_DEPLOYMENT,
    apiVersion: cfg.AZURE_OPENAI_API_VERSION,
  };
}
