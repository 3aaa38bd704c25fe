import { pimReasonArg } from './_pim.js';
import { z } from 'zod';
import { GraphRequestError } from '../../graph/errors.js';
import { isGuid } from '../../graph/odata.js';
import { graphOf } from '../_lib/context.js';
import { explainGraphError } from '../_lib/graph-hint.js';
import { utcText } from '../_lib/time-args.js';
import { defineCommand, type CommandOutput } from '../types.js';

/** PIM approvals of directory role activations exist only in Graph beta (absent from the v1.0 CSDL). */
const APPROVALS = '/roleManagement/directory/roleAssignmentApprovals';

/** A beta `approvalStep`. */
interface ApprovalStep {
  id: string;
  status?: string;
  reviewResult?: string;
  assignedToMe?: boolean;
  justification?: string | null;
  reviewedDateTime?: string | null;
  reviewedBy?: { user?: { id?: string; displayName?: string | null } | null } | null;
}

const NOTHING_CHANGED = { status: 'Nothing changed', statusColor: 'Warning' } as const;

/** The card when there is no step for this admin to review: already decided, someone else's, or none at all. */
function nothingToReview(approvalId: string, steps: ApprovalStep[]): CommandOutput {
  const reviewed = steps.filter((s) => s.status === 'Completed');
  const othersOpen = steps.some((s) => s.status === 'InProgress');
  const facts = [
    { title: 'Approval id', value: approvalId },
    ...reviewed.map((s) => ({
      title: 'Reviewed',
      value: `${s.reviewResult ?? 'unknown'} by ${s.reviewedBy?.user?.displayName ?? s.reviewedBy?.user?.id ?? 'unknown'}${s.reviewedDateTime ? ` on ${utcText(s.reviewedDateTime)}` : ''}${s.justification ? `: ${s.justification}` : ''}`,
    })),
  ];
  const [title, message] = othersOpen
    ? [
        'Not yours to review',
        "This approval is waiting for a reviewer, but PIM has not assigned its open step to you. Only the role's " +
          'approvers can decide it.',
      ]
    : reviewed.length > 0
      ? ['Already reviewed', 'Every step of this approval has been decided; nothing is left to approve or deny.']
      : ['Nothing to approve', 'PIM lists no review step for this approval.'];
  return {
    card: 'tenant-change',
    data: { title, ...NOTHING_CHANGED, message, facts, requestId: '', actions: [] },
    text: `PIM approval ${approvalId}: ${title.toLowerCase()}; nothing changed.`,
  };
}

export default defineCommand({
  name: 'pim approve',
  summary: 'Approves (or with --deny, denies) a PIM role activation waiting for you, with a reason (Graph beta).',
  usage: 'pim approve <approvalId> --reason <text> [--deny]',
  examples: [
    'pim approve 5f0d3c4e-1a2b-4c3d-9e8f-0a1b2c3d4e5f --reason "Matches change INC123"',
    'pim approve 5f0d3c4e-1a2b-4c3d-9e8f-0a1b2c3d4e5f --deny --reason "No ticket for this"',
  ],
  args: {
    positional: ['approvalId'],
    schema: z
      .object({
        approvalId: z
          .string()
          .trim()
          .refine(isGuid, 'is the approval id PIM gave (a GUID, shown as "Approval id" on the request)'),
        reason: pimReasonArg,
        deny: z.boolean().default(false),
      })
      .strict(),
  },
  tier: 'write',
  // Scope [unverified]: the catalog (#14) takes RoleAssignmentSchedule.ReadWrite.Directory for the beta approval
  // steps without a verified source; the Graph stand-in requires it for the PATCH (and its Read for the GET).
  scopes: ['RoleAssignmentSchedule.ReadWrite.Directory'],
  async run(ctx, args) {
    const graph = graphOf(ctx);
    // Graph ids are case-insensitive; the GUID check above keeps the key segment free of anything but hex and dashes.
    const approvalId = args.approvalId.toLowerCase();
    const stepsPath = `${APPROVALS}/${approvalId}/steps`;
    const steps = (await graph.get<{ value: ApprovalStep[] }>(stepsPath, undefined, 'beta')).body.value ?? [];
    const mine = steps.find((s) => s.status === 'InProgress' && s.assignedToMe === true);
    if (!mine) return nothingToReview(approvalId, steps);

    const decision = args.deny ? 'Deny' : 'Approve';
    let response;
    try {
      response = await graph.patch(
        `${stepsPath}/${mine.id}`,
        { reviewResult: decision, justification: args.reason },
        undefined,
        'beta',
      );
    } catch (err) {
      if (err instanceof GraphRequestError && err.status === 403) {
        throw explainGraphError(
          err,
          'PIM did not take your decision: you are not an approver of this request (requesters cannot approve ' +
            'their own).',
        );
      }
      throw err;
    }
    const approved = decision === 'Approve';
    return {
      card: 'tenant-change',
      data: {
        title: approved ? 'Role activation approved' : 'Role activation denied',
        status: approved ? 'Approved' : 'Denied',
        statusColor: approved ? 'Good' : 'Attention',
        message: approved
          ? 'PIM activates the role for the requester now, for the duration they asked; they see it in "pim active".'
          : 'PIM denied the request; the requester does not get the role and can ask again.',
        facts: [
          { title: 'Approval id', value: approvalId },
          { title: 'Decision', value: decision },
          { title: 'Reason', value: args.reason },
          { title: 'Review step', value: mine.id },
        ],
        requestId: response.requestId ?? '',
        actions: [],
      },
      text: `PIM approval ${approvalId}: ${approved ? 'approved' : 'denied'} (request-id ${response.requestId ?? 'n/a'}).`,
    };
  },
});
