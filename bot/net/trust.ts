import { readFileSync } from 'node:fs';
import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent } from 'undici';

/**
 * Trust anchors for the bot's outbound HTTPS (Entra ID, Graph). Production uses the system roots only; locally an
 * extra CA file (the devtenant's generated CA) is added — added, never replacing the roots, and TLS verification
 * is never switched off. This is the only difference between local and production networking.
 */
export interface TrustAnchors {
  /** PEM of the extra CA, for msal-node's `customAgentOptions.ca`. */
  extraCaPem?: string;
  /** A fetch dispatcher trusting system roots + the extra CA, for Graph's fetch-based client. */
  dispatcher?: Agent;
}

/**
 * Per CA file, the anchors of the process: the composition, the identity module and the channel credentials share them.
 */
const loaded = new Map<string, TrustAnchors>();

export function loadTrustAnchors(extraCaFile: string | undefined): TrustAnchors {
  if (!extraCaFile) return {};
  let anchors = loaded.get(extraCaFile);
  if (!anchors) {
    const extraCaPem = readFileSync(extraCaFile, 'utf8');
    // One TLS context shared by every connection: with `ca` alone each new connection parses all the roots again.
    const secureContext = createSecureContext({ ca: [...rootCertificates, extraCaPem] });
    anchors = { extraCaPem, dispatcher: new Agent({ connect: { secureContext } }) };
    loaded.set(extraCaFile, anchors);
  }
  return anchors;
}
