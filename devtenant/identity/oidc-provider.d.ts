// oidc-provider 9 ships no TypeScript declarations (and @types/oidc-provider is not installed and may not be
// added), so this declares the small surface the identity stand-in uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface OIDCClient {
    clientId: string;
    clientAuthMethod?: string;
    tokenEndpointAuthMethod?: string;
    clientName?: string;
    grantTypeAllowed(type: string): boolean;
  }
  export interface OIDCSession {
    accountId?: string;
    amr?: string[];
    acr?: string;
    loginTs?: number;
  }
  export interface OIDCEntity {
    accountId?: string;
    amr?: string[];
    acr?: string;
    authTime?: number;
    claims?: unknown;
    scope?: string;
    clientId?: string;
  }
  export interface OIDCContext {
    provider: Provider;
    client?: OIDCClient;
    params: Record<string, unknown>;
    /** The whole parsed form of a POST, including parameters oidc-provider does not recognise for the grant. */
    body?: Record<string, unknown>;
    session?: OIDCSession;
    route: string;
    result?: { login?: unknown };
    entities: Record<string, OIDCEntity | undefined>;
  }
  export interface KoaContextWithOIDC {
    oidc: OIDCContext;
    path: string;
    method: string;
    query: Record<string, string | string[] | undefined>;
    status: number;
    body: unknown;
    type: string;
    set(field: string, value: string): void;
    request: { body?: Record<string, unknown> };
    state: Record<string, unknown>;
    req: IncomingMessage;
  }
  export type KoaMiddleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void> | void;

  export interface AccessTokenLike {
    accountId?: string;
    clientId: string;
    scope?: string;
    gty?: string;
    claims?: unknown;
    resourceServer?: { identifier(): string; audience?: string };
    client?: OIDCClient;
  }
  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId?: string; uid?: string };
    grantId?: string;
    lastSubmission?: Record<string, unknown>;
  }
  export interface GrantInstance {
    accountId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }
  export interface GrantConstructor {
    new (init: { accountId: string; clientId: string }): GrantInstance;
    find(id: string): Promise<GrantInstance | undefined>;
  }

  export interface RefreshTokenInit {
    accountId: string;
    client: OIDCClient;
    grantId: string;
    gty: string;
    scope: string;
    resource?: string;
    amr?: string[];
    authTime?: number;
    claims?: unknown;
    rotations?: number;
  }

  export class Provider {
    RefreshToken: new (init: RefreshTokenInit) => { save(): Promise<string> };
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly issuer: string;
    proxy: boolean;
    Grant: GrantConstructor;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: KoaMiddleware): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
    registerGrantType(
      name: string,
      handler: (ctx: KoaContextWithOIDC) => Promise<void>,
      params?: string[],
      dupes?: string[],
    ): void;
  }
  export default Provider;

  class OIDCProviderError extends Error {
    constructor(description?: string);
    status: number;
    statusCode: number;
    error: string;
    error_description?: string;
  }
  export const errors: {
    OIDCProviderError: typeof OIDCProviderError;
    InvalidGrant: typeof OIDCProviderError;
    InvalidRequest: typeof OIDCProviderError;
    InvalidClient: typeof OIDCProviderError;
    SessionNotFound: typeof OIDCProviderError;
    InvalidScope: new (description: string, scope: string) => OIDCProviderError;
    CustomOIDCProviderError: new (error: string, description?: string) => OIDCProviderError;
  };

  class Check {
    constructor(reason: string, description: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>);
    static REQUEST_PROMPT: true;
    static NO_NEED_TO_PROMPT: false;
  }
  interface Prompt {
    name: string;
    checks: Check[];
  }
  export const interactionPolicy: {
    Check: typeof Check;
    base(): Prompt[] & { get(name: string): Prompt };
  };
}
