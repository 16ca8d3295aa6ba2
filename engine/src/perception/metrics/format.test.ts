import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeChange, formatClock, formatValue } from './format.ts';

describe('summary formatting', () => {
  it('writes values in their units', () => {
    assert.equal(formatValue(0.1204, 'seconds'), '120 ms');
    assert.equal(formatValue(2.5, 'seconds'), '2.5 s');
    assert.equal(formatValue(0.025, 'ratio'), '2.5%');
    assert.equal(formatValue(1234.5, 'requests_per_second'), '1235 req/s');
    assert.equal(formatValue(0.4213, 'cores'), '0.421 cores');
    assert.equal(formatValue(512 * 2 ** 20, 'bytes'), '512 MiB');
    assert.equal(formatClock(Date.UTC(2026, 0, 5, 10, 2, 30)), '10:02 UTC');
  });

  it('describes rises as factors, small moves and falls as percentages', () => {
    assert.equal(describeChange(0.12, 0.504, 'seconds'), 'rose 4.2× from 120 ms to 504 ms');
    assert.equal(describeChange(100, 120, 'requests_per_second'), 'rose 20% from 100 req/s to 120 req/s');
    assert.equal(describeChange(100, 20, 'requests_per_second'), 'fell 80% from 100 req/s to 20 req/s');
    assert.equal(describeChange(0, 0.2, 'ratio'), 'rose from 0% to 20%');
  });
});
