import { z } from 'zod';

const PART = /(\d+)\s*([dhm])/g;
const WHOLE = /^(\d+\s*[dhm]\s*)+$/;
const MINUTES_PER: Record<string, number> = { d: 1440, h: 60, m: 1 };

/** `2h`, `90m`, `1h30m`, `7d` → minutes; undefined when the text is not such a duration. */
export function parseDurationMinutes(text: string): number | undefined {
  const compact = text.trim().toLowerCase();
  if (!WHOLE.test(compact)) return undefined;
  let minutes = 0;
  for (const [, count, unit] of compact.matchAll(PART)) minutes += Number(count) * MINUTES_PER[unit];
  return minutes;
}

/** Minutes → ISO 8601 duration as Graph expects it (`PT2H`, `PT1H30M`, `P1DT2H`). */
export function isoDuration(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const time = `${hours ? `${hours}H` : ''}${rest ? `${rest}M` : ''}`;
  if (!days && !time) return 'PT0M';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

/**
 * Minutes → `2 h`, `1 h 30 min`, `24 h`, `3 d`, for cards (days only from two days up: "24 h" reads better than "1 d").
 */
export function describeMinutes(minutes: number): string {
  const days = minutes >= 2880 ? Math.floor(minutes / 1440) : 0;
  const hours = Math.floor((minutes - days * 1440) / 60);
  const rest = minutes % 60;
  return (
    [days ? `${days} d` : '', hours ? `${hours} h` : '', rest ? `${rest} min` : ''].filter(Boolean).join(' ') || '0 min'
  );
}

/** Minutes → the shortest text `parseDurationMinutes` reads back (`24h`, `7d`, `90m`), for commands on buttons. */
export function durationFlag(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/** A `--flag 2h` option: validated to a number of minutes within bounds, with a message that names the bounds. */
export function durationArg(bounds: { min: number; max: number }) {
  const range = `between ${describeMinutes(bounds.min)} and ${describeMinutes(bounds.max)}`;
  return z.string().transform((text, ctx) => {
    const minutes = parseDurationMinutes(text);
    if (minutes === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${text}" is not a duration like 30m, 2h or 7d` });
      return z.NEVER;
    }
    if (minutes < bounds.min || minutes > bounds.max) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be ${range}` });
      return z.NEVER;
    }
    return minutes;
  });
}

/** An ISO timestamp as cards show it: `2026-11-26 09:12 UTC` (admins work across time zones; UTC is unambiguous). */
export function utcText(iso: string | null | undefined): string {
  if (!iso) return '—';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A Graph DateTimeOffset literal for `$filter` (no quotes, no milliseconds). */
export function odataDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
