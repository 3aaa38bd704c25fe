import type { CommandOutput } from '../commands/types.js';
import { effectiveStatus, type ApprovalRow, type ApprovalStatus } from './repository.js';
import { decodePinnedTarget } from './target.js';

/** Per status: the badge, and the card's title, which says what happened once the request is decided. */
const STATUS: Record<ApprovalStatus, { label: string; color: string; title: string }> = {
  pending: { label: 'Waiting for approval', color: 'Warning', title: 'Approval needed' },
  approved: { label: 'Approved', color: 'Good', title: 'Approved' },
  executing: { label: 'Running…', color: 'Accent', title: 'Approved, running' },
  succeeded: { label: 'Done', color: 'Good', title: 'Approved and run' },
  failed: { label: 'Failed', color: 'Attention', title: 'Approved, failed' },
  unknown: { label: 'Outcome unknown — verify', color: 'Attention', title: 'Approved, outcome unknown' },
  rejected: { label: 'Rejected', color: 'Attention', title: 'Rejected' },
  cancelled: { label: 'Cancelled', color: 'Default', title: 'Cancelled' },
  expired: { label: 'Expired', color: 'Default', title: 'Expired' },
};

/** What the command line is to the reader: still to run, run, or only asked for. */
const COMMAND_LABEL: Record<ApprovalStatus, string> = {
  pending: 'What will run',
  approved: 'What will run',
  executing: 'Running now',
  succeeded: 'What ran',
  failed: 'What ran',
  unknown: 'What ran (outcome unknown)',
  rejected: 'What was asked',
  cancelled: 'What was asked',
  expired: 'What was asked',
};

export type Viewer = { kind: 'requester' } | { kind: 'approver' } | { kind: 'observer' };

/**
 * The approval card as one viewer should see it (Universal Actions user-specific views): an eligible approver
 * gets Approve/Reject, the requester gets Cancel, everyone else the status. The shared message (what the bot
 * posts and updates) is the observer view; each listed viewer's client refreshes it into their own.
 */
export function approvalCard(row: ApprovalRow, viewer: Viewer, now = Date.now()): CommandOutput {
  const status = effectiveStatus(row, now);
  const pending = status === 'pending';
  const minutesLeft = Math.max(0, Math.round((Number(row.expires_at) - now) / 60000));
  const viewerIds = JSON.parse(row.viewer_ids ?? '[]') as string[];
  const requestIds = (JSON.parse(row.graph_request_ids ?? '[]') as string[]).join(', ');
  const viewerNote = pending
    ? viewer.kind === 'approver'
      ? 'You can approve: another admin asked, and your role allows it. Deciding needs MFA within the last 5 ' +
        'minutes; you will be asked for it if needed.'
      : viewer.kind === 'requester'
        ? 'Waiting for another admin. You cannot approve your own request.'
        : 'Only an eligible admin other than the requester can decide.'
    : status === 'unknown'
      ? 'The bot stopped while running this. It is never re-run automatically: check the tenant, then run the ' +
        'command again if needed.'
      : '';
  return {
    card: 'approval',
    data: {
      id: row.id,
      live: pending || status === 'approved' || status === 'executing',
      viewerIds,
      headline: `${STATUS[status].title}: ${row.command_name}`,
      commandLabel: COMMAND_LABEL[status],
      commandText: row.command_text,
      requester: row.requester_upn,
      ...targetFields(row.resolved_target),
      justification: row.justification,
      ticket: row.ticket ?? '—',
      expires: pending
        ? `in ${minutesLeft} min (${new Date(Number(row.expires_at)).toISOString().slice(11, 16)} UTC)`
        : new Date(Number(row.expires_at)).toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      statusLabel: STATUS[status].label,
      statusColor: STATUS[status].color,
      decidedBy: row.decided_by_upn ?? '',
      outcome: row.outcome ?? '',
      requestIds,
      viewerNote,
      canDecide: pending && viewer.kind === 'approver',
      canCancel: pending && viewer.kind === 'requester',
    },
    text: `Approval ${row.id} for "${row.command_text}" by ${row.requester_upn}: ${STATUS[status].label}.`,
  };
}

/**
 * The target by verified identity: the UPN and object id Graph returned at request time come first; the display
 * name (anyone who may edit the profile chooses it) is shown apart, labelled as the directory's.
 */
function targetFields(stored: string) {
  const pinned = decodePinnedTarget(stored);
  return pinned
    ? {
        pinned: true,
        target: '',
        targetUpn: pinned.upn,
        targetId: pinned.id,
        targetName: pinned.displayName,
        targetArgs: pinned.rest,
      }
    : { pinned: false, target: stored, targetUpn: '', targetId: '', targetName: '', targetArgs: '—' };
}
