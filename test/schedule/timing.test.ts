import assert from 'node:assert/strict';
import { UsageError } from '../../bot/errors.js';
import { nextRunAfter, parseScheduleSpec } from '../../bot/schedule/timing.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => new Date(ms!).toISOString();

describe('schedule timing (croner, explicit time zones)', () => {
  it('turns daily, weekly and cron into five-field patterns with the command that follows', () => {
    assert.deepEqual(parseScheduleSpec('daily', ['8:05', 'admins nomfa'], 'UTC'), {
      timing: { cron: '5 8 * * *', timeZone: 'UTC', description: 'daily 08:05 (UTC)' },
      command: 'admins nomfa',
    });
    assert.deepEqual(parseScheduleSpec('WEEKLY', ['Monday', '08:00', 'licenses'], 'Europe/Paris').timing, {
      cron: '0 8 * * 1',
      timeZone: 'Europe/Paris',
      description: 'weekly mon 08:00 (Europe/Paris)',
    });
    assert.equal(parseScheduleSpec('weekly', ['sun', '23:59', 'health'], 'UTC').timing.cron, '59 23 * * 0');
    assert.deepEqual(parseScheduleSpec('cron', ['0 8 * * 1-5', 'role members', "'Global Administrator'"], 'UTC'), {
      timing: { cron: '0 8 * * 1-5', timeZone: 'UTC', description: 'cron 0 8 * * 1-5 (UTC)' },
      command: "role members 'Global Administrator'",
    });
  });

  it('accepts exactly hourly and refuses anything more frequent, or not a time, day, zone or five fields', () => {
    assert.equal(parseScheduleSpec('cron', ['0 * * * *', 'health'], 'UTC').timing.cron, '0 * * * *');
    assert.equal(parseScheduleSpec('cron', ['0 8,9 * * *', 'health'], 'UTC').timing.cron, '0 8,9 * * *');
    const refused: Array<[string, string[], string]> = [
      ['cron', ['59 * * * *'.replace('59', '0,59'), 'health'], 'UTC'],
      ['cron', ['* * * * *', 'health'], 'UTC'],
      ['cron', ['0 8 * * * *', 'health'], 'UTC'],
      ['cron', ['0 8 31 2 *', 'health'], 'UTC'],
      ['daily', ['24:00', 'health'], 'UTC'],
      ['daily', ['8h', 'health'], 'UTC'],
      ['weekly', ['monkey', '08:00', 'health'], 'UTC'],
      ['daily', ['08:00', 'health'], 'Europe/Atlantis'],
      ['monthly', ['1', 'health'], 'UTC'],
    ];
    for (const [kind, words, zone] of refused) {
      assert.throws(() => parseScheduleSpec(kind, words, zone), UsageError, `${kind} ${words.join(' | ')} ${zone}`);
    }
  });

  it("computes the next run in the schedule's time zone, across daylight saving time", () => {
    const paris = { cron: '0 8 * * *', timeZone: 'Europe/Paris' };
    assert.equal(iso(nextRunAfter(paris, at('2026-01-15T12:00:00Z'))), '2026-01-16T07:00:00.000Z', 'winter: UTC+1');
    assert.equal(iso(nextRunAfter(paris, at('2026-07-15T12:00:00Z'))), '2026-07-16T06:00:00.000Z', 'summer: UTC+2');
    assert.equal(
      iso(nextRunAfter(paris, at('2026-03-28T12:00:00Z'))),
      '2026-03-29T06:00:00.000Z',
      'the morning the clocks go forward',
    );
  });

  it('computes the next run from now, so a long downtime yields one run and not one per missed tick', () => {
    const daily = { cron: '0 8 * * *', timeZone: 'UTC' };
    const missedSince = at('2026-11-20T08:00:00Z');
    const now = missedSince + 3 * 24 * 3600_000 + 5 * 3600_000;
    assert.equal(iso(nextRunAfter(daily, now)), '2026-11-24T08:00:00.000Z');
  });
});
