import { randomUUID } from 'node:crypto';
import type { Messenger } from '../commands/ports.js';
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
  const operation = await identity.pending.find(operationId);
  if (!operation || operation.userAadId.toLowerCase() !== expectedUser.toLowerCase()) return false;
  if (conversationId !== undefined && operation.conversationId !== conversationId) return false;
  if (!(await identity.pending.claim(operationId))) return false;
  const correlationId = randomUUID();
  const outcome = await link.runner.run(
    {
      ...operation.request,
      origin: 'resumed',
      address: operation.address,
      correlationId,
      claimsRetry: operation.claimsRetry,
    },
    { send: async (output) => (await link.messenger.post(operation.address, output)).messageId },
  );
  link.log.info(
    { correlationId, command: outcome.command, outcome: outcome.outcome, resumed: true },
    'parked command resumed',
  );
  return true;
}
