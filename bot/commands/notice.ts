import type { TrustedMarkdown } from '../cards/plain-text.js';
import type { CommandOutput } from './model.js';

/** A follow-up button: runs `command` as the clicking user (Action.Execute verb `run`). */
export interface CardAction {
  title: string;
  command: string;
}

/**
 * The `notice` card: a title, a message (the template's own Markdown is allowed in `message`; untrusted values are
 * made plain at the card boundary) and optional follow-up buttons. `text` defaults to "title: message".
 */
export function notice(
  title: string,
  message: string | TrustedMarkdown,
  options: { actions?: CardAction[]; text?: string } = {},
): CommandOutput {
  return {
    card: 'notice',
    data: { title, message, actions: options.actions ?? [] },
    text: options.text ?? `${title}: ${message}`,
  };
}
