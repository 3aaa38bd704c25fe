import { createHash } from 'node:crypto';
import type { AuditLog } from '../audit/log.js';
import type { CommandLimitsPort } from '../commands/ports.js';
import type { CommandOutput, ConversationInfo, RiskTier, TeamsActor } from '../commands/types.js';
import type { Logger } from '../log.js';
import type { RateLimitSettings } from './settings.js';
import type { WindowCounter } from './window-counter.js';
import { notice } from '../commands/notice.js';

const MINUTE = 60_000;
const TEN_MINUTES = 10 * MINUTE;

/** Which limit was hit: also the audit outcome's prefix. */
export type LimitScope = 'user-commands' | 'user-changes' | 'tenant-commands' | 'user-signins' | 'ip-auth';

export type LimitVerdict =
  { allowed: true } | { allowed: false; scope: LimitScope; limit: number; retryAfterSeconds: number };

const ALLOWED: LimitVerdict = { allowed: true };

/**
 * Per-user, per-tenant and per-IP limits on what costs the tenant something: commands (Graph calls, audit records,
 * MFA prompts) and sign-in attempts (identity provider round trips, brute force). Counting is shared by all
 * instances (WindowCounter); each over-limit window is audited once — by the hit that first crossed it — so a flood
 * cannot flood the audit log too. Nothing over the limit runs.
 */
export class RateLimiter implements CommandLimitsPort {
  constructor(
    private readonly settings: RateLimitSettings,
    private readonly counter: WindowCounter,
    private readonly deps: { audit?: AuditLog; log: Logger; now: () => number },
  ) {}

  /** Reverse proxies whose X-Forwarded-For entry is trusted for per-IP limits (see clientIp). */
  get trustedProxyHops(): number {
    return this.settings.trustedProxyHops;
  }

  /**
   * Undefined when the command may run; else the card that says when to try again. (The runner asks only for
   * people's new requests: a command replayed after sign-in or step-up was counted when it was sent.)
   */
  async command(
    actor: TeamsActor,
    conversation: ConversationInfo,
    tier: RiskTier | undefined,
    sameRequest?: string,
  ): Promise<CommandOutput | undefined> {
    const tenant = actor.tenantId?.toLowerCase() ?? 'no-tenant';
    const user = `${tenant}:${(actor.aadObjectId ?? actor.teamsUserId).toLowerCase()}`;
    const who = { actorAadId: actor.aadObjectId ?? actor.teamsUserId, conversationId: conversation.id };
    const s = this.settings;
    let verdict = await this.check(`cmd:user:${user}`, s.commandsPerUserPerMinute, MINUTE, 'user-commands', who);
    if (verdict.allowed)
      verdict = await this.check(`cmd:tenant:${tenant}`, s.commandsPerTenantPerMinute, MINUTE, 'tenant-commands', who);
    if (verdict.allowed && (tier === 'write' || tier === 'dangerous') && (await this.firstOf(user, sameRequest))) {
      verdict = await this.check(`cmd:changes:${user}`, s.changesPerUserPerMinute, MINUTE, 'user-changes', who);
    }
    return verdict.allowed ? undefined : tooManyCommands(verdict);
  }

  /**
   * False for a repeat, within the minute, of the same request by the same user (a card button clicked again, ten
   * clients of one user): it changes nothing the first did not, so it is not counted as another change. Every
   * click still counts as a command above, which bounds a flood of repeats.
   */
  private async firstOf(user: string, sameRequest: string | undefined): Promise<boolean> {
    if (sameRequest === undefined) return true;
    const digest = createHash('sha256').update(sameRequest).digest('base64url').slice(0, 22);
    return (await this.counter.hit(`cmd:same:${user}:${digest}`, MINUTE)).count === 1;
  }

  /** A sign-in attempt of one user (link opened, SSO exchange). */
  async signIn(oid: string, tenantId: string): Promise<LimitVerdict> {
    return this.check(
      `signin:user:${tenantId.toLowerCase()}:${oid.toLowerCase()}`,
      this.settings.signInsPerUserPer10Minutes,
      TEN_MINUTES,
      'user-signins',
      { actorAadId: oid },
    );
  }

  /** A request to the sign-in web routes from one client address. */
  async authRequest(ip: string): Promise<LimitVerdict> {
    return this.check(`auth:ip:${ip}`, this.settings.authPerIpPer10Minutes, TEN_MINUTES, 'ip-auth', {
      actorAadId: `ip:${ip}`,
    });
  }

  private async check(
    key: string,
    limit: number,
    windowMs: number,
    scope: LimitScope,
    who: { actorAadId: string; conversationId?: string },
  ): Promise<LimitVerdict> {
    const { count, resetAt } = await this.counter.hit(key, windowMs);
    if (count <= limit) return ALLOWED;
    const retryAfterSeconds = Math.max(1, Math.ceil((resetAt - this.deps.now()) / 1000));
    if (count === limit + 1) {
      // Exactly one hit per window and key crosses the limit, on whichever instance: that one is audited.
      this.deps.log.warn({ scope, limit, windowSeconds: windowMs / 1000 }, 'rate limit reached');
      await this.deps.audit
        ?.append({
          ...who,
          action: 'ratelimit.exceeded',
          outcome: `${scope}: more than ${limit} per ${windowMs / MINUTE} min`,
        })
        .catch((err: unknown) => this.deps.log.error({ err: String(err), scope }, 'could not audit a rate limit'));
    }
    return { allowed: false, scope, limit, retryAfterSeconds };
  }
}

function tooManyCommands(verdict: Extract<LimitVerdict, { allowed: false }>): CommandOutput {
  const what =
    verdict.scope === 'tenant-commands'
      ? `Your organization's admins sent more than ${verdict.limit} commands in a minute`
      : verdict.scope === 'user-changes'
        ? `You sent more than ${verdict.limit} commands that change the tenant in a minute`
        : `You sent more than ${verdict.limit} commands in a minute`;
  const message = `${what}, so this one was not run. Try again in ${verdict.retryAfterSeconds} s.`;
  return notice('Too many commands', message, {
    text: `You sent too many commands; try again in ${verdict.retryAfterSeconds} s. Nothing was run.`,
  });
}
