import { randomUUID } from 'node:crypto';
import type { Messenger } from '../commands/ports.js';
import { privateReply } from '../commands/private-reply.js';
import type { Reply } from '../commands/types.js';
import type { PendingOperation } from './pending-operations.js';
import type { CommandRunner } from '../commands/runner.js';
import type { Logger } from '../log.js';
import type { IdentityService } from './service.js';

/** What the identity module needs to tell a conversation about a sign-in and replay the parked command. */
export interface ResumeLink {
  messenger: Messenger;
  runner: CommandRunner;
  log: Logger;
}

/**
 * Replays the parked command `operationId`, if it is still waiting, in the conversation it was asked in: the status
 * moves off `waiting` in one conditional update, so a command resumes at most once however many completions race
 * (SSO from two clients, the link and SSO together). The gate runs again, so a command that now needs MFA asks.
 * `conversationId` is where the completion happened (an SSO invoke's conversation): a command resumes only there.
 */
export async function resumeParked(
  identity: IdentityService,
  link: ResumeLink,
  operationId: string,
  expectedUser: string,
  conversationId?: string,
): Promise<boolean> {
  let operation = await identity.pending.find(operationId);
  if (!operation || operation.userAadId.toLowerCase() !== expectedUser.toLowerCase()) return false;
  if (operation.status === 'superseded') {
    // Clicked twice at once, parked twice: the same command, still waiting, is the one this sign-in was for.
    operation =
      (await identity.pending.waitingWith(operation.userAadId, operation.conversationId, operation.request.text)) ??
      operation;
  }
  if (conversationId !== undefined && operation.conversationId !== conversationId) return false;
  if (!(await identity.pending.claim(operation.id))) return false;
  const correlationId = randomUUID();
  const outcome = await link.runner.run(
    {
      ...operation.request,
      origin: 'resumed',
      address: operation.address,
      correlationId,
      claimsRetry: operation.claimsRetry,
    },
    answerFor(link, operation),
  );
  link.log.info(
    { correlationId, command: outcome.command, outcome: outcome.outcome, resumed: true },
    'parked command resumed',
  );
  return true;
}

/** Where a parked command's later answers go: its conversation, or only its person for a group chat's card click. */
export function answerFor(link: ResumeLink, operation: PendingOperation): Reply {
  return privateReply(link.messenger, operation.address, operation.answerPrivately, link.log);
}
