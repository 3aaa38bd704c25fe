import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startDevTenant, type DevTenant, type DevTenantOptions } from '../../devtenant/index.js';

/**
 * The devtenant (identity + Graph stand-ins, demo tenant) for a test file. Key material lives in one folder per
 * run, so the generated CA and keys are made once and reused across files. Graph latency and throttling are off —
 * even for the `large` tenant — unless the test asks: `graphLatency: { fixedMs: 50 }` or `{ p50Ms, p99Ms }`,
 * `graphThrottle: 'documented'` (Microsoft's limits) or a small bucket `{ capacity, refillPerSecond }`.
 */
export async function startTestDevTenant(options: Partial<DevTenantOptions> = {}): Promise<DevTenant> {
  const dataDir = join(process.cwd(), 'test-results', 'devtenant');
  mkdirSync(dataDir, { recursive: true });
  return startDevTenant({ size: 'demo', dataDir, graphThrottle: false, graphLatency: null, ...options });
}

export const DEMO = {
  admin: 'admin@contoso.onmicrosoft.com',
  teamsAdmin: 'teamsadmin@contoso.onmicrosoft.com',
  userAdmin: 'useradmin@contoso.onmicrosoft.com',
  helpdesk: 'helpdesk@contoso.onmicrosoft.com',
  alice: 'alice@contoso.onmicrosoft.com',
  bob: 'bob@contoso.onmicrosoft.com',
} as const;
