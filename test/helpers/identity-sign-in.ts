// Signs a user in through the devtenant identity pages (password, then TOTP or enrolment when asked) and
// returns the authorization code. Reusable by any test that needs a real interactive Entra-like sign-in.
import { createHash, randomBytes } from 'node:crypto';
import { authenticator } from 'otplib';
import { IdentityBrowser, type BrowserResponse } from './identity-browser.js';

export type SignInPage = 'password' | 'totp' | 'enrol' | 'auto-post' | 'error' | 'unknown';

export function pageKind(html: string): SignInPage {
  if (html.includes('name="password"')) return 'password';
  // oidc-provider's self-submitting forms (form_post; ending the previous account's session on account switch).
  if (html.includes('<title>Submitting Callback</title>')) return 'auto-post';
  if (html.includes('id="otpauth"')) return 'enrol';
  if (html.includes('name="otc"')) return 'totp';
  if (html.includes('id="error"') || html.includes('role="alert"')) return html.includes('<form') ? 'unknown' : 'error';
  return 'unknown';
}

export function formAction(html: string, pageUrl: string): string {
  const match = /<form[^>]*action="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no form on the page ${pageUrl}`);
  return new URL(match[1].replace(/&amp;/g, '&'), pageUrl).href;
}

/** Text of the error block of a sign-in page (AADSTS… message), if any. */
export function pageError(html: string): string | undefined {
  const match = /id="error">([^<]*)</.exec(html) ?? /role="alert"[^>]*>([^<]*)</.exec(html);
  return match?.[1]
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** name → value of the hidden inputs of the first form (what a browser would submit). */
export function hiddenInputs(html: string): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const tag of html.match(/<input[^>]*type="hidden"[^>]*>/g) ?? []) {
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    const value = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
    if (name)
      inputs[name] = value
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>');
  }
  return inputs;
}

/** The base32 secret shown on the enrolment page. */
export function enrolmentSecret(html: string): string {
  const match = /id="secret">([A-Z2-7]+)</.exec(html);
  if (!match) throw new Error('no enrolment secret on the page');
  return match[1];
}

export function totpNow(secret: string): string {
  return authenticator.generate(secret);
}

export interface Pkce {
  verifier: string;
  challenge: string;
}
export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeUrlInput {
  authority: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  pkce: Pkce;
  state?: string;
  prompt?: string;
  loginHint?: string;
  claims?: string;
  maxAge?: number;
  nonce?: string;
  extra?: Record<string, string>;
}

/** Builds an Entra v2 authorize URL (what msal's getAuthCodeUrl produces), for public clients such as Teams. */
export function authorizeUrl(input: AuthorizeUrlInput): string {
  const url = new URL('oauth2/v2.0/authorize', input.authority);
  const q = url.searchParams;
  q.set('client_id', input.clientId);
  q.set('response_type', 'code');
  q.set('redirect_uri', input.redirectUri);
  q.set('scope', [...input.scopes, 'openid', 'profile', 'offline_access'].join(' '));
  q.set('code_challenge', input.pkce.challenge);
  q.set('code_challenge_method', 'S256');
  q.set('state', input.state ?? randomBytes(8).toString('hex'));
  q.set('nonce', input.nonce ?? randomBytes(8).toString('hex'));
  if (input.prompt) q.set('prompt', input.prompt);
  if (input.loginHint) q.set('login_hint', input.loginHint);
  if (input.claims) q.set('claims', input.claims);
  if (input.maxAge !== undefined) q.set('max_age', String(input.maxAge));
  for (const [k, v] of Object.entries(input.extra ?? {})) q.set(k, v);
  return url.href;
}

export interface SignInCredentials {
  username: string;
  password: string;
  /** Seeded TOTP secret; for a user without one the enrolment page is completed with the secret it shows. */
  totpSecret?: string;
  /** Override the code typed on the TOTP page (e.g. a wrong one). */
  code?: string;
}

export interface SignInResult {
  code?: string;
  state?: string;
  redirect?: string;
  /** Page kinds walked through, e.g. ['password','totp']. */
  pages: SignInPage[];
  /** The last page when the flow stopped on the identity provider (error, lockout…). */
  finalPage?: BrowserResponse;
  enrolledSecret?: string;
}

/**
 * Opens `authorize` in `browser`, fills in whatever pages appear, and stops at `redirectUri`.
 * Reuse one browser across calls to keep the identity provider's session (SSO) between sign-ins.
 */
export async function signInThroughPages(
  browser: IdentityBrowser,
  authorize: string,
  redirectUri: string,
  credentials: SignInCredentials,
  maxPages = 6,
): Promise<SignInResult> {
  const pages: SignInPage[] = [];
  let enrolledSecret: string | undefined;
  let response = await browser.follow(await browser.get(authorize), redirectUri);
  for (let i = 0; i < maxPages; i++) {
    if (response.location?.startsWith(redirectUri)) {
      const target = new URL(response.location);
      return {
        code: target.searchParams.get('code') ?? undefined,
        state: target.searchParams.get('state') ?? undefined,
        redirect: response.location,
        pages,
        enrolledSecret,
      };
    }
    const kind = pageKind(response.body);
    if (kind === 'auto-post') {
      // not a page the user sees; the browser submits it by script
      const action = formAction(response.body, response.url);
      const inputs = hiddenInputs(response.body);
      if (action.startsWith(redirectUri))
        return { code: inputs.code, state: inputs.state, redirect: action, pages, enrolledSecret };
      response = await browser.follow(await browser.postForm(action, inputs), redirectUri);
      continue;
    }
    pages.push(kind);
    if (kind === 'error' || kind === 'unknown' || response.status >= 400)
      return { pages, finalPage: response, enrolledSecret };
    const action = formAction(response.body, response.url);
    let form: Record<string, string>;
    if (kind === 'password') {
      if (i > 0 && pages.filter((p) => p === 'password').length > 1)
        return { pages, finalPage: response, enrolledSecret };
      form = { username: credentials.username, password: credentials.password };
    } else if (kind === 'enrol') {
      enrolledSecret = enrolmentSecret(response.body);
      form = { otc: credentials.code ?? totpNow(enrolledSecret) };
    } else {
      if (pages.filter((p) => p === 'totp').length > 1) return { pages, finalPage: response, enrolledSecret };
      if (!credentials.totpSecret && !credentials.code) throw new Error('TOTP page shown but no secret given');
      form = { otc: credentials.code ?? totpNow(credentials.totpSecret!) };
    }
    response = await browser.follow(await browser.postForm(action, form), redirectUri);
  }
  return { pages, finalPage: response, enrolledSecret };
}
