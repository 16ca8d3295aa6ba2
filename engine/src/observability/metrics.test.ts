import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_TOKEN_TYPE_VALUE_INPUT,
  GEN_AI_TOKEN_TYPE_VALUE_OUTPUT,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
} from '@opentelemetry/semantic-conventions/incubating';
import { agentRunRecord, agentSpanRecord } from '../testing/agentRuns.ts';
import { observeRun } from './aiMetrics.ts';
import { GEN_AI_DURATION_BUCKETS, GEN_AI_TOKEN_BUCKETS, createMetrics } from './metrics.ts';

// Prometheus base units: seconds, bytes, ratios; never milli-, kilo- or minutes in a name.
const NON_BASE_UNITS =
  /_(ms|millis|milliseconds|microseconds|us|ns|nanoseconds|minutes|hours|days|kb|kilobytes|mb|megabytes|percent)(_|$)/;
// A name that measures time must say its unit.
const TIME_WORDS = /(^|_)(duration|latency|time|age)(_|$)/;

/** The engine's own metrics (prom-client's process_ and nodejs_ defaults follow the rules upstream). */
async function engineMetrics() {
  const metrics = createMetrics();
  const all = await metrics.registry.getMetricsAsJSON();
  return { metrics, all: all.filter((metric) => /^(intelops_|gen_ai_|http_)/.test(metric.name)) };
}

describe('metric names', () => {
  it('follow the Prometheus conventions: snake_case, base-unit suffixes, _total only on counters', async () => {
    const { all } = await engineMetrics();
    assert.ok(all.length > 20, 'the engine registers its metrics');
    const problems: string[] = [];
    for (const metric of all) {
      const { name, type } = metric;
      if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name)) {
        problems.push(`${name}: not snake_case`);
      }
      if (String(type) === 'counter' && !name.endsWith('_total')) {
        problems.push(`${name}: a counter must end in _total`);
      }
      if (String(type) !== 'counter' && name.endsWith('_total')) {
        problems.push(`${name}: only counters end in _total`);
      }
      if (NON_BASE_UNITS.test(name)) {
        problems.push(`${name}: use base units (seconds, bytes, ratio)`);
      }
      if (TIME_WORDS.test(name) && !/_seconds(_total)?$/.test(name)) {
        problems.push(`${name}: a time must end in _seconds`);
      }
      if (name.includes('compression') && !name.endsWith('_ratio')) {
        problems.push(`${name}: a ratio ends in _ratio`);
      }
      if (metric.help.trim() === '') {
        problems.push(`${name}: no help text`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('use snake_case label names that never collide with reserved ones', async () => {
    const metrics = createMetrics();
    const labelNames = new Set<string>();
    for (const metric of metrics.registry.getMetricsAsArray()) {
      if (/^(intelops_|gen_ai_|http_)/.test(metric.name)) {
        // prom-client keeps the configured label names on the metric; its types do not declare them.
        const names: unknown = 'labelNames' in metric ? metric.labelNames : [];
        for (const label of Array.isArray(names) ? names : []) {
          labelNames.add(String(label));
        }
      }
    }
    for (const label of labelNames) {
      assert.match(label, /^[a-z][a-z0-9_]*$/, label);
      assert.ok(!['le', 'quantile', 'job', 'instance'].includes(label), `${label} is reserved`);
    }
  });

  it('name the GenAI client metrics, their attributes and values as the OpenTelemetry semantic conventions do', async () => {
    // OpenTelemetry to Prometheus: dots become underscores, the unit "s" becomes _seconds, annotations like {token} go.
    const prometheus = (name: string) => name.replaceAll('.', '_');
    const { all } = await engineMetrics();
    const duration = all.find(
      (metric) => metric.name === `${prometheus(METRIC_GEN_AI_CLIENT_OPERATION_DURATION)}_seconds`
    );
    const tokens = all.find((metric) => metric.name === prometheus(METRIC_GEN_AI_CLIENT_TOKEN_USAGE));
    assert.equal(String(duration?.type), 'histogram');
    assert.equal(String(tokens?.type), 'histogram');

    const metrics = createMetrics();
    observeRun(metrics.ai, agentRunRecord({ model: 'm', inputTokens: 10, outputTokens: 5 }), {
      models: new Set(['m']),
      spans: [
        agentSpanRecord('r1', {
          name: 'chat m',
          attributes: {
            [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_CHAT,
            [ATTR_GEN_AI_REQUEST_MODEL]: 'm',
            [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 10,
            [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 5,
          },
        }),
      ],
    });
    const labelsOf = (values: ReadonlyArray<{ labels: Record<string, unknown> }>) =>
      values.map((value) => value.labels);
    const durationLabels = labelsOf((await metrics.ai.operationDuration.get()).values);
    assert.ok(
      durationLabels.some(
        (labels) =>
          labels[prometheus(ATTR_GEN_AI_OPERATION_NAME)] === GEN_AI_OPERATION_NAME_VALUE_CHAT &&
          labels[prometheus(ATTR_GEN_AI_REQUEST_MODEL)] === 'm'
      ),
      JSON.stringify(durationLabels)
    );
    const tokenTypes = new Set(
      labelsOf((await metrics.ai.tokenUsage.get()).values).map((labels) => labels[prometheus(ATTR_GEN_AI_TOKEN_TYPE)])
    );
    assert.deepEqual([...tokenTypes].sort(), [GEN_AI_TOKEN_TYPE_VALUE_INPUT, GEN_AI_TOKEN_TYPE_VALUE_OUTPUT].sort());
  });

  it('use the bucket boundaries the GenAI conventions advise', () => {
    // Advised in the conventions' metric definitions: doubling from 10 ms, and powers of four from one token.
    assert.deepEqual(
      GEN_AI_DURATION_BUCKETS,
      Array.from({ length: 14 }, (_, index) => Number((0.01 * 2 ** index).toFixed(2)))
    );
    assert.deepEqual(
      GEN_AI_TOKEN_BUCKETS,
      Array.from({ length: 14 }, (_, index) => 4 ** index)
    );
  });
});

describe('the alert compression gauge', () => {
  it('reads the ratio from the store when scraped, and NaN when there were no alerts', async () => {
    const metrics = createMetrics();
    let ratio: number | undefined = 0.96;
    metrics.ai.compressionRatio = async () => ratio;
    assert.match(
      await metrics.registry.getSingleMetricAsString('intelops_alert_compression_ratio'),
      /^intelops_alert_compression_ratio 0\.96$/m
    );
    ratio = undefined;
    assert.match(
      await metrics.registry.getSingleMetricAsString('intelops_alert_compression_ratio'),
      /^intelops_alert_compression_ratio NaN$/im
    );
    metrics.ai.compressionRatio = async () => {
      throw new Error('store closed');
    };
    assert.match(
      await metrics.registry.getSingleMetricAsString('intelops_alert_compression_ratio'),
      /NaN$/im,
      'a failing store keeps the last value'
    );
  });
});
