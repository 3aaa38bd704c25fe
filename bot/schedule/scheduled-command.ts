import { bindArgs } from '../commands/bind-args.js';
import type { CommandRegistry } from '../commands/registry.js';
import { closestNames } from '../commands/suggest.js';
import { tokenize } from '../commands/tokenize.js';
import type { AnyCommand } from '../commands/types.js';
import { CodedError, ErrorCode, UnknownCommandError, UsageError } from '../errors.js';

/** The command cannot be scheduled (it changes the tenant, or does not work as an app): nothing was stored. */
export class NotSchedulableError extends CodedError {
  override readonly title = 'This command cannot be scheduled';
  constructor(message: string) {
    super(ErrorCode.Forbidden, message);
  }
}

/**
 * Parses the text of a command to schedule and binds its arguments, exactly as if it were typed: at creation (so
 * a bad command is refused before anything is stored) and again at every run (the catalog may have changed).
 * Only `read` commands that declare `schedulable` pass: they run as the reports app, which has no MFA.
 */
export function resolveScheduledCommand(
  registry: CommandRegistry,
  text: string,
): { command: AnyCommand; args: unknown } {
  const words = tokenize(text);
  const match = registry.match(words);
  if (!match) throw new UnknownCommandError(words.slice(0, 3).join(' '), closestNames(words, registry.names()));
  const { command } = match;
  if (command.tier !== 'read') {
    throw new NotSchedulableError(
      `"${command.name}" changes the tenant (${command.tier}). Scheduled reports run as an app without MFA, so ` +
        `only read-only reports can be scheduled; nothing was stored.`,
    );
  }
  if (!command.schedulable) {
    throw new NotSchedulableError(
      `"${command.name}" cannot run unattended as the reports app (it needs your own sign-in or the bot's own ` +
        `data). Schedulable: ${schedulableNames(registry).join(', ')}. Nothing was stored.`,
    );
  }
  const rest = words.slice(match.consumed);
  if (rest.some((w) => /^--cursor(=|$)/i.test(w)))
    throw new UsageError(
      'A page cursor expires within the hour and cannot be scheduled; schedule the first page.',
      'schedule add',
      'cursor',
    );
  return { command, args: bindArgs(command, rest) };
}

export function schedulableNames(registry: CommandRegistry): string[] {
  return registry
    .all()
    .filter((c) => c.tier === 'read' && c.schedulable)
    .map((c) => c.name);
}
