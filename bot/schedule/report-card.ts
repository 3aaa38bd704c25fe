/** `27 Nov 2026, 08:00 Europe/Paris` (— for never). */
export function formatInstant(at: number | null, timeZone: string): string {
  if (at === null) return '—';
  return `${new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at))} ${timeZone}`;
}

/** `Scheduled report · admins nomfa · 27 Nov 2026, 08:00 Europe/Paris` */
export function reportHeader(commandText: string, at: number, timeZone: string): string {
  return `Scheduled report · ${commandText} · ${formatInstant(at, timeZone)}`;
}
