import { CodedError, ErrorCode } from '../../errors.js';
import type { ApprovalsPort, CommandContext } from '../types.js';

export function approvalsOf(ctx: CommandContext): ApprovalsPort {
  if (!ctx.services.approvals) throw new CodedError(ErrorCode.Internal, 'Approvals are not configured on this bot.');
  return ctx.services.approvals;
}

/** Request ids are 10 hex characters; anything else is refused before touching the store. */
export const APPROVAL_ID = /^[0-9A-Fa-f]{10}$/;
