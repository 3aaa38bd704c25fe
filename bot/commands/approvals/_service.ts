import { z } from 'zod';
import { CodedError, ErrorCode } from '../../errors.js';
import type { ApprovalsPort, CommandContext } from '../types.js';

export function approvalsOf(ctx: CommandContext): ApprovalsPort {
  if (!ctx.services.approvals) throw new CodedError(ErrorCode.Internal, 'Approvals are not configured on this bot.');
  return ctx.services.approvals;
}

/** Request ids are 10 hex characters; anything else is refused before touching the store. */
export const APPROVAL_ID = /^[0-9A-Fa-f]{10}$/;

/** `approval <verb> <id>`: the argument of every command about one approval request. */
export const approvalIdArg = z.string().regex(APPROVAL_ID, 'is not an approval id (10 characters, 0-9 A-F)');
