import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cronProblem, nextCronTime, timezoneProblem } from './schedule.ts';

describe('cron expressions', () => {
  it('accepts five-field expressions with ranges, steps, lists and names', () => {
    for (const expression of ['0 7 * * 1-5', '*/15 * * * *', '0 0 1 jan,jul *', '30 6 * * mon-fri', '0 9 * * 7', '5,35 8-18/2 * * *']) {
      assert.equal(cronProblem(expression), undefined, expression);
    }
  });

  it('says which field is wrong and what it allows', () => {
    assert.equal(cronProblem('0 25 * * *'), 'hour field "25": 25 is out of range (allowed: 0-23)');
    assert.equal(cronProblem('60 * * * *'), 'minute field "60": 60 is out of range (allowed: 0-59)');
    assert.equal(cronProblem('0 0 32 * *'), 'day of month field "32": 32 is out of range (allowed: 1-31)');
    assert.equal(cronProblem('0 0 * 13 *'), 'month field "13": 13 is out of range (allowed: 1-12 or jan-dec)');
    assert.equal(cronProblem('0 9 * * mnd'), 'day of week field "mnd": "mnd" is not a day of week (allowed: 0-7 or sun-sat)');
    assert.equal(cronProblem('0 9 * * 1-'), 'day of week field "1-": is missing a value (allowed: 0-7 or sun-sat, *)');
    assert.equal(cronProblem('*/0 * * * *'), 'minute field "*/0": step "0" must be a positive number');
    assert.equal(cronProblem('5-1 * * * *'), "From value is larger than to value: '5-1'");
  });

  it('wants exactly five fields', () => {
    assert.equal(cronProblem('0 0 9 * * *'), 'has 6 fields; a cron expression has five: minute, hour, day of month, month, day of week');
    assert.equal(cronProblem('@daily'), 'has 1 field; a cron expression has five: minute, hour, day of month, month, day of week');
  });

  it('checks time zones and gives the next time in one', () => {
    assert.equal(timezoneProblem('Europe/Berlin'), undefined);
    assert.match(timezoneProblem('Mars/Olympus') ?? '', /is not an IANA time zone/);
    assert.equal(nextCronTime('0 7 * * *', new Date('2026-11-02T05:00:00Z'))?.toISOString(), '2026-11-02T07:00:00.000Z');
    assert.equal(nextCronTime('0 7 * * *', new Date('2026-11-02T05:00:00Z'), 'Europe/Berlin')?.toISOString(), '2026-11-02T06:00:00.000Z');
  });
});
