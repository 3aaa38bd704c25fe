import type { TurnContext } from 'botbuilder';
import { ErrorCode, isCodedError } from '../errors.js';
import type { Logger } from '../log.js';
import { bindArgs } from './bind-args.js';
import type { CommandGate } from './gate.js';
import { errorOutput } from './error-output.js';
import type { CommandRegistry } from './registry.js';
import { normalizeText, tokenize } from './tokenize.js';
import type {
  AnyCommand,
  CommandContext,
  CommandOutput,
  CommandRequest,
  CommandServices,
  ConversationKind,
} from './types.js';
import { sendOutput } from './send.js';
import { addressOfTurn } from '../teams/messenger.js';
import { auditedRun } from './audited-run.js';
import { requestApproval, takeApprovalOptions } from './approval-request.js';
import { UNDERSTOOD, answerFreeText } from './understand.js';

export interface DispatchDeps {
  registry: CommandRegistry;
  gate: CommandGate;
  services: CommandServices;
}

/** What the turn log records about a message: never the text or arguments, which may hold secrets. */
export interface TurnOutcome {
  command?: string;
  tier?: string;
  outcome: 'ok' | 'empty' | 'held' | 'refused' | 'usage' | 'unknown' | 'error';
  errorCode?: string;
}

function conversationKind(turn: TurnContext): ConversationKind {
  const type = turn.activity.conversation?.conversationType;
  return type === 'groupChat' || type === 'channel' ? type : 'personal';
}

/** Who asked, where, and what: read from a message activity (mention markup and entities already handled). */
export function requestFromActivity(turn: TurnContext): CommandRequest {
  const { from, conversation, channelData } = turn.activity;
  const tenantId = conversation?.tenantId ?? (channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  return {
    text: normalizeText(turn.activity.text ?? ''),
    actor: { teamsUserId: from?.id ?? 'unknown', aadObjectId: from?.aadObjectId, name: from?.name, tenantId },
    conversation: { id: conversation?.id ?? 'unknown', kind: conversationKind(turn), tenantId },
  };
}

/**
 * A message's journey: normalise → split into words → find the command → bind arguments → gate → run → card.
 * Every failure on the way becomes a card; nothing thrown here reaches the adapter's error handler except
 * failures to send.
 */
export async function dispatchCommand(
  turn: TurnContext,
  request: CommandRequest,
  deps: DispatchDeps,
  log: Logger,
  correlationId: string,
): Promise<TurnOutcome> {
  const baseContext = {
    turn,
    request,
    actor: request.actor,
    conversation: request.conversation,
    correlationId,
    log,
    services: deps.services,
    address: addressOfTurn(turn),
  };
  const ctx: CommandContext = baseContext;
  const text = request.text;
  if (!text) {
    await sendOutput(turn, emptyMessageOutput());
    return { outcome: 'empty' };
  }
  let command: AnyCommand | undefined;
  try {
    const words = tokenize(text);
    const match = deps.registry.match(words);
    // Before anything that costs (gate: Graph role check, audit, sign-in state): over the limit, nothing runs.
    // Free text re-entering as its command was counted as the message it is.
    const limited = turn.turnState.get(UNDERSTOOD)
      ? undefined
      : await deps.services.limits?.command(turn, request.actor, match?.command.tier);
    if (limited) {
      await sendOutput(turn, limited);
      return { command: match?.command.name, tier: match?.command.tier, outcome: 'refused', errorCode: 'rate_limited' };
    }
    if (!match) {
      // Free text: a clearly meant read re-enters here as its command; otherwise a "Did you mean…" card was sent.
      const understood = await answerFreeText(turn, text, words, deps.registry, deps.services.phraseModel);
      if (understood) return dispatchCommand(turn, { ...request, text: understood }, deps, log, correlationId);
      return { outcome: 'unknown', errorCode: ErrorCode.UnknownCommand };
    }
    command = match.command;
    const { words: argWords, approval } =
      command.tier === 'dangerous'
        ? takeApprovalOptions(words.slice(match.consumed))
        : { words: words.slice(match.consumed), approval: {} };
    const args = bindArgs(command, argWords);
    if (command.personalOnly && ctx.conversation.kind !== 'personal') {
      await sendOutput(turn, personalOnlyOutput(command));
      return { command: command.name, tier: command.tier, outcome: 'refused' };
    }
    const decision = await deps.gate.check(command, ctx);
    const audited = auditedRun(
      deps.services.audit,
      request,
      command,
      args,
      decision.kind === 'hold' || decision.kind === 'refuse' ? undefined : decision.session,
    );
    if (decision.kind === 'approval') {
      const outcome = await requestApproval(
        turn,
        { ...baseContext, session: decision.session },
        command,
        args,
        approval,
        audited,
      );
      return { command: command.name, tier: command.tier, outcome };
    }
    if (decision.kind !== 'allow') {
      await audited.record(
        decision.kind === 'hold' ? 'command.held' : 'command.refused',
        decision.reason ?? decision.kind,
      );
      await sendOutput(turn, decision.reply);
      return { command: command.name, tier: command.tier, outcome: decision.kind === 'hold' ? 'held' : 'refused' };
    }
    const runContext: CommandContext = { ...baseContext, session: decision.session };
    const output = await audited.run(runContext, () => command!.run(runContext, args), log);
    await sendOutput(turn, output);
    return { command: command.name, tier: command.tier, outcome: 'ok' };
  } catch (err) {
    const output = errorOutput(err, { correlationId, registry: deps.registry, command, requestText: text });
    await sendOutput(turn, output);
    const code = isCodedError(err) ? err.code : ErrorCode.Internal;
    if (code === ErrorCode.Internal) log.error({ err: describeInternal(err), correlationId }, 'command failed');
    return {
      command: command?.name,
      tier: command?.tier,
      outcome:
        code === ErrorCode.Usage || code === ErrorCode.MessageTooLong
          ? 'usage'
          : code === ErrorCode.UnknownCommand
            ? 'unknown'
            : 'error',
      errorCode: code,
    };
  }
}

/** Internal errors are logged with their name and stack for the operator, never shown in chat. */
function describeInternal(err: unknown): Record<string, unknown> {
  return err instanceof Error ? { type: err.name, message: err.message, stack: err.stack } : { value: String(err) };
}

function emptyMessageOutput(): CommandOutput {
  return {
    card: 'notice',
    data: {
      title: 'Nothing to do',
      message: 'Type a command, for example **help** or **whoami**.',
      actions: [{ title: 'help', command: 'help' }],
    },
    text: 'Type a command, for example "help".',
  };
}

function personalOnlyOutput(command: AnyCommand): CommandOutput {
  return {
    card: 'notice',
    data: {
      title: 'Only in a 1:1 chat',
      message: `"${command.name}" answers with a secret, which must not be posted where others can read it. Nothing was done. Send the command to the bot in a personal chat.`,
      actions: [],
    },
    text: `"${command.name}" only runs in a 1:1 chat with the bot; nothing was done.`,
  };
}
