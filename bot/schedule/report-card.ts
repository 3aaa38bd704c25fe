import { cardAttachment, renderCard, summaryText } from '../cards/render.js';
import type { CommandOutput } from '../commands/types.js';
import { MessageFactory } from 'botbuilder';

/** `27 Nov 2026, 08:00 Europe/Paris` (— for never). */
export function formatInstant(at: number | null, timeZone: string): string {
  if (at === null) return '—';
  return `${new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at))} ${timeZone}`;
}

/** `Scheduled report · admins nomfa · 27 Nov 2026, 08:00 Europe/Paris` */
export function reportHeader(commandText: string, at: number, timeZone: string): string {
  return `Scheduled report · ${commandText} · ${formatInstant(at, timeZone)}`;
}

/**
 * The command's own card, with the scheduled-report header line on top: the readers of a channel see at once that
 * nobody typed this now, which command it is and when it ran. The summary (notification text) starts with it too.
 */
export function scheduledReportActivity(output: CommandOutput, header: string) {
  const card = renderCard(output.card, output.data, `${header}\n${output.text}`);
  const body = Array.isArray(card.body) ? card.body : [];
  card.body = [{ type: 'TextBlock', text: header, isSubtle: true, size: 'Small', wrap: true }, ...body];
  const activity = MessageFactory.attachment(cardAttachment(card));
  activity.summary = summaryText(`${header}: ${output.text}`).slice(0, 300);
  return activity;
}
