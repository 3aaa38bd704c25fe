import type { Request, Response, Server } from 'restify';
import { CryptoProvider } from '@azure/msal-node';
import { randomToken, sha256 } from './crypto.js';
import { resultPage } from './pages.js';
import type { SignInCompletion } from './sign-in-completion.js';
import type { IdentityService } from './service.js';
import { GRAPH_SCOPES } from './service.js';
import type { StateProblem } from './auth-states.js';
import { AUTHORITY_UNREACHABLE, isAuthorityUnreachable } from './unreachable.js';
import { clientIp } from '../limits/client-ip.js';
import type { LimitVerdict, RateLimiter } from '../limits/rate-limiter.js';

const STATE_PROBLEMS: Record<StateProblem, string> = {
  unknown: 'This sign-in link is not valid. Run the command again in Teams to get a new one.',
  expired:
    'This sign-in link has expired (links are valid for 10 minutes). Run the command again in Teams to get a new one.',
  used:
    'This sign-in link has already been used; each link works once. Run the command again in Teams if you still ' +
    'need it.',
};
const IN_USE_ELSEWHERE =
  'This sign-in link is already in use in another browser. Finish the sign-in there, or run the command again in ' +
  'Teams for a new link.';

function query(req: Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://bot.invalid').searchParams;
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** One cookie per sign-in state, so two sign-ins open in one browser do not overwrite each other's binding. */
function bindingCookieName(state: string): string {
  return `tab_signin_${sha256(state).slice(0, 16)}`;
}

function sendPage(
  res: Response,
  status: number,
  page: { ok: boolean; title: string; message: string },
  extraHeaders: Record<string, string> = {},
): void {
  const body = resultPage(page);
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-length': String(Buffer.byteLength(body)),
    ...extraHeaders,
  });
  res.end(body);
}

/**
 * The sign-in link's two HTTP endpoints:
 * - `GET /auth/start?state=…`: checks the state (unused, unexpired), makes a PKCE pair (verifier sealed into the
 *   state row), binds the state to this browser with a cookie (the first browser to open a link keeps it: another
 *   is told the link is in use elsewhere; the same browser may open it again), and redirects to the authority's
 *   authorize endpoint (login_hint; for step-up also prompt=login, max_age and the claims request).
 * - `GET /auth/callback?code&state`: the browser must be the one that started; the state is consumed once; the
 *   code is redeemed; the result must be the Teams user who asked, in the conversation's tenant, with the MFA the
 *   step-up asked for. Then the chat is told and the parked command resumes.
 */
export function installAuthRoutes(
  server: Server,
  identity: IdentityService,
  completion: SignInCompletion,
  limits?: RateLimiter,
): void {
  const crypto = new CryptoProvider();
  const secure = identity.settings.publicBaseUrl.startsWith('https://');
  const trustedHops = limits?.trustedProxyHops ?? 0;

  /** Over a limit: 429 with Retry-After, and nothing looked up or redeemed. */
  const refusedByLimit = (res: Response, verdict: LimitVerdict | undefined): boolean => {
    if (!verdict || verdict.allowed) return false;
    const message = `Too many sign-in attempts. Try again in ${verdict.retryAfterSeconds} s.`;
    sendPage(
      res,
      429,
      { ok: false, title: 'Too many sign-in attempts', message },
      { 'retry-after': String(verdict.retryAfterSeconds) },
    );
    return true;
  };

  server.get('/auth/start', async (req: Request, res: Response) => {
    try {
      if (refusedByLimit(res, await limits?.authRequest(clientIp(req, trustedHops)))) return;
      const state = query(req).get('state') ?? '';
      const row = state ? await identity.states.find(state) : undefined;
      const problem = identity.states.problem(row);
      if (problem || !row) {
        sendPage(res, problem === 'expired' || problem === 'used' ? 410 : 400, {
          ok: false,
          title: 'Sign-in link not usable',
          message: STATE_PROBLEMS[problem ?? 'unknown'],
        });
        return;
      }
      // The first browser to open a link keeps it; the same browser may open it again (a new PKCE pair).
      const bound = row.payload.browserBinding;
      const ownNonce = cookie(req, bindingCookieName(state));
      if (bound && !(ownNonce && sha256(ownNonce) === bound)) {
        sendPage(res, 409, { ok: false, title: 'Sign-in link in use', message: IN_USE_ELSEWHERE });
        return;
      }
      if (refusedByLimit(res, await limits?.signIn(row.userAadId, row.payload.tenantId))) return;
      const pkce = await crypto.generatePkceCodes();
      const browserNonce = randomToken();
      const payload = {
        ...row.payload,
        sealedVerifier: identity.sealer.seal(pkce.verifier, state),
        browserBinding: sha256(browserNonce),
      };
      if (!(await identity.states.begin(row, payload))) {
        // Used, expired, or another browser bound it in the meantime: read again to say which.
        const now = await identity.states.find(state);
        const problem = identity.states.problem(now);
        if (problem)
          sendPage(res, 410, { ok: false, title: 'Sign-in link not usable', message: STATE_PROBLEMS[problem] });
        else sendPage(res, 409, { ok: false, title: 'Sign-in link in use', message: IN_USE_ELSEWHERE });
        return;
      }
      const stepUp = row.purpose === 'step-up';
      const url = await identity.msal.ephemeral().getAuthCodeUrl({
        scopes: GRAPH_SCOPES,
        redirectUri: identity.settings.redirectUri,
        state,
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
        loginHint: row.payload.loginHint,
        prompt: stepUp ? 'login' : undefined,
        claims: row.payload.claims,
        extraQueryParameters:
          row.payload.maxAgeSeconds !== undefined ? { max_age: String(row.payload.maxAgeSeconds) } : undefined,
      });
      const cookieAttributes = `Path=/auth; HttpOnly; SameSite=Lax; Max-Age=600${secure ? '; Secure' : ''}`;
      res.writeHead(302, {
        location: url,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'set-cookie': `${bindingCookieName(state)}=${browserNonce}; ${cookieAttributes}`,
        'content-length': '0',
      });
      res.end();
    } catch (err) {
      identity.log.error(
        { err: err instanceof Error ? { type: err.name, message: err.message } : String(err) },
        'sign-in start failed',
      );
      if (res.headersSent) return;
      if (isAuthorityUnreachable(err)) {
        sendPage(res, 503, {
          ok: false,
          title: 'Sign-in could not start',
          message: `${AUTHORITY_UNREACHABLE}. Try again in a few minutes: run the command again in Teams for a new link.`,
        });
      } else {
        sendPage(res, 500, {
          ok: false,
          title: 'Sign-in could not start',
          message: 'The bot could not start the sign-in. Run the command again in Teams for a new link.',
        });
      }
    }
  });

  server.get('/auth/callback', async (req: Request, res: Response) => {
    try {
      if (refusedByLimit(res, await limits?.authRequest(clientIp(req, trustedHops)))) return;
      const params = query(req);
      const state = params.get('state') ?? '';
      const row = state ? await identity.states.find(state) : undefined;
      const problem = identity.states.problem(row);
      if (problem || !row) {
        sendPage(res, problem === 'expired' || problem === 'used' ? 410 : 400, {
          ok: false,
          title: 'Sign-in not accepted',
          message: STATE_PROBLEMS[problem ?? 'unknown'],
        });
        return;
      }
      const nonce = cookie(req, bindingCookieName(state));
      if (!nonce || !row.payload.browserBinding || sha256(nonce) !== row.payload.browserBinding) {
        // Not consumed: the browser that started this sign-in can still finish it.
        sendPage(res, 400, {
          ok: false,
          title: 'Sign-in not accepted',
          message:
            'This sign-in was started in another browser. Finish it in the browser where you first opened the link.',
        });
        return;
      }
      if (!(await identity.states.consume(state))) {
        sendPage(res, 410, { ok: false, title: 'Sign-in not accepted', message: STATE_PROBLEMS.used });
        return;
      }
      const outcome = await completion.completeLink(row, {
        code: params.get('code') ?? undefined,
        error: params.get('error') ?? undefined,
        errorDescription: params.get('error_description') ?? undefined,
        verifier: row.payload.sealedVerifier ? identity.sealer.open(row.payload.sealedVerifier, state) : undefined,
      });
      sendPage(res, outcome.status ?? (outcome.ok ? 200 : 403), outcome);
    } catch (err) {
      identity.log.error(
        { err: err instanceof Error ? { type: err.name, message: err.message } : String(err) },
        'sign-in callback failed',
      );
      if (!res.headersSent)
        sendPage(res, 500, {
          ok: false,
          title: 'Sign-in failed',
          message: 'The bot could not finish the sign-in. Run the command again in Teams.',
        });
    }
  });
}
