import assert from 'node:assert/strict';
import {
  describeMinutes,
  durationArg,
  durationFlag,
  isoDuration,
  odataDateTime,
  parseDurationMinutes,
  utcText,
} from '../../../bot/commands/_lib/time-args.js';

describe('time arguments (--for, --since)', () => {
  it('reads d/h/m durations, combined or alone, and nothing else', () => {
    assert.equal(parseDurationMinutes('2h'), 120);
    assert.equal(parseDurationMinutes('90m'), 90);
    assert.equal(parseDurationMinutes('1h30m'), 90);
    assert.equal(parseDurationMinutes('7D'), 7 * 1440);
    for (const bad of ['', 'h', '2', '2x', '-2h', '2h garbage', '1.5h'])
      assert.equal(parseDurationMinutes(bad), undefined, bad);
  });

  it('writes ISO 8601 durations as Graph expects them', () => {
    assert.equal(isoDuration(120), 'PT2H');
    assert.equal(isoDuration(90), 'PT1H30M');
    assert.equal(isoDuration(45), 'PT45M');
    assert.equal(isoDuration(1440 + 60), 'P1DT1H');
    assert.equal(isoDuration(2 * 1440), 'P2D');
    assert.equal(isoDuration(0), 'PT0M');
  });

  it('describes durations for people', () => {
    assert.equal(describeMinutes(90), '1 h 30 min');
    assert.equal(describeMinutes(1440), '24 h');
    assert.equal(describeMinutes(3 * 1440 + 5), '3 d 5 min');
  });

  it('writes durations back as flags that read the same', () => {
    for (const minutes of [90, 120, 1440, 7 * 1440, 61])
      assert.equal(parseDurationMinutes(durationFlag(minutes)), minutes);
    assert.equal(durationFlag(1440), '1d');
    assert.equal(durationFlag(120), '2h');
  });

  it('validates bounds with a message that names them', () => {
    const arg = durationArg({ min: 5, max: 60 });
    assert.equal(arg.parse('30m'), 30);
    const tooLong = arg.safeParse('2h');
    assert.equal(tooLong.success, false);
    assert.match(tooLong.error!.issues[0].message, /between 5 min and 1 h/);
  });

  it('formats timestamps in UTC for cards and OData filters', () => {
    assert.equal(utcText('2026-11-26T09:12:59Z'), '2026-11-26 09:12 UTC');
    assert.equal(utcText(null), '—');
    assert.equal(odataDateTime(Date.parse('2026-11-26T09:12:59.123Z')), '2026-11-26T09:12:59Z');
  });
});
