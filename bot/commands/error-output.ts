import {
  AmbiguousTargetError,
  CodedError,
  ErrorCode,
  MessageTooLongError,
  UnknownCommandError,
  UsageError,
  isCodedError,
} from '../errors.js';
import { isStoreUnavailable, storeUnavailableOutput } from '../store/unavailable.js';
import { GraphOutcomeUnknownError } from '../graph/errors.js';
import { outcomeCheckFor } from './_lib/outcome-check.js';
import type { CommandRegistry } from './registry.js';
import type { AnyCommand, CommandOutput } from './types.js';

/**
 * Maps any failure to a card: usage problems to the usage card (naming the bad argument), unknown commands to
 * suggestions, coded errors to their own explanation, and everything else to a generic apology with a
 * correlation id: never a message or stack trace of an unexpected exception.
 */
export function errorOutput(
  err: unknown,
  context: { correlationId: string; registry: CommandRegistry; command?: AnyCommand; requestText?: string },
): CommandOutput {
  if (err instanceof AmbiguousTargetError) {
    return {
      card: 'choice',
      data: {
        message: err.message,
        choices: err.candidates.map((c) => ({
          label: c.label,
          command: replayWith(context.requestText ?? '', err.typed, c.value),
        })),
      },
      text: `${err.message} Candidates: ${err.candidates.map((c) => c.value).join(', ')}`,
    };
  }
  if (err instanceof UnknownCommandError) {
    return {
      card: 'unknown-command',
      data: { typed: err.typed, suggestions: err.suggestions.map((name) => ({ name })) },
      text: err.suggestions.length
        ? `Unknown command "${err.typed}". Did you mean: ${err.suggestions.join(', ')}?`
        : `Unknown command "${err.typed}". Type "help" for the list.`,
    };
  }
  if (err instanceof UsageError || err instanceof MessageTooLongError) {
    const command =
      err instanceof UsageError && err.commandName ? context.registry.find(err.commandName) : context.command;
    return {
      card: 'usage',
      data: {
        title: command ? `Couldn't run "${command.name}"` : "Couldn't read that command",
        message: err.message,
        usage: command?.usage ?? '',
        examples: command?.examples ?? [],
        command: command?.name ?? '',
      },
      text: command ? `${err.message} Usage: ${command.usage}` : err.message,
    };
  }
  // Before the coded errors: "the audit record could not be written" is, here, the database being away.
  if (isStoreUnavailable(err)) return storeUnavailableOutput(context.correlationId);
  if (err instanceof GraphOutcomeUnknownError) {
    // The write may have been applied: say which read shows the truth, so nobody blindly runs it twice.
    const check = outcomeCheckFor(context.registry, context.command, context.requestText);
    return codedErrorOutput(
      err,
      context.correlationId,
      check ? ` Check with "${check}" before trying again.` : ' Check the object before trying again.',
    );
  }
  if (isCodedError(err) && err.code !== ErrorCode.Internal) {
    return codedErrorOutput(err, context.correlationId);
  }
  return {
    card: 'error',
    data: {
      title: 'Something went wrong',
      message:
        'The command failed unexpectedly. Nothing more was attempted. Give the reference below to your bot operator.',
      graphCode: '',
      requestId: '',
      correlationId: context.correlationId,
    },
    text: `The command failed unexpectedly (reference ${context.correlationId}).`,
  };
}

function codedErrorOutput(err: CodedError, correlationId: string, advice = ''): CommandOutput {
  const details = err;
  const message = `${err.message}${advice}`;
  return {
    card: 'error',
    data: {
      title: details.title ?? "Couldn't complete the command",
      message,
      graphCode: details.graphCode ?? '',
      requestId: details.requestId ?? '',
      correlationId,
    },
    text: `${message}${details.graphCode ? ` (Graph ${details.graphCode}, request-id ${details.requestId ?? 'n/a'})` : ''}`,
  };
}

/** The command as typed, with the ambiguous name replaced by the chosen object's unique name (quoted). */
function replayWith(text: string, typed: string, value: string): string {
  const quoted = [`"${typed}"`, `'${typed}'`].find((q) => text.includes(q));
  return quoted ? text.replace(quoted, `"${value}"`) : text.replace(typed, `"${value}"`);
}
