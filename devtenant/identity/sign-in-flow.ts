// The interactive sign-in pages behind oidc-provider's interactions: password, then (when required) the
// Authenticator code or enrolment, then an automatic admin-consented grant. Failures are counted for lockout
// and every outcome is appended to the tenant's sign-in log.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionDetails } from 'oidc-provider';
import { AADSTS, describe, SignInError, type AadstsError } from './entra-errors.js';
import { LockoutTracker, newTotpSecret, otpauthUri, verifyTotp } from './mfa.js';
import { mfaRequired, type MfaPolicy } from './mfa-requirement.js';
import { enrolmentPage, errorPage, passwordPage, totpPage } from './pages.js';
import { qrSvg } from './qr-svg.js';
import { parseScopes } from './scopes.js';
import type { IdentityTenant, IdentityUser } from './tenant-view.js';

interface PendingSecondFactor {
  userId: string;
  enrolSecret?: string;
  createdAt: number;
}

/** Abandoned second-factor steps are forgotten after the interaction lifetime. */
const PENDING_TTL_MS = 3600 * 1000;

const MAX_FORM_BYTES = 16 * 1024;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function passwordMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

export class SignInFlow {
  private readonly pending = new Map<string, PendingSecondFactor>();

  constructor(
    private readonly provider: Provider,
    private readonly tenant: IdentityTenant,
    private readonly lockout: LockoutTracker,
    private readonly mfaPolicy: MfaPolicy,
    private readonly basePath: string,
  ) {}

  /** Handles `<basePath>/<uid>[/step]`; returns false when the path is not an interaction path. */
  async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    const match = new RegExp(`^${this.basePath}/([A-Za-z0-9_-]+)(?:/(password|otc))?$`).exec(pathname);
    if (!match) return false;
    const [, uid, step] = match;
    let details: InteractionDetails;
    try {
      details = await this.provider.interactionDetails(req, res);
    } catch {
      sendHtml(
        res,
        400,
        errorPage('This sign-in request has expired or its cookie is missing. Start the sign-in again.'),
      );
      return true;
    }
    if (details.uid !== uid) {
      sendHtml(res, 400, errorPage('Sign-in request mismatch. Start the sign-in again.'));
      return true;
    }
    try {
      if (req.method === 'POST' && step === 'password') await this.submitPassword(req, res, details);
      else if (req.method === 'POST' && step === 'otc') await this.submitCode(req, res, details);
      else if (req.method === 'GET' && !step) await this.show(req, res, details);
      else sendHtml(res, 405, errorPage('Method not allowed.'));
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      sendHtml(res, 403, errorPage(error.message));
    }
    return true;
  }

  private action(details: InteractionDetails, step: string): string {
    return `${this.basePath}/${details.uid}/${step}`;
  }

  private clientName(details: InteractionDetails): string {
    const app = this.tenant.applications.find((a) => a.appId === details.params.client_id);
    return app?.displayName ?? String(details.params.client_id);
  }

  private async show(req: IncomingMessage, res: ServerResponse, details: InteractionDetails): Promise<void> {
    if (details.prompt.name === 'consent') {
      await this.finish(req, res, details, details.session!.accountId!, undefined);
      return;
    }
    const sessionUser = details.session?.accountId ? this.tenant.userById(details.session.accountId) : undefined;
    const onlyStepUp = details.prompt.reasons.every((r) => r === 'mfa_required');
    if (sessionUser?.accountEnabled && onlyStepUp) {
      // Step-up for an already signed-in user: second factor only, as Entra does.
      this.renderSecondFactor(res, details, sessionUser);
      return;
    }
    const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined;
    sendHtml(
      res,
      200,
      passwordPage(this.action(details, 'password'), { username: hint, clientName: this.clientName(details) }),
    );
  }

  private async submitPassword(req: IncomingMessage, res: ServerResponse, details: InteractionDetails): Promise<void> {
    const form = await readForm(req);
    const username = (form.get('username') ?? '').trim();
    const rerender = (error: string) =>
      sendHtml(
        res,
        200,
        passwordPage(this.action(details, 'password'), { username, error, clientName: this.clientName(details) }),
      );
    const user = this.tenant.userByUpn(username);
    if (!user) {
      rerender(describe(AADSTS.userNotFound));
      return;
    }
    const appId = String(details.params.client_id);
    this.refuseIfUnusable(user, appId);
    if (!passwordMatches(form.get('password') ?? '', user.credentials.password)) {
      this.fail(user, appId, AADSTS.invalidPassword, 'password');
      rerender(describe(AADSTS.invalidPassword));
      return;
    }
    this.lockout.recordSuccess(user.id, 'password');
    if (mfaRequired(this.mfaPolicy, this.tenant, user, details.params)) {
      this.renderSecondFactor(res, details, user);
      return;
    }
    await this.finish(req, res, details, user.id, ['pwd']);
  }

  private renderSecondFactor(
    res: ServerResponse,
    details: InteractionDetails,
    user: IdentityUser,
    error?: string,
  ): void {
    this.prunePending();
    const existing = this.pending.get(details.uid);
    const pending: PendingSecondFactor =
      existing?.userId === user.id ? existing : { userId: user.id, createdAt: Date.now() };
    if (!user.credentials.totpSecret) pending.enrolSecret ??= newTotpSecret();
    this.pending.set(details.uid, pending);
    const action = this.action(details, 'otc');
    if (pending.enrolSecret) {
      const uri = otpauthUri(user.userPrincipalName, this.tenant.displayName, pending.enrolSecret);
      sendHtml(
        res,
        200,
        enrolmentPage(action, {
          upn: user.userPrincipalName,
          otpauthUri: uri,
          secret: pending.enrolSecret,
          qrSvg: qrSvg(uri),
          error,
        }),
      );
      return;
    }
    sendHtml(
      res,
      200,
      totpPage(action, {
        upn: user.userPrincipalName,
        error,
        reason: 'Approve sign in request: verify your identity.',
      }),
    );
  }

  private async submitCode(req: IncomingMessage, res: ServerResponse, details: InteractionDetails): Promise<void> {
    const pending = this.pending.get(details.uid);
    const user = pending ? this.tenant.userById(pending.userId) : undefined;
    if (!pending || !user) throw new SignInError(AADSTS.mfaRequired, 'Sign in with your password first.');
    const appId = String(details.params.client_id);
    this.refuseIfUnusable(user, appId);
    const code = ((await readForm(req)).get('otc') ?? '').trim();
    const secret = pending.enrolSecret ?? user.credentials.totpSecret!;
    if (!verifyTotp(code, secret)) {
      this.fail(user, appId, AADSTS.invalidTotp, 'code');
      const left = this.lockout.remainingAttempts(user.id, 'code');
      this.renderSecondFactor(
        res,
        details,
        user,
        `${describe(AADSTS.invalidTotp)} ${left} attempt(s) left before the account is locked.`,
      );
      return;
    }
    this.lockout.recordSuccess(user.id, 'code');
    if (pending.enrolSecret) this.tenant.registerAuthenticator(user.id, pending.enrolSecret);
    this.pending.delete(details.uid);
    await this.finish(req, res, details, user.id, ['pwd', 'mfa']);
  }

  private prunePending(): void {
    const cutoff = Date.now() - PENDING_TTL_MS;
    for (const [uid, entry] of this.pending) if (entry.createdAt < cutoff) this.pending.delete(uid);
  }

  private refuseIfUnusable(user: IdentityUser, appId: string): void {
    if (!user.accountEnabled) {
      this.tenant.appendSignIn({
        userId: user.id,
        appId,
        status: 'failure',
        failureReason: describe(AADSTS.accountDisabled),
        mfa: false,
      });
      throw new SignInError(AADSTS.accountDisabled);
    }
    const lockedUntil = this.lockout.lockedUntil(user.id);
    if (lockedUntil) {
      this.tenant.appendSignIn({
        userId: user.id,
        appId,
        status: 'failure',
        failureReason: describe(AADSTS.accountLocked),
        mfa: false,
      });
      throw new SignInError(AADSTS.accountLocked, `Try again after ${new Date(lockedUntil).toISOString()}.`);
    }
  }

  private fail(user: IdentityUser, appId: string, error: AadstsError, kind: 'password' | 'code'): void {
    this.tenant.appendSignIn({ userId: user.id, appId, status: 'failure', failureReason: describe(error), mfa: false });
    if (this.lockout.recordFailure(user.id, kind)) {
      throw new SignInError(AADSTS.accountLocked, 'The account is locked for 15 minutes.');
    }
  }

  /** Completes the interaction: login (when amr is given) plus an admin-consented grant for what was asked. */
  private async finish(
    req: IncomingMessage,
    res: ServerResponse,
    details: InteractionDetails,
    accountId: string,
    amr: string[] | undefined,
  ): Promise<void> {
    const clientId = String(details.params.client_id);
    const existing = details.grantId ? await this.provider.Grant.find(details.grantId) : undefined;
    const grant = existing?.accountId === accountId ? existing : new this.provider.Grant({ accountId, clientId });
    const scopes = parseScopes(typeof details.params.scope === 'string' ? details.params.scope : undefined);
    if (scopes.oidc.length) grant.addOIDCScope(scopes.oidc.join(' '));
    if (scopes.resource) grant.addResourceScope(scopes.resource, scopes.resourceScopes.join(' '));
    grant.addOIDCClaims(['sub', 'oid', 'tid', 'name', 'preferred_username', 'upn', 'auth_time', 'amr', 'acr']);
    const grantId = await grant.save();
    const result: Record<string, unknown> = { consent: { grantId } };
    if (amr) {
      result.login = {
        accountId,
        amr,
        acr: amr.includes('mfa') ? 'mfa' : 'pwd',
        ts: Math.floor(Date.now() / 1000),
        remember: true,
      };
      this.tenant.appendSignIn({ userId: accountId, appId: clientId, status: 'success', mfa: amr.includes('mfa') });
    }
    await this.provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }
}
