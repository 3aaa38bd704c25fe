import type { SchedulesPort } from '../ports.js';
import type { CommandOutput, CommandContext } from '../types.js';
import { CommandRegistry } from '../registry.js';
import { notice } from '../notice.js';

/** The schedule service, when the bot has a store (it always has with identity configured). */
export function schedulesOf(ctx: CommandContext): SchedulesPort | undefined {
  return ctx.services.schedules;
}

/** The catalog as a registry (matching, suggestions) for parsing the command to schedule. */
export function catalogOf(ctx: CommandContext): CommandRegistry {
  const registry = ctx.services.registry;
  return registry instanceof CommandRegistry ? registry : new CommandRegistry([...registry.all()]);
}

export function notConfiguredOutput(): CommandOutput {
  const message =
    'Scheduled reports run as a separate, read-only Entra app with a certificate, and this bot has none ' +
    'configured. Nothing was stored. ' +
    'The bot operator sets REPORTS_APP_ID, REPORTS_CERT_THUMBPRINT_SHA256 and REPORTS_PRIVATE_KEY_FILE (see ' +
    'docs/scheduled-reports.md).';
  return notice('Scheduled reports are not configured', message, { text: message });
}

export { formatInstant } from '../../schedule/report-card.js';
