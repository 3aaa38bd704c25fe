import { ConfidentialClientApplication } from '@azure/msal-node';
import { MsalServiceClientCredentialsFactory, type ServiceClientCredentialsFactory } from 'botframework-connector';
import type { BotConfig } from '../config.js';
import { msalSystemOptions } from '../identity/msal.js';
import type { Logger } from '../log.js';
import type { TrustAnchors } from '../net/trust.js';

/**
 * The bot's own token for its replies (bot → channel), when the channel settings are parameterized (a sovereign or
 * private channel, or the local stand-ins). botbuilder's default factory would build an msal client that knows
 * neither the extra trust anchor nor the authority, so it would run Entra instance discovery against the public
 * cloud; this one is a single long-lived msal client with the same networking and log hygiene as every other msal
 * client of the bot. With the public-cloud defaults (no BOT_LOGIN_URL) botbuilder's own factory stays in charge.
 */
export function channelCredentialsFactory(
  config: BotConfig,
  trust: TrustAnchors,
  log: Logger,
): ServiceClientCredentialsFactory | undefined {
  if (!config.BOT_LOGIN_URL || !config.MICROSOFT_APP_ID || !config.MICROSOFT_APP_PASSWORD) return undefined;
  const authority = config.BOT_LOGIN_URL;
  const client = new ConfidentialClientApplication({
    auth: {
      clientId: config.MICROSOFT_APP_ID,
      clientSecret: config.MICROSOFT_APP_PASSWORD,
      authority,
      // The configured login URL is the authority: no instance discovery call leaves for the public cloud.
      knownAuthorities: [new URL(authority).host],
    },
    system: msalSystemOptions(log, trust.extraCaPem),
  });
  // botframework-connector types its own (older) msal-node; it only calls acquireTokenByClientCredential, which
  // this client provides with the same signature.
  type ConnectorMsalClient = ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1];
  return new MsalServiceClientCredentialsFactory(config.MICROSOFT_APP_ID, client as unknown as ConnectorMsalClient);
}
