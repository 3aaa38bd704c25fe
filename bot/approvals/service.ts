import { randomUUID } from 'node:crypto';
import { MessageFactory, TurnContext, type CloudAdapterBase, type ConversationReference } from 'botbuilder';
import type { AuditLog } from '../audit/log.js';
import { redactArgs } from '../audit/redact.js';
import { cardAttachment, renderCard, summaryText } from '../cards/render.js';
import { graphOf, requestIdsOf } from '../commands/_lib/context.js';
import { resolveUser } from '../commands/_lib/users.js';
import type { CommandRegistry } from '../commands/registry.js';
import { outputActivity } from '../commands/send.js';
import type { AdminSession, AnyCommand, CommandContext, CommandOutput, CommandServices } from '../commands/types.js';
import { CodedError, ErrorCode, isCodedError } from '../errors.js';
import { isGuid } from '../graph/odata.js';
import type { Logger } from '../log.js';
import { approverEligibility, targetRoleTemplateIds } from './eligibility.js';
import { encodePinnedTarget } from './target.js';
import { ApprovalRepository, FINAL_STATUSES, effectiveStatus, type ApprovalRow } from './repository.js';
import { approvalCard, type Viewer } from './view.js';

/** Finds a user's current session (cached sign-in, roles re-checked) without prompting: for running approved work. */
export type SessionSource = (aadObjectId: string, tenantId: string) => Promise<AdminSession | undefined>;

export interface ApprovalSettings {
  ttlMs: number;
  /** Directory role template ids allowed to approve (a command's own `roles` narrow it further). */
  approverRoleTemplateIds: string[];
}

interface StoredRefs {
  card: Partial<ConversationReference>;
  requester: Partial<ConversationReference>;
}

/**
 * The two-person rule for `dangerous` commands: the request is recorded and shown as a card; a decision is one
 * conditional update (first wins, never the requester, never after expiry); the approved command runs once, in
 * the background, as the requester, and the card and the requester are told the outcome. Every step is audited.
 */
export class ApprovalService {
  readonly repo: ApprovalRepository;

  constructor(
    private readonly deps: {
      repo: ApprovalRepository;
      audit?: AuditLog;
      registry: CommandRegistry;
      /** Resolved when needed: the service is created before the app that owns the adapter. */
      adapter: () => CloudAdapterBase;
      botAppId: string;
      sessions: SessionSource;
      services: () => CommandServices;
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
    const reference = TurnContext.getConversationReference(ctx.turn.activity);
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
  ): Promise<CommandOutput> {
    const row = await this.mustGet(id, approver.tenantId);
    const command = this.deps.registry.find(row.command_name);
    if (row.requester_aad_id === approver.oid) {
      throw new CodedError(
        ErrorCode.Forbidden,
        'You cannot approve or reject your own request: a second admin must decide.',
      );
    }
    // Releasing needs the full eligibility rule; a rejection runs nothing, so any bot admin but the requester may
    // reject.
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
    if (decision === 'approved') this.executeSoon(current.id);
    return this.statusReply(
      current,
      decision === 'approved'
        ? `You approved request ${row.id}. It runs now; the outcome is posted here and to the requester.`
        : `You rejected request ${row.id}. Nothing will run.`,
    );
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

  /** Runs an approved request once: the conditional claim decides who runs it, across instances. */
  async execute(id: string): Promise<void> {
    if (!(await this.repo.claimExecution(id))) return;
    const row = await this.mustGet(id);
    const refs = JSON.parse(row.conversation_ref) as StoredRefs;
    const command = this.deps.registry.find(row.command_name);
    // Claimed: from here every way out must leave a final status, or the row stays "executing" until the sweeper
    // calls it "outcome unknown" although nothing ran.
    let session: AdminSession | undefined;
    try {
      session = command ? await this.deps.sessions(row.requester_aad_id, row.tenant_id ?? '') : undefined;
    } catch (err) {
      return this.finishUnrun(
        id,
        `The requester's sign-in and roles could not be checked${isCodedError(err) ? ` (${err.message})` : ''}; nothing was run.`,
      );
    }
    if (!command || !session) {
      return this.finishUnrun(
        id,
        command
          ? 'The requester is no longer signed in or no longer an admin; nothing was run.'
          : 'Unknown command; nothing was run.',
      );
    }
    let start;
    try {
      start = await this.deps.audit?.append({
        actorAadId: session.oid,
        actorUpn: session.upn.toLowerCase(),
        conversationId: refs.requester.conversation?.id,
        action: 'approval.execute.start',
        command: row.command_name,
        args: redactArgs(JSON.parse(row.args ?? '{}')),
        tier: 'dangerous',
        mfa: session.mfa,
        approvalId: id,
        outcome: 'started',
      });
    } catch {
      return this.finishUnrun(id, 'The audit record could not be written, so nothing was run.');
    }
    await this.deps.adapter().continueConversationAsync(this.deps.botAppId, refs.requester, async (turn) => {
      const conversation = {
        id: refs.requester.conversation?.id ?? '',
        kind: conversationKind(refs.requester),
        tenantId: row.tenant_id ?? undefined,
      };
      const actor = {
        teamsUserId: row.requester_teams_id ?? '',
        aadObjectId: row.requester_aad_id,
        tenantId: row.tenant_id ?? undefined,
      };
      const ctx: CommandContext = {
        turn,
        request: { text: row.command_text, actor, conversation },
        actor,
        conversation,
        correlationId: randomUUID(),
        log: this.deps.log,
        services: this.deps.services(),
        session,
      };
      let status: 'succeeded' | 'failed' = 'succeeded';
      let outcome: string;
      try {
        const output = await command.run(ctx, JSON.parse(row.args ?? '{}'));
        outcome = output.text.slice(0, 300);
        await turn.sendActivity(outputActivity(output));
      } catch (err) {
        status = 'failed';
        outcome = isCodedError(err) ? err.message.slice(0, 300) : 'The command failed unexpectedly.';
        this.deps.log.warn(
          { approvalId: id, errorCode: isCodedError(err) ? err.code : 'internal' },
          'approved command failed',
        );
      }
      const requestIds = requestIdsOf(ctx);
      await this.repo.finish(id, status, outcome, requestIds);
      await this.deps.audit?.append({
        actorAadId: session.oid,
        actorUpn: session.upn.toLowerCase(),
        action: 'approval.execute.end',
        command: row.command_name,
        approvalId: id,
        completes: start?.id,
        graphRequestIds: requestIds,
        outcome: status,
      });
    });
    await this.refreshSharedCard(await this.mustGet(id));
  }

  private async finishUnrun(id: string, outcome: string): Promise<void> {
    await this.repo.finish(id, 'failed', outcome, []);
    await this.refreshSharedCard(await this.mustGet(id)).catch((err: unknown) =>
      this.deps.log.warn({ approvalId: id, err: String(err) }, 'approval card not updated'),
    );
  }

  private executeSoon(id: string): void {
    // Answer the click first (Teams allows an invoke only a few seconds), then run the Graph work.
    setImmediate(() => {
      this.execute(id).catch((err: unknown) =>
        this.deps.log.error({ approvalId: id, err: String(err) }, 'approval execution failed'),
      );
    });
  }

  /** Updates the shared message for everyone (the observer view; listed viewers refresh into their own). */
  async refreshSharedCard(row: ApprovalRow): Promise<void> {
    if (!row.activity_id) return;
    const refs = JSON.parse(row.conversation_ref) as StoredRefs;
    const output = approvalCard(row, { kind: 'observer' });
    await this.deps.adapter().continueConversationAsync(this.deps.botAppId, refs.card, async (turn) => {
      const activity = MessageFactory.attachment(cardAttachment(renderCard(output.card, output.data, output.text)));
      activity.id = row.activity_id ?? undefined;
      activity.summary = summaryText(output.text);
      await turn.updateActivity(activity);
    });
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
    const graphFor = this.deps.services().graphFor;
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
        `The target of request ${row.id} is not pinned to a directory object, so the bot cannot tell whether it is a privileged admin. Nothing was decided.`,
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
          `The bot could not read the directory roles of the target of request ${row.id} with your sign-in, so it cannot tell whether the target is a privileged admin. Nothing was decided; a Global Administrator can decide it.`,
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
        const { TeamsInfo } = await import('botbuilder');
        const page = await TeamsInfo.getPagedMembers(ctx.turn, 59);
        for (const member of page.members) ids.add(member.id);
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
    return {
      card: 'notice',
      data: {
        title: `Request ${row.id}`,
        message,
        actions: final ? [] : [{ title: 'Show request', command: `approval ${row.id}` }],
      },
      text: message,
    };
  }
}

function describeTarget(args: unknown): string {
  const values = Object.entries(redactArgs(args)).filter(([, v]) => v !== undefined && v !== false);
  return values.map(([k, v]) => `${k}: ${String(v)}`).join(' · ') || '—';
}

function conversationKind(ref: Partial<ConversationReference>): 'personal' | 'groupChat' | 'channel' {
  const type = ref.conversation?.conversationType;
  return type === 'groupChat' || type === 'channel' ? type : 'personal';
}
