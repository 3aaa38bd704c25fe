import { Cron } from 'croner';
import { UsageError } from '../errors.js';

/** A schedule as stored: a five-field cron pattern in an IANA time zone, and the words the admin used. */
export interface ScheduleTiming {
  cron: string;
  timeZone: string;
  description: string;
}

/** Guard rail: reports at most hourly (a cron that fires more often is refused). */
export const MIN_INTERVAL_MS = 60 * 60 * 1000;
/**
 * How many runs the interval check looks at. A cron pattern is a cross product of its fields, so every matching
 * day repeats the same times: a day with 25 or more runs has a gap under an hour among its first 25, and with at
 * most 24 a day, 50 runs span two whole matching days and the boundary between them. Bounded work (~1 ms a run).
 */
const INTERVAL_CHECK_RUNS = 50;
const INTERVAL_CHECK_HORIZON_MS = 400 * 24 * 3600 * 1000;

const WEEKDAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FULL_WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

const COMMAND = 'schedule add';

/** Throws a UsageError (→ usage card) unless `timeZone` is an IANA zone this runtime knows. */
export function checkTimeZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw new UsageError(
      `"${timeZone}" is not a time zone. Use an IANA name such as UTC or Europe/Paris.`,
      COMMAND,
      'tz',
    );
  }
}

function parseTime(text: string | undefined): { hour: number; minute: number } {
  const match = TIME.exec(text ?? '');
  if (!match)
    throw new UsageError(`"${text ?? ''}" is not a time of day: use HH:MM, 24-hour (e.g. 08:00).`, COMMAND, 'time');
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/**
 * Parses the schedule part of `schedule add`: `daily HH:MM`, `weekly <mon…sun> HH:MM` or `cron "<5 fields>"`,
 * each followed by the command to run. `words` are the typed words after the kind, quoted runs kept whole (the
 * command is best quoted). Returns the timing (validated by croner) and the command text.
 */
export function parseScheduleSpec(
  kind: string,
  words: string[],
  timeZoneInput: string,
): { timing: ScheduleTiming; command: string } {
  const timeZone = checkTimeZone(timeZoneInput);
  let cron: string;
  let description: string;
  let rest: string[];
  switch (kind.toLowerCase()) {
    case 'daily': {
      const { hour, minute } = parseTime(words[0]);
      cron = `${minute} ${hour} * * *`;
      description = `daily ${pad(hour)}:${pad(minute)}`;
      rest = words.slice(1);
      break;
    }
    case 'weekly': {
      const typed = (words[0] ?? '').toLowerCase();
      const day = FULL_WEEKDAYS.indexOf(typed) >= 0 ? FULL_WEEKDAYS.indexOf(typed) : WEEKDAYS[typed];
      if (day === undefined) {
        throw new UsageError(
          `"${words[0] ?? ''}" is not a day of the week: use mon, tue, wed, thu, fri, sat or sun.`,
          COMMAND,
          'day',
        );
      }
      const { hour, minute } = parseTime(words[1]);
      cron = `${minute} ${hour} * * ${day}`;
      description = `weekly ${Object.keys(WEEKDAYS)[day]} ${pad(hour)}:${pad(minute)}`;
      rest = words.slice(2);
      break;
    }
    case 'cron': {
      // The pattern is one quoted word ("0 8 * * 1-5"): unquoted, where it ends and the command starts is a guess.
      cron = (words[0] ?? '').trim().replace(/\s+/g, ' ');
      if (!cron.includes(' '))
        throw new UsageError(
          'Put the cron pattern in quotes, e.g. cron "0 8 * * 1-5" "admins nomfa".',
          COMMAND,
          'cron',
        );
      rest = words.slice(1);
      checkCron(cron, timeZone);
      description = `cron ${cron}`;
      break;
    }
    default:
      throw new UsageError(`"${kind}" is not a schedule: use daily, weekly or cron.`, COMMAND, 'kind');
  }
  const command = rest.join(' ').trim();
  if (!command) throw new UsageError('Say which command to run, in quotes, e.g. "admins nomfa".', COMMAND, 'command');
  return { timing: { cron, timeZone, description: `${description} (${timeZone})` }, command };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function cronOf(pattern: string, timeZone: string): Cron {
  return new Cron(pattern, { timezone: timeZone, paused: true, mode: '5-part' });
}

/** Validates a five-field pattern and the minimum interval between its runs. */
function checkCron(pattern: string, timeZone: string): void {
  let cron: Cron;
  try {
    cron = cronOf(pattern, timeZone);
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^CronPattern:\s*/, '') : 'invalid pattern';
    throw new UsageError(
      `"${pattern}" is not a cron pattern (${reason}). Use five fields: minute hour day-of-month month day-of-week.`,
      COMMAND,
      'cron',
    );
  }
  const runs = cron.nextRuns(INTERVAL_CHECK_RUNS, new Date());
  if (runs.length === 0) throw new UsageError(`"${pattern}" never runs.`, COMMAND, 'cron');
  const horizon = runs[0].getTime() + INTERVAL_CHECK_HORIZON_MS;
  for (let i = 1; i < runs.length && runs[i].getTime() <= horizon; i++) {
    if (runs[i].getTime() - runs[i - 1].getTime() < MIN_INTERVAL_MS) {
      throw new UsageError(
        `"${pattern}" runs more often than once an hour; scheduled reports run at most hourly.`,
        COMMAND,
        'cron',
      );
    }
  }
}

/**
 * The first run strictly after `now` (epoch ms). Always computed from now, never by adding intervals to the
 * previous run: an instance that was down for three days runs a missed report once, not once per missed tick.
 */
export function nextRunAfter(timing: Pick<ScheduleTiming, 'cron' | 'timeZone'>, now: number): number | undefined {
  return cronOf(timing.cron, timing.timeZone).nextRun(new Date(now))?.getTime();
}
