import {
  ConfidentialClientApplication,
  DistributedCachePlugin,
  LogLevel,
  type Configuration,
  type IPartitionManager,
} from '@azure/msal-node';
import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import type { Logger } from '../log.js';
import type { IdentitySettings } from './config.js';
import { KeepAliveNetworkClient } from './msal-network.js';
import { EMPTY_MSAL_CACHE, type TokenCacheStore } from './token-cache.js';

const MAX_CACHED_CLIENTS = 500;

/** One keep-alive network client per set of trust anchors, shared by every msal client of the process. */
const networkClients = new Map<string, KeepAliveNetworkClient>();

function networkClientFor(extraCaPem: string | undefined): KeepAliveNetworkClient {
  const key = extraCaPem ?? '';
  let client = networkClients.get(key);
  if (!client) {
    // One TLS context for every connection: with `ca` alone each new connection parses all the roots again.
    const secureContext = extraCaPem ? createSecureContext({ ca: [...rootCertificates, extraCaPem] }) : undefined;
    client = new KeepAliveNetworkClient(secureContext ? new Agent({ connect: { secureContext } }) : undefined);
    networkClients.set(key, client);
  }
  return client;
}

/**
 * Networking and logging of every msal-node client of the bot (the users' clients here, the reports app's in
 * app-identity.ts): kept-alive connections trusting the system roots plus the extra CA, and msal's log without PII.
 */
export function msalSystemOptions(log: Logger, extraCaPem?: string): NonNullable<Configuration['system']> {
  return {
    networkClient: networkClientFor(extraCaPem),
    loggerOptions: {
      logLevel: LogLevel.Warning,
      piiLoggingEnabled: false,
      loggerCallback: (level, message, containsPii) => {
        if (containsPii) return;
        if (level === LogLevel.Error) log.warn({ msal: message.slice(0, 300) }, 'msal error');
      },
    },
  };
}

/**
 * msal-node clients of the bot's Entra app. Each signed-in user gets a client whose token cache is that user's
 * partition in the store (msal's DistributedCachePlugin: read before every access, written back after a change),
 * so any instance can serve any user. Sign-ins are redeemed on a throwaway client first and persisted only after
 * the result has been checked (right user, right tenant), so a refused sign-in never reaches the cache.
 */
export class MsalClients {
  private readonly byPartition = new Map<string, ConfidentialClientApplication>();

  constructor(
    private readonly settings: IdentitySettings,
    private readonly cache: TokenCacheStore,
    private readonly log: Logger,
    /** PEM of an extra CA to trust (added to the system roots by msal-node's https agent). */
    private readonly extraCaPem?: string,
  ) {}

  private configuration(partitionKey?: string): Configuration {
    const { settings, log } = this;
    const partitions: IPartitionManager | undefined = partitionKey
      ? { getKey: async () => partitionKey, extractKey: async () => partitionKey }
      : undefined;
    return {
      auth: {
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        authority: settings.authority,
        knownAuthorities: [settings.authorityHost],
        authorityMetadata: settings.authorityMetadata,
        // CP1: this client handles claims challenges, so Graph may answer 401 insufficient_claims (step-up).
        clientCapabilities: ['CP1'],
      },
      cache: partitions ? { cachePlugin: new DistributedCachePlugin(this.cache, partitions) } : undefined,
      system: msalSystemOptions(log, this.extraCaPem),
    };
  }

  /** The client whose cache is this user's partition. */
  forPartition(partitionKey: string): ConfidentialClientApplication {
    let client = this.byPartition.get(partitionKey);
    if (client) {
      this.byPartition.delete(partitionKey);
    } else {
      client = new ConfidentialClientApplication(this.configuration(partitionKey));
    }
    this.byPartition.set(partitionKey, client);
    if (this.byPartition.size > MAX_CACHED_CLIENTS) this.byPartition.delete(this.byPartition.keys().next().value!);
    return client;
  }

  /** A client with a private in-memory cache, for redeeming a sign-in before it has been checked. */
  ephemeral(): ConfidentialClientApplication {
    return new ConfidentialClientApplication(this.configuration());
  }

  /** Stores a checked sign-in as the user's partition (replacing what was there) and drops stale in-memory copies. */
  async persist(partitionKey: string, from: ConfidentialClientApplication): Promise<void> {
    await this.cache.set(partitionKey, from.getTokenCache().serialize());
    this.byPartition.delete(partitionKey);
  }

  /** Sign-out: the partition is removed everywhere; this instance's in-memory copy is emptied too. */
  async clear(partitionKey: string): Promise<boolean> {
    const removed = await this.cache.remove(partitionKey);
    const client = this.byPartition.get(partitionKey);
    client?.getTokenCache().deserialize(EMPTY_MSAL_CACHE);
    this.byPartition.delete(partitionKey);
    return removed;
  }
}
