// Starts the local Microsoft cloud stand-ins in one process around ONE shared tenant: the Entra ID stand-in
// (identity) and the Graph stand-in, Graph trusting the identity provider's issuer and signing
// keys. What each stand-in promises: devtenant/graph/README.md and devtenant/identity/README.md.
import { startGraphServer } from './graph/server.js';
import type { AuthContextRule } from './graph/service.js';
import type { GraphThrottleSetting } from './graph/throttle.js';
import type { FaultRule } from './graph/faults.js';
import type { LatencyOptions } from './graph/latency.js';
import { ensureTlsMaterial } from './identity/key-material.js';
import { startIdentityProvider, type IdentityProvider } from './identity/server.js';
import type { MfaPolicy } from './identity/mfa-requirement.js';
import { createTenant, type Tenant, type TenantSize } from './seed/index.js';

export interface DevTenantOptions {
  size: TenantSize;
  dataDir: string;
  graphPort?: number; // default 0 (ephemeral)
  identityPort?: number; // default 0 (ephemeral)
  seed?: number;
  mfaPolicy?: MfaPolicy;
  /**
   * Graph throttling: 'documented' (Microsoft's published limits; the default for the `large` tenant), a small bucket
   * (tests provoke 429 with it), or false (the default for `demo`).
   */
  graphThrottle?: GraphThrottleSetting | false;
  /** Endpoints protected by an authentication context (e.g. STANDARD_AUTH_CONTEXT_RULES). */
  authContextRules?: readonly AuthContextRule[];
  /** Injected Graph faults (tests only); change them later through `graph.faults`. */
  graphFaults?: readonly FaultRule[];
  /** Graph latency on every answer (off unless given; `npm run devtenant` turns on a modest one). */
  graphLatency?: LatencyOptions | null;
}

export interface DevTenant {
  tenant: Tenant;
  identity: IdentityProvider;
  graph: Awaited<ReturnType<typeof startGraphServer>>;
  close(): Promise<void>;
}

export async function startDevTenant(options: DevTenantOptions): Promise<DevTenant> {
  const tenant = createTenant({ size: options.size, seed: options.seed });
  const identity = await startIdentityProvider({
    tenant,
    dataDir: options.dataDir,
    port: options.identityPort ?? 0,
    mfaPolicy: options.mfaPolicy,
  });
  let graph: DevTenant['graph'];
  try {
    // Graph serves HTTPS with the same locally generated CA as the identity provider: one trust anchor for the bot.
    const tls = await ensureTlsMaterial(options.dataDir);
    graph = await startGraphServer({
      tenant,
      port: options.graphPort ?? 0,
      trust: { issuer: identity.issuer, getKey: identity.getKey },
      tls: { key: tls.serverKeyPem, cert: tls.serverCertPem },
      throttle: options.graphThrottle ?? (options.size === 'large' ? 'documented' : false),
      authContextRules: options.authContextRules,
      faults: options.graphFaults,
      latency: options.graphLatency,
    });
  } catch (error) {
    await identity.close();
    throw error;
  }
  return {
    tenant,
    identity,
    graph,
    close: async () => {
      await Promise.allSettled([graph.close(), identity.close()]);
    },
  };
}

export { startIdentityProvider } from './identity/server.js';
export type { IdentityProvider, IdentityProviderOptions, IssueTokenRequest } from './identity/server.js';
