import type { AuditTrail } from './audited-run.js';
import { notice } from './notice.js';
import type { AnyCommand, CommandContext, CommandOutput } from './types.js';

export interface ApprovalOptions {
  reason?: string;
  ticket?: string;
}

/**
 * `--reason` and `--ticket` belong to the approval, not to the command: they are taken out before the command's
 * own arguments are bound, so every dangerous command accepts them without declaring them.
 */
export function takeApprovalOptions(words: string[]): { words: string[]; approval: ApprovalOptions } {
  const rest: string[] = [];
  const approval: ApprovalOptions = {};
  for (let i = 0; i < words.length; i++) {
    const match = /^--(reason|justification|ticket)(?:=(.*))?$/i.exec(words[i]);
    if (!match) {
      rest.push(words[i]);
      continue;
    }
    const value = match[2] ?? words[++i];
    if (value === undefined) continue;
    if (match[1].toLowerCase() === 'ticket') approval.ticket = value;
    else approval.reason = value;
  }
  return { words: rest, approval };
}

/** A justification is a sentence, not a token: at least a few characters of text. */
const MIN_REASON = 5;

/**
 * Hands a dangerous command to the two-person rule: asks for a justification when missing (a card with a text
 * box whose button re-sends the command with it), else records the request; the caller posts the approval card.
 */
export async function requestApproval(
  ctx: CommandContext & { session: NonNullable<CommandContext['session']> },
  command: AnyCommand,
  args: unknown,
  approval: ApprovalOptions,
  audit: AuditTrail,
): Promise<{ outcome: 'held' | 'refused'; output: CommandOutput; approvalId?: string }> {
  const approvals = ctx.services.approvals;
  if (!approvals) {
    await audit.record('refused', 'approvals-unavailable');
    return {
      outcome: 'refused',
      output: notice(
        'Needs a second admin',
        `"${command.name}" needs another admin's approval, and approvals are not configured on this bot. Nothing ` +
          `was done.`,
        { text: `"${command.name}" needs approval, which is not configured; nothing was done.` },
      ),
    };
  }
  if (!approval.reason || approval.reason.trim().length < MIN_REASON) {
    await audit.record('held', 'needs-justification');
    return {
      outcome: 'held',
      output: {
        card: 'justify',
        data: { commandText: ctx.request.text, commandName: command.name },
        text: `"${command.name}" needs a justification for the approver. Add --reason "why".`,
      },
    };
  }
  const output = await approvals.request(ctx, command, args, ctx.session, approval.reason.trim(), approval.ticket);
  return { outcome: 'held', output, approvalId: String(output.data.id) };
}
