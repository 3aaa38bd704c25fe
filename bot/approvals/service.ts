import type { AuditLog } from '../audit/log.js';
import { redactArgs } from '../audit/redact.js';
import { graphOf } from '../commands/_lib/context.js';
import { resolveUser } from '../commands/_lib/users.js';
import type { CommandRegistry } from '../commands/registry.js';
import { notice } from '../commands/notice.js';
import { privateReply } from '../commands/private-reply.js';
import type { ConversationAddress, Messenger, SessionSource } from '../commands/ports.js';
import type {
  AdminSession,
  AnyCommand,
  ApprovalsPort,
  CommandContext,
  CommandOutput,
  CommandResult,
  FollowUpRun,
  GateDecision,
} from '../commands/types.js';
import { CodedError, ErrorCode, isCodedError } from '../errors.js';
import { isGuid } from '../graph/odata.js';
import type { Logger } from '../log.js';
import { approverEligibility, targetRoleTemplateIds } from './eligibility.js';
import { encodePinnedTarget } from './target.js';
import { ApprovalRepository, FINAL_STATUSES, effectiveStatus, type ApprovalRow } from './repository.js';
import { approvalCard, type Viewer } from './view.js';

export interface ApprovalSettings {
  ttlMs: number;
  /** Directory role template ids allowed to approve (a command's own `roles` narrow it further). */
  approverRoleTemplateIds: string[];
}

/** Where the shared card lives and where the requester asked (the same conversation today). */
interface StoredRefs {
  card: ConversationAddress;
  requester: ConversationAddress;
}

/**
 * The two-person rule for `dangerous` commands: the request is recorded and shown as a card; a decision is one
 * conditional update (first wins, never the requester, never after expiry); the approved command runs once, in
 * the background, as the requester, and the card and the requester are told the outcome. Every step is audited.
 */
export class ApprovalService implements ApprovalsPort {
  readonly repo: ApprovalRepository;

  constructor(
    private readonly deps: {
      repo: ApprovalRepository;
      audit?: AuditLog;
      registry: CommandRegistry;
      messenger: Messenger;
      sessions: SessionSource;
      settings: ApprovalSettings;
      log: Logger;
    },
  ) {
    this.repo = deps.repo;
  }

  /** Records the request and answers with the shared card (posted in the conversation where it was asked). */
  async request(
    ctx: CommandContext,
    command: AnyCommand,
    args: unknown,
    session: AdminSession,
    justification: string,
    ticket?: string,
  ): Promise<CommandOutput> {
    const reference = ctx.address;
    const viewerIds = await this.viewers(ctx);
    const { args: pinnedArgs, target } = await this.pinTarget(ctx, args, session);
    args = pinnedArgs;
    const row = await this.repo.create({
      requesterAadId: session.oid,
      requesterUpn: session.upn.toLowerCase(),
      requesterTeamsId: ctx.actor.teamsUserId,
      tenantId: session.tenantId,
      commandName: command.name,
      commandText: ctx.request.text.replace(/\s--(reason|ticket)(=|\s+)("[^"]*"|'[^']*'|\S+)/g, ''),
      args,
      resolvedTarget: target,
      justification,
      ticket,
      conversationRef: { card: reference, requester: reference } satisfies StoredRefs,
      viewerIds,
      ttlMs: this.deps.settings.ttlMs,
    });
    await this.deps.audit?.append({
      actorAadId: session.oid,
      actorUpn: session.upn.toLowerCase(),
      conversationId: ctx.conversation.id,
      action: 'approval.request',
      command: command.name,
      args: redactArgs(args),
      tier: command.tier,
      mfa: session.mfa,
      approvalId: row.id,
      outcome: 'pending',
    });
    return approvalCard(row, { kind: 'observer' });
  }

  async forUser(aadId: string, tenantId: string): Promise<{ waiting: ApprovalRow[]; mine: ApprovalRow[] }> {
    return this.repo.forUser(aadId, tenantId);
  }

  /** Remembers which message shows the request, so decisions can update it for everyone. */
  async attachActivity(id: string, activityId: string | undefined): Promise<void> {
    if (activityId) await this.repo.setActivity(id, activityId);
  }

  async decide(
    ctx: CommandContext,
    id: string,
    decision: 'approved' | 'rejected',
    approver: AdminSession,
    note?: string,
  ): Promise<CommandResult> {
    const row = await this.mustGet(id, approver.tenantId);
    const command = this.deps.registry.find(row.command_name);
    if (row.requester_aad_id === approver.oid) {
      throw new CodedError(
        ErrorCode.Forbidden,
        'You cannot approve or reject your own request: a second admin must decide.',
      );
    }
    // Releasing needs the full eligibility rule; a rejection runs nothing, so any bot admin but the requester
    // may reject.
    if (decision === 'approved') await this.mustBeEligible(ctx, row, command, approver);
    else if (!approver.roleTemplateIds.some((r) => this.deps.settings.approverRoleTemplateIds.includes(r))) {
      throw new CodedError(ErrorCode.Forbidden, `Your roles do not allow deciding "${row.command_name}".`);
    }
    const won = await this.repo.decide(
      row.id,
      decision,
      { aadId: approver.oid, upn: approver.upn.toLowerCase() },
      note,
    );
    const current = await this.mustGet(row.id);
    await this.deps.audit?.append({
      actorAadId: approver.oid,
      actorUpn: approver.upn.toLowerCase(),
      conversationId: ctx.conversation.id,
      action: 'approval.decision',
      command: row.command_name,
      tier: 'dangerous',
      mfa: approver.mfa,
      approvalId: row.id,
      outcome: won ? decision : `no effect: already ${effectiveStatus(current)}`,
    });
    if (!won)
      return this.statusReply(current, `Request ${row.id} is already ${effectiveStatus(current)}; nothing changed.`);
    await this.refreshSharedCard(current);
    const reply = this.statusReply(
      current,
      decision === 'approved'
        ? `You approved request ${row.id}. It runs now; the request's card shows the outcome, and the requester ` +
            `gets the command's answer.`
        : `You rejected request ${row.id}. Nothing will run.`,
    );
    return decision === 'approved' ? { ...reply, followUp: this.release(current) } : reply;
  }

  async cancel(ctx: CommandContext, id: string, requester: AdminSession): Promise<CommandOutput> {
    const row = await this.mustGet(id, requester.tenantId);
    if (row.requester_aad_id !== requester.oid)
      throw new CodedError(ErrorCode.Forbidden, 'Only the admin who asked can cancel a request.');
    const won = await this.repo.cancel(row.id, requester.oid);
    const current = await this.mustGet(row.id);
    await this.deps.audit?.append({
      actorAadId: requester.oid,
      actorUpn: requester.upn.toLowerCase(),
      conversationId: ctx.conversation.id,
      action: 'approval.cancel',
      command: row.command_name,
      approvalId: row.id,
      outcome: won ? 'cancelled' : `no effect: already ${effectiveStatus(current)}`,
    });
    if (won) await this.refreshSharedCard(current);
    return this.statusReply(
      current,
      won ? `Request ${row.id} is cancelled.` : `Request ${row.id} is already ${effectiveStatus(current)}.`,
    );
  }

  /** The card as this viewer should see it (for Universal Actions refresh invokes; never updates the message). */
  async viewFor(
    id: string,
    viewer: { aadObjectId?: string; tenantId?: string },
    roles?: string[],
  ): Promise<CommandOutput | undefined> {
    const row = await this.repo.get(id);
    // Requests of another tenant do not exist for this viewer (a multi-tenant bot serves several).
    if (!row || !viewer.tenantId || row.tenant_id !== viewer.tenantId) return undefined;
    let kind: Viewer['kind'] = 'observer';
    if (viewer.aadObjectId === row.requester_aad_id) kind = 'requester';
    else if (roles && roles.some((r) => this.deps.settings.approverRoleTemplateIds.includes(r))) kind = 'approver';
    else if (!roles && viewer.aadObjectId) kind = 'approver'; // eligibility is checked again when they decide
    return approvalCard(row, { kind });
  }

  /** Expires overdue requests and marks executions abandoned by a crash as "outcome unknown". */
  async sweep(abandonAfterMs = 10 * 60 * 1000): Promise<void> {
    for (const row of await this.repo.expireDue()) await this.refreshSharedCard(row).catch(() => undefined);
    for (const row of await this.repo.markAbandoned(abandonAfterMs)) {
      const current = await this.repo.get(row.id);
      if (current) await this.refreshSharedCard(current).catch(() => undefined);
    }
  }

  /** The approved request `id` as work for the runner (what approving it releases). */
  async released(id: string): Promise<FollowUpRun> {
    return this.release(await this.mustGet(id));
  }

  /**
   * The approved request as work for the runner: it runs once, as the requester (current sign-in, roles asked of
   * Graph again), audited as `approval.execute.*`, its card posted where it was asked. The conditional claim
   * decides who runs it, across instances; from the claim on, every way out leaves a final status.
   */
  private release(row: ApprovalRow): FollowUpRun {
    const refs = JSON.parse(row.conversation_ref) as StoredRefs;
    const tenantId = row.tenant_id ?? undefined;
    let claimed = false;
    const refuse = (reason: string, message: string): GateDecision => ({
      kind: 'refuse',
      reason,
      reply: notice(`Request ${row.id} was not run`, message),
    });
    return {
      request: {
        origin: 'approved',
        text: row.command_text,
        args: JSON.parse(row.args ?? '{}'),
        actor: { teamsUserId: row.requester_teams_id ?? '', aadObjectId: row.requester_aad_id, tenantId },
        conversation: { id: refs.requester.conversationId, kind: refs.requester.kind, tenantId },
        address: refs.requester,
        audit: { prefix: 'approval.execute', approvalId: row.id },
        authorize: async () => {
          if (!(await this.repo.claimExecution(row.id))) {
            return refuse('already-claimed', 'Another instance is running it, or it is no longer approved.');
          }
          claimed = true;
          try {
            const session = await this.deps.sessions(row.requester_aad_id, row.tenant_id ?? '');
            if (session) return { kind: 'allow', session };
            return refuse(
              'requester-not-admin',
              'The requester is no longer signed in or no longer an admin; nothing was run.',
            );
          } catch (err) {
            const why = isCodedError(err) ? ` (${err.message})` : '';
            return refuse(
              'requester-unverifiable',
              `The requester's sign-in and roles could not be checked${why}; nothing was run.`,
            );
          }
        },
      },
      // The group sees the outcome on the shared card; the command's own answer is the requester's.
      reply: privateReply(this.deps.messenger, refs.requester, row.requester_teams_id ?? undefined, this.deps.log),
      done: async (outcome) => {
        if (!claimed) return;
        const status = outcome.outcome === 'ok' ? 'succeeded' : 'failed';
        if (status === 'failed') {
          this.deps.log.warn(
            { approvalId: row.id, errorCode: outcome.errorCode ?? outcome.outcome },
            'approved command failed',
          );
        }
        await this.repo.finish(row.id, status, outcome.detail, outcome.requestIds);
        await this.refreshSharedCard(await this.mustGet(row.id)).catch((err: unknown) =>
          this.deps.log.warn({ approvalId: row.id, err: String(err) }, 'approval card not updated'),
        );
      },
    };
  }

  /** Updates the shared message for everyone (the observer view; listed viewers refresh into their own). */
  async refreshSharedCard(row: ApprovalRow): Promise<void> {
    if (!row.activity_id) return;
    const refs = JSON.parse(row.conversation_ref) as StoredRefs;
    await this.deps.messenger.update(
      { address: refs.card, messageId: row.activity_id },
      approvalCard(row, { kind: 'observer' }),
    );
  }

  /**
   * Resolves a `user` argument to one object now, as the requester, and pins the object id into the arguments:
   * the approver sees exactly who is affected, and the approved run cannot land on someone else if names change.
   */
  private async pinTarget(
    ctx: CommandContext,
    args: unknown,
    session: AdminSession,
  ): Promise<{ args: unknown; target: string }> {
    const record = (args ?? {}) as Record<string, unknown>;
    const graphFor = ctx.services.graphFor;
    if (typeof record.user !== 'string' || !graphFor) return { args, target: describeTarget(args) };
    const user = await resolveUser(graphFor(session), record.user);
    const pinned = { ...record, user: user.id };
    const rest = describeTarget({ ...pinned, user: undefined });
    const target = { upn: user.userPrincipalName ?? '', id: user.id, displayName: user.displayName ?? '', rest };
    return { args: pinned, target: encodePinnedTarget(target) };
  }

  /**
   * The approver must hold a role that could run the command, and a privileged target (a Global, Privileged Role or
   * Privileged Authentication Administrator, active or eligible) needs a privileged approver (see eligibility.ts).
   * The target's roles are read now, as the approver: if they cannot be read, nothing is decided.
   */
  private async mustBeEligible(
    ctx: CommandContext,
    row: ApprovalRow,
    command: AnyCommand | undefined,
    approver: AdminSession,
  ): Promise<void> {
    const fallback = this.deps.settings.approverRoleTemplateIds;
    const subject = command ?? { name: row.command_name, area: '' };
    let verdict = approverEligibility(approver.roleTemplateIds, subject, fallback);
    const target = (JSON.parse(row.args ?? '{}') as { user?: unknown }).user;
    if (verdict.ok && target !== undefined && target !== null && !(typeof target === 'string' && isGuid(target))) {
      // A target that was not pinned to an object id cannot have its roles read: never assume it is unprivileged.
      this.deps.log.warn({ approvalId: row.id }, 'approval target is not an object id; refusing to decide');
      throw new CodedError(
        ErrorCode.Forbidden,
        `The target of request ${row.id} is not pinned to a directory object, so the bot cannot tell whether it ` +
          `is a privileged admin. Nothing was decided.`,
      );
    }
    if (verdict.ok && typeof target === 'string' && isGuid(target)) {
      let targetRoles: string[];
      try {
        targetRoles = await targetRoleTemplateIds(graphOf(ctx), target);
      } catch (err) {
        this.deps.log.warn(
          { approvalId: row.id, errorCode: isCodedError(err) ? err.code : 'internal' },
          "could not read the target's roles for approver eligibility",
        );
        throw new CodedError(
          ErrorCode.Forbidden,
          `The bot could not read the directory roles of the target of request ${row.id} with your sign-in, so ` +
            `it cannot tell whether the target is a privileged admin. Nothing was decided; a Global Administrator ` +
            `can decide it.`,
        );
      }
      verdict = approverEligibility(approver.roleTemplateIds, subject, fallback, targetRoles);
    }
    if (!verdict.ok) {
      await this.deps.audit?.append({
        actorAadId: approver.oid,
        actorUpn: approver.upn.toLowerCase(),
        conversationId: ctx.conversation.id,
        action: 'approval.refused',
        command: row.command_name,
        tier: 'dangerous',
        mfa: approver.mfa,
        approvalId: row.id,
        outcome: 'approver-not-eligible',
      });
      throw new CodedError(ErrorCode.Forbidden, `${verdict.reason} Nothing was decided.`);
    }
  }

  private async viewers(ctx: CommandContext): Promise<string[]> {
    // Requester first; then the conversation's members, so each sees their own view (Teams allows ≤ 60).
    const ids = new Set<string>([ctx.actor.teamsUserId]);
    if (ctx.conversation.kind !== 'personal') {
      try {
        for (const member of await this.deps.messenger.members(ctx.address, 59)) ids.add(member);
      } catch (err) {
        this.deps.log.debug({ err: String(err) }, 'could not list conversation members for card views');
      }
    }
    return [...ids].slice(0, 60);
  }

  private async mustGet(id: string, tenantId?: string): Promise<ApprovalRow> {
    const row = await this.repo.get(id);
    if (!row || (tenantId !== undefined && row.tenant_id !== tenantId))
      throw new CodedError(ErrorCode.NotFound, `There is no approval request ${id}.`);
    return row;
  }

  private statusReply(row: ApprovalRow, message: string): CommandOutput {
    const final = FINAL_STATUSES.includes(effectiveStatus(row));
    // The decider's own answer: the shared card already shows everyone the request's state.
    return {
      ...notice(`Request ${row.id}`, message, {
        actions: final ? [] : [{ title: 'Show request', command: `approval ${row.id}` }],
        text: message,
      }),
      audience: 'actor',
    };
  }
}

function describeTarget(args: unknown): string {
  const values = Object.entries(redactArgs(args)).filter(([, v]) => v !== undefined && v !== false);
  return values.map(([k, v]) => `${k}: ${String(v)}`).join(' · ') || '—';
}
