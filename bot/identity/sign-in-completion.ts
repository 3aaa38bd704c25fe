import type { AuthenticationResult, ConfidentialClientApplication } from '@azure/msal-node';
import type { AuditLog } from '../audit/log.js';
import type { ConversationAddress } from '../commands/ports.js';
import type { AuthStateRow } from './auth-states.js';
import { hasMfa } from './policy.js';
import { notice } from './prompts.js';
import { answerFor, resumeParked, type ResumeLink } from './resume.js';
import { GRAPH_SCOPES, type IdentityService } from './service.js';
import { tokenFacts, type TokenFacts } from './token-claims.js';
import { partitionKeyFor } from './token-cache.js';
import { AUTHORITY_UNREACHABLE, isAuthorityUnreachable } from './unreachable.js';

export interface PageOutcome {
  ok: boolean;
  /** The page's HTTP status when not the default (200 ok, 403 refused): 503 when the authority is unreachable. */
  status?: number;
  title: string;
  message: string;
}

export type IdentityMismatch = 'other-user' | 'other-tenant';

/** The result of a sign-in must be the Teams user who asked, in the conversation's tenant. */
export function mismatch(facts: TokenFacts, expected: { oid: string; tenantId: string }): IdentityMismatch | undefined {
  if (!facts.oid || facts.oid.toLowerCase() !== expected.oid.toLowerCase()) return 'other-user';
  if (!facts.tid || facts.tid.toLowerCase() !== expected.tenantId.toLowerCase()) return 'other-tenant';
  return undefined;
}

export function mfaLabel(facts: TokenFacts, authContext: string): string {
  return hasMfa(facts, authContext) ? 'MFA ✓' : 'MFA ✗';
}

/**
 * Finishing a sign-in, by link (browser callback) or by Teams SSO (token exchange): check who signed in, store
 * the tokens in the user's cache partition, tell the conversation, and resume the parked command once.
 */
export class SignInCompletion {
  constructor(
    private readonly identity: IdentityService,
    private readonly link: ResumeLink,
    private readonly auditLog: AuditLog,
  ) {}

  async completeLink(
    row: AuthStateRow,
    input: { code?: string; error?: string; errorDescription?: string; verifier?: string },
  ): Promise<PageOutcome> {
    const { identity } = this;
    const operation = row.payload.pendingOperationId
      ? await identity.pending.find(row.payload.pendingOperationId)
      : undefined;
    // The browser gets its answer even when the chat cannot be reached (the sign-in itself is kept).
    const tell = async (output: ReturnType<typeof notice>, resume: boolean) => {
      if (!operation) return;
      try {
        await answerFor(this.link, operation).send(output);
        if (resume) await resumeParked(identity, this.link, operation.id, row.userAadId);
      } catch (err) {
        identity.log.error(
          { err: err instanceof Error ? { type: err.name, message: err.message } : String(err) },
          'could not post to the conversation after sign-in',
        );
      }
    };

    if (input.error || !input.code || !input.verifier) {
      const reason =
        input.error === 'access_denied'
          ? 'The sign-in was cancelled.'
          : 'The identity provider did not complete the sign-in.';
      const detail = input.errorDescription ? ` (${input.errorDescription.slice(0, 300)})` : '';
      await tell(notice('Sign-in did not complete', `${reason}${detail} The command was not run.`), false);
      return { ok: false, title: 'Sign-in did not complete', message: `${reason}${detail}` };
    }

    const client = identity.msal.ephemeral();
    let result: AuthenticationResult;
    try {
      result = await client.acquireTokenByCode({
        code: input.code,
        scopes: GRAPH_SCOPES,
        redirectUri: identity.settings.redirectUri,
        codeVerifier: input.verifier,
        claims: row.payload.claims,
      });
    } catch (err) {
      identity.log.warn(
        { errorCode: (err as { errorCode?: string }).errorCode },
        'authorization code redemption failed',
      );
      if (isAuthorityUnreachable(err)) {
        const message =
          `${AUTHORITY_UNREACHABLE} to finish the sign-in. Nothing was signed in and the command was not run; run ` +
          `it again in a few minutes.`;
        await tell(notice('Sign-in did not complete', message), false);
        return { ok: false, status: 503, title: 'Sign-in did not complete', message };
      }
      await tell(
        notice(
          'Sign-in did not complete',
          'The identity provider refused to complete the sign-in. The command was not run; run it again to retry.',
        ),
        false,
      );
      return {
        ok: false,
        title: 'Sign-in did not complete',
        message: 'The identity provider refused to complete the sign-in. Run the command again in Teams.',
      };
    }
    const facts = tokenFacts(result.accessToken, result.idTokenClaims as Record<string, unknown>);
    const wrong = mismatch(facts, { oid: row.userAadId, tenantId: row.payload.tenantId });
    if (wrong) {
      identity.log.warn({ reason: wrong, purpose: row.purpose }, 'sign-in refused: identity mismatch');
      await this.audit({
        action: `${row.purpose === 'step-up' ? 'stepup' : 'signin'}.refused`,
        actorAadId: row.userAadId,
        facts,
        outcome: wrong,
      }).catch(() => undefined);
      const message =
        wrong === 'other-user'
          ? `The link was completed by ${facts.upn || 'another account'}, which is not the Teams user who asked ` +
            `for it. Nothing was signed in and the command was not run. Each person must use the link the bot sent ` +
            `them.`
          : `${facts.upn || 'This account'} belongs to another tenant than this Teams conversation. Nothing was ` +
            `signed in and the command was not run.`;
      await tell(notice('Sign-in refused', message), false);
      return { ok: false, title: 'Sign-in refused', message };
    }
    if (row.purpose === 'step-up') {
      const maxAge = row.payload.maxAgeSeconds ?? 0;
      const fresh = facts.authTime !== undefined && Math.floor(Date.now() / 1000) - facts.authTime <= maxAge + 60;
      if (!hasMfa(facts, identity.settings.stepUpAuthContext) || !fresh) {
        const message =
          'The sign-in did not include a fresh multi-factor authentication, so the command was not run. Run it ' +
          'again and complete the MFA step.';
        await tell(notice('MFA not completed', message), false);
        return { ok: false, title: 'MFA not completed', message };
      }
    }
    // The sign-in is recorded before it takes effect: if the audit cannot be written, nobody is signed in.
    try {
      await this.audit({
        action: row.purpose === 'step-up' ? 'stepup' : 'signin',
        facts,
        conversationId: operation?.address.conversationId,
        outcome: 'succeeded',
      });
    } catch {
      const message = 'The sign-in could not be recorded in the audit log, so it was not kept. Try again shortly.';
      await tell(notice('Sign-in not recorded', message), false);
      return { ok: false, title: 'Sign-in not recorded', message };
    }
    await this.persist(facts, client);
    const label = mfaLabel(facts, identity.settings.stepUpAuthContext);
    await tell(notice('Signed in', `Signed in as ${facts.upn} (${label}).`), true);
    return {
      ok: true,
      title: 'Signed in',
      message: `Signed in as ${facts.upn} (${label}).${operation ? ' Your command continues in Teams.' : ''}`,
    };
  }

  /** Sign-ins and step-ups are audited with their MFA evidence, like commands. */
  private async audit(entry: {
    action: string;
    facts: TokenFacts;
    actorAadId?: string;
    conversationId?: string;
    outcome: string;
  }): Promise<void> {
    await this.auditLog.append({
      actorAadId: entry.actorAadId ?? entry.facts.oid,
      actorUpn: entry.facts.upn.toLowerCase(),
      conversationId: entry.conversationId,
      action: entry.action,
      mfa: { amr: entry.facts.amr, acrs: entry.facts.acrs, authTime: entry.facts.authTime },
      outcome: entry.outcome,
    });
  }

  private async persist(facts: TokenFacts, client: ConfidentialClientApplication): Promise<void> {
    await this.identity.msal.persist(partitionKeyFor(facts.oid, facts.tid), client);
  }

  /**
   * Teams SSO: the Teams token (audience api://botid-<bot>) is exchanged on behalf of the user for Graph. The
   * authority validates the token (signature, lifetime, audience); the bot then checks the result is the user
   * of this activity in this conversation's tenant. Returns undefined (and the caller answers 412) on failure.
   */
  async exchangeSso(
    token: string,
    expected: { oid: string; tenantId: string },
  ): Promise<{ facts: TokenFacts; client: ConfidentialClientApplication } | { failure: string }> {
    const client = this.identity.msal.ephemeral();
    let result: AuthenticationResult | null;
    try {
      result = await client.acquireTokenOnBehalfOf({ oboAssertion: token, scopes: GRAPH_SCOPES, skipCache: true });
    } catch (err) {
      this.identity.log.warn(
        { errorCode: (err as { errorCode?: string }).errorCode },
        'SSO token exchange refused by the authority',
      );
      const unreachable = isAuthorityUnreachable(err);
      await this.auditSsoRefusal(expected.oid, unreachable ? 'idp-unreachable' : 'idp-refused');
      return { failure: unreachable ? `${AUTHORITY_UNREACHABLE}.` : 'The identity provider refused the Teams token.' };
    }
    if (!result?.accessToken) {
      await this.auditSsoRefusal(expected.oid, 'no-token');
      return { failure: 'The identity provider returned no token.' };
    }
    const facts = tokenFacts(result.accessToken, result.idTokenClaims as Record<string, unknown>);
    const wrong = mismatch(facts, expected);
    if (wrong) {
      this.identity.log.warn({ reason: wrong }, 'SSO token exchange refused: identity mismatch');
      await this.auditSsoRefusal(expected.oid, wrong, facts);
      return {
        failure:
          wrong === 'other-user'
            ? 'The Teams token belongs to another user.'
            : "The Teams token is for another tenant than this conversation's.",
      };
    }
    return { facts, client };
  }

  /**
   * A refused SSO exchange is audited like a refused link sign-in (`signin.refused`, the reason as outcome), under the
   * Teams user who sent it; the token's account, when there is one, is named too. Never blocks the 412 answer.
   */
  async auditSsoRefusal(actorAadId: string, reason: string, facts?: TokenFacts): Promise<void> {
    await this.auditLog
      .append({
        actorAadId,
        actorUpn: facts?.upn.toLowerCase(),
        action: 'signin.refused',
        mfa: facts ? { amr: facts.amr, acrs: facts.acrs, authTime: facts.authTime } : undefined,
        outcome: facts ? `${reason}:${facts.oid}` : reason,
      })
      .catch((err: unknown) => this.identity.log.error({ err: String(err) }, 'could not audit a refused SSO sign-in'));
  }

  /** After the one winning exchange: keep the tokens, say so, and resume the command the OAuthCard was sent for. */
  async finishSso(
    address: ConversationAddress,
    facts: TokenFacts,
    client: ConfidentialClientApplication,
    operationId: string | undefined,
  ): Promise<void> {
    await this.acceptSso(address.conversationId, facts, client);
    await this.link.messenger.post(
      address,
      notice('Signed in', `Signed in as ${facts.upn} (${mfaLabel(facts, this.identity.settings.stepUpAuthContext)}).`),
    );
    if (operationId) await resumeParked(this.identity, this.link, operationId, facts.oid, address.conversationId);
  }

  /** An SSO sign-in takes effect: audited first (nobody is signed in if that fails), then the tokens are kept. */
  async acceptSso(conversationId: string, facts: TokenFacts, client: ConfidentialClientApplication): Promise<void> {
    await this.audit({ action: 'signin.sso', facts, conversationId, outcome: 'succeeded' });
    await this.persist(facts, client);
  }

  /**
   * Universal Actions SSO: Teams sent the card click again with a token, so the click itself now runs signed in. The
   * command parked for it (`operationId`, this user's, in this conversation) is withdrawn, so a sign-in link
   * completed later cannot run it a second time. `taken`: another completion (the link) already resumed it, so
   * the click must not run it again; `none`: no such parked command of this user here (the click simply runs).
   */
  async withdrawParked(
    operationId: string,
    oid: string,
    conversationId: string,
  ): Promise<'withdrawn' | 'taken' | 'none'> {
    const operation = await this.identity.pending.find(operationId);
    if (!operation || operation.userAadId.toLowerCase() !== oid.toLowerCase()) return 'none';
    if (operation.conversationId !== conversationId) return 'none';
    if (await this.identity.pending.claim(operationId)) return 'withdrawn';
    return operation.status === 'resumed' || operation.status === 'waiting' ? 'taken' : 'none';
  }
}
