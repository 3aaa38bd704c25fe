import { randomUUID } from 'node:crypto';
import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { dispatchCommand, type DispatchDeps } from '../commands/dispatch.js';
import { sendOutput } from '../commands/send.js';
import type { CommandOutput } from '../commands/types.js';
import type { Logger } from '../log.js';
import type { IdentityService } from './service.js';

/** Turn-state key marking a turn that replays a parked command (`claimsRetry`: it is already the retry). */
export const RESUMED_OPERATION = Symbol('resumedOperation');

export interface ResumedOperation {
  id: string;
  claimsRetry: boolean;
}

/** What the identity module needs from the bot to post proactively and replay commands (set once the app exists). */
export interface BotLink {
  adapter: CloudAdapter;
  botAppId: string;
  deps: DispatchDeps;
  log: Logger;
}

/**
 * Continues a conversation after a sign-in completed outside it (browser callback): posts the announcement, then
 * replays the parked command.
 */
export async function continueInConversation(
  link: BotLink,
  reference: Partial<ConversationReference>,
  logic: (turn: TurnContext) => Promise<void>,
): Promise<void> {
  await link.adapter.continueConversationAsync(link.botAppId, reference, logic);
}

/**
 * Replays the parked command `operationId` in `turn`, if it is still waiting: the status moves off `waiting` in one
 * conditional update, so a command resumes at most once however many completions race (SSO from two clients,
 * the link and SSO together). The gate runs again, so a command that now needs MFA asks for it.
 */
export async function resumeParked(
  identity: IdentityService,
  link: BotLink,
  turn: TurnContext,
  operationId: string,
  expectedUser: string,
): Promise<boolean> {
  const operation = await identity.pending.find(operationId);
  if (!operation || operation.userAadId.toLowerCase() !== expectedUser.toLowerCase()) return false;
  // A command resumes only where it was asked (and where its answer may be read).
  if (operation.conversationId !== turn.activity.conversation?.id) return false;
  if (!(await identity.pending.claim(operationId))) return false;
  const correlationId = String(turn.turnState.get('correlationId') ?? randomUUID());
  turn.turnState.set(RESUMED_OPERATION, {
    id: operation.id,
    claimsRetry: operation.claimsRetry,
  } satisfies ResumedOperation);
  const outcome = await dispatchCommand(turn, operation.request, link.deps, link.log, correlationId);
  link.log.info(
    { correlationId, command: outcome.command, outcome: outcome.outcome, resumed: true },
    'parked command resumed',
  );
  return true;
}

export async function announce(turn: TurnContext, output: CommandOutput): Promise<void> {
  await sendOutput(turn, output);
}
