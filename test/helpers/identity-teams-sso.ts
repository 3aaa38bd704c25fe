// Plays the Teams client: signs the user in as the seeded public "Teams client" app (code + PKCE, no secret)
// and returns the SSO token for the bot (aud api://botid-<botAppId>), as Teams hands it to the bot in
// signin/tokenExchange. Pass the same browser to reuse the identity provider session.
import { IdentityBrowser } from './identity-browser.js';
import { httpsJson } from './identity-https.js';
import {
  authorizeUrl,
  newPkce,
  signInThroughPages,
  type SignInCredentials,
  type SignInResult,
} from './identity-sign-in.js';

export interface TeamsSsoInput {
  authority: string;
  caCertPem: string;
  teamsClientId: string;
  botAppId: string;
  credentials: SignInCredentials;
  browser?: IdentityBrowser;
  claims?: string;
  prompt?: string;
  redirectUri?: string; // the Teams client app's registered redirect URI (seed: http://localhost)
}

export interface TokenEndpointResponse {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs a form to the token endpoint (trusting the stand-in CA) and returns the parsed JSON. */
export async function postToken(
  tokenEndpoint: string,
  caCertPem: string,
  form: Record<string, string>,
): Promise<TokenEndpointResponse> {
  const { status, body } = await httpsJson('POST', tokenEndpoint, caCertPem, { form });
  return { status, body };
}

export async function obtainTeamsSsoToken(
  input: TeamsSsoInput,
): Promise<{ accessToken: string; signIn: SignInResult }> {
  const redirectUri = input.redirectUri ?? 'http://localhost';
  const pkce = newPkce();
  const browser = input.browser ?? new IdentityBrowser(input.caCertPem);
  const url = authorizeUrl({
    authority: input.authority,
    clientId: input.teamsClientId,
    redirectUri,
    pkce,
    scopes: [`api://botid-${input.botAppId}/access_as_user`],
    claims: input.claims,
    prompt: input.prompt,
    loginHint: input.credentials.username,
  });
  const signIn = await signInThroughPages(browser, url, redirectUri, input.credentials);
  if (!signIn.code) throw new Error(`Teams SSO sign-in stopped on page(s) ${signIn.pages.join(',')}`);
  const response = await postToken(new URL('oauth2/v2.0/token', input.authority).href, input.caCertPem, {
    grant_type: 'authorization_code',
    client_id: input.teamsClientId,
    code: signIn.code,
    redirect_uri: redirectUri,
    code_verifier: pkce.verifier,
  });
  if (response.status !== 200 || typeof response.body.access_token !== 'string') {
    throw new Error(
      `Teams SSO token request failed: ${response.status} ${String(response.body.error)} ` +
        `${String(response.body.error_description)}`,
    );
  }
  return { accessToken: response.body.access_token, signIn };
}
