import assert from 'node:assert/strict';
import { test } from 'node:test';
import { badDirectionOf, indicatorOf, isClientSide } from './indicators.ts';

test('maps metric names to indicators, host-level series to other', () => {
  const cases: Array<[string, string]> = [
    ['cpu', 'cpu'],
    ['CpuUsageRate(%)', 'cpu'],
    ['container_memory_working_set_bytes', 'memory'],
    ['MemoryUsage(Mi)', 'memory'],
    ['lat_90', 'latency'],
    ['PodClientLatencyP90(s)', 'latency'],
    ['http_server_request_duration_seconds_bucket', 'latency'],
    ['lod', 'traffic'],
    ['PodWorkload(Ops)', 'traffic'],
    ['NetworkReceiveBytes', 'network'],
    ['SyscallRead', 'io'],
    ['PodSuccessRate(%)', 'errors'],
    ['http_errors_total', 'errors'],
    ['NodeCpuUsageRate(%)', 'other'],
    ['node_memory_MemAvailable_bytes', 'other'],
    ['temperature', 'other'],
  ];
  for (const [name, indicator] of cases) {
    assert.equal(indicatorOf(name), indicator, name);
  }
});

test('success ratios fall when things go wrong, resources rise, traffic may do either', () => {
  assert.equal(badDirectionOf('PodSuccessRate(%)', 'errors'), 'down');
  assert.equal(badDirectionOf('errors_total', 'errors'), 'up');
  assert.equal(badDirectionOf('cpu', 'cpu'), 'up');
  assert.equal(badDirectionOf('lod', 'traffic'), 'both');
});

test('recognises client-side latency', () => {
  assert.equal(isClientSide('PodClientLatencyP90(s)'), true);
  assert.equal(isClientSide('PodServerLatencyP90(s)'), false);
});
