import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { Agent, request, type Dispatcher } from 'undici';

/** msal sets no timeout on token requests; a hung authority must not hold a turn forever. */
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * msal-node's network module on one keep-alive undici dispatcher. msal's own client builds a new `https.Agent`
 * for every request when trust anchors are configured: a new TLS context from ~140 root certificates and a new
 * handshake per token call (the top CPU cost of a command in the bench profile). This one reuses connections and
 * the TLS context of the bot's trust anchors (system roots, plus the extra CA locally); verification stays on.
 */
export class KeepAliveNetworkClient implements INetworkModule {
  private readonly dispatcher: Dispatcher;

  constructor(dispatcher?: Dispatcher) {
    this.dispatcher = dispatcher ?? new Agent();
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions = {},
    timeout = DEFAULT_TIMEOUT_MS,
  ): Promise<NetworkResponse<T>> {
    const response = await request(url, {
      method,
      headers: options.headers,
      body: method === 'POST' ? (options.body ?? '') : undefined,
      dispatcher: this.dispatcher,
      signal: AbortSignal.timeout(timeout),
    });
    const text = await response.body.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.statusCode, headers, body: parseBody(response.statusCode, text) as T };
  }
}

/** As msal's own client: JSON, or for a body that is not JSON an OAuth-style error msal turns into a ServerError. */
function parseBody(status: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const kind = status >= 500 ? 'server_error' : status >= 400 ? 'client_error' : 'unknown_error';
    return { error: kind, error_description: `The authority answered HTTP ${status} with a body that is not JSON.` };
  }
}
