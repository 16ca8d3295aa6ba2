import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_GOLDEN_SIGNALS,
  escapePromQLString,
  expandTemplate,
  labelMatcher,
  rateWindow,
} from './goldenSignals.ts';
import { firstSelector } from './memoryMetricsSource.ts';

describe('golden signal queries', () => {
  it('escapes service names into label matchers', () => {
    assert.equal(escapePromQLString('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
    assert.equal(escapePromQLString('x\u0001'), 'x\\u0001');
    assert.equal(labelMatcher('service_name', 'check"out'), 'service_name="check\\"out"');
    assert.equal(labelMatcher('service.name', 'x'), '"service.name"="x"');
    assert.throws(() => labelMatcher('', 'x'), /empty/);
  });

  it('expands every default template so the selector reads back the exact service name', () => {
    const hostile = 'we"ird\\svc $label} or vector(1) {';
    for (const query of DEFAULT_GOLDEN_SIGNALS) {
      for (const candidate of query.candidates) {
        const promql = expandTemplate(candidate, hostile, 15);
        const matchers = firstSelector(promql);
        const service = matchers.find((matcher) => matcher.label === candidate.serviceLabel);
        assert.deepEqual(service, { label: candidate.serviceLabel, op: '=', value: hostile }, promql);
      }
    }
  });

  it('covers the four signals with OpenTelemetry, span-metrics and exporter names', () => {
    const signals = new Set(DEFAULT_GOLDEN_SIGNALS.map((query) => query.signal));
    assert.deepEqual([...signals].sort(), ['errors', 'latency', 'saturation', 'traffic']);
    const all = DEFAULT_GOLDEN_SIGNALS.flatMap((query) => query.candidates.map((candidate) => candidate.template)).join(
      '\n'
    );
    for (const name of [
      'http_server_request_duration_seconds_bucket',
      'http\\\\.server\\\\.request\\\\.duration',
      'traces_spanmetrics_latency_bucket',
      'traces_span_metrics_calls_total',
      'process_cpu_seconds_total',
      'container_cpu_usage_seconds_total',
      'process_resident_memory_bytes',
      'container_memory_working_set_bytes',
    ]) {
      assert.ok(all.includes(name), name);
    }
  });

  it('widens the rate window with the step and rejects templates without $service', () => {
    assert.equal(rateWindow(15), '300s');
    assert.equal(rateWindow(600), '1200s');
    assert.throws(() => expandTemplate({ template: 'up', serviceLabel: 'job' }, 'x', 15), /\$service/);
  });
});
