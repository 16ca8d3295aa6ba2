import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createLogger } from '../../observability/logger.ts';
import { UpstreamError } from '../../sources/http.ts';
import { LokiClient } from '../../sources/loki.ts';
import { PrometheusClient } from '../../sources/prometheus.ts';
import { serveLokiEntries } from '../../testing/fakeLoki.ts';
import { captureLogs } from '../../testing/logs.ts';
import { PROMETHEUS_MISSING, startPrometheus } from '../../testing/prometheusServer.ts';
import type { PrometheusServer } from '../../testing/prometheusServer.ts';
import { startReplayServer } from '../../testing/replayServer.ts';
import type { ReplayServer } from '../../testing/replayServer.ts';
import type { ActionContext } from '../types.ts';
import { parseEgressAllowlist } from './egressRules.ts';
import { GuardedHttpClient } from './guardedHttp.ts';
import { evaluateCheck, inspectionAction, isLogQuery, parseDuration, reduceSamples } from './inspection.ts';
import type { InspectionCheck, InspectionInput, InspectionOutput } from './inspection.ts';
import { ActionFailed, isRetryable } from './outbound.ts';
import { SecretStore } from './secrets.ts';

const MINUTE = 60_000;
// Within Prometheus' retention and on a minute boundary; the inspection looks at the 15 minutes before UNTIL.
const UNTIL = Math.floor((Date.now() - 2 * 3_600_000) / MINUTE) * MINUTE;
const minutes = (count: number, value: (i: number) => number): Array<[number, number]> =>
  Array.from({ length: count }, (_, i) => [UNTIL - (count - 1 - i) * MINUTE, value(i)]);

const context = (
  sources: Partial<ActionContext['sources']>,
  overrides: Partial<ActionContext> = {}
): ActionContext => ({
  idempotencyKey: 'run-1/inspect',
  dryRun: false,
  signal: new AbortController().signal,
  timeoutMs: 10_000,
  secrets: new SecretStore({ env: {} }),
  http: new GuardedHttpClient({ rules: parseEgressAllowlist('', 'INTELOPS_EGRESS_ALLOW'), allowPrivate: false }),
  sources: { prometheus: undefined, loki: undefined, tempo: undefined, ...sources },
  logger: createLogger('info', captureLogs()),
  ...overrides,
});

const check = (fields: Partial<InspectionCheck> & Pick<InspectionCheck, 'name' | 'query'>): InspectionCheck => ({
  source: 'prometheus',
  threshold: { op: '<', value: 0.5 },
  ...fields,
});
const byName = (output: InspectionOutput, name: string) => {
  const found = output.checks.find((item) => item.name === name);
  assert.ok(found, name);
  return found;
};

describe('inspection, evaluation', () => {
  it('reduces samples, skipping NaN', () => {
    assert.equal(reduceSamples([1, 5, Number.NaN, 3], 'last'), 3);
    assert.equal(reduceSamples([1, 5, 3], 'max'), 5);
    assert.equal(reduceSamples([1, 5, 3], 'min'), 1);
    assert.equal(reduceSamples([1, 5, 3], 'avg'), 3);
    assert.equal(reduceSamples([Number.NaN], 'avg'), undefined);
  });

  it('decides on a failing series, else the one nearest to failing', () => {
    const series = (values: number[]) => values.map((v, i) => ({ labels: { i: String(i) }, samples: [{ t: 0, v }] }));
    const under = evaluateCheck(check({ name: 'a', query: 'q' }), series([0.1, 0.4, 0.2]));
    assert.deepEqual([under.status, under.value], ['pass', 0.4]);
    const over = evaluateCheck(
      check({ name: 'b', query: 'q', threshold: { op: '>=', value: 0.9 } }),
      series([0.99, 0.95, 0.5])
    );
    assert.deepEqual([over.status, over.value, over.series[0]?.labels], ['fail', 0.5, { i: '2' }]);
    const none = evaluateCheck(check({ name: 'c', query: 'q' }), []);
    assert.deepEqual([none.status, none.passed, none.value], ['no_data', false, null]);
    assert.equal(evaluateCheck(check({ name: 'd', query: 'q', onNoData: 'pass' }), []).passed, true);
    assert.equal(
      evaluateCheck(check({ name: 'e', query: 'q', threshold: { op: '!=', value: 0 } }), series([0])).passed,
      false
    );
  });

  it('parses durations and tells log queries from metric queries', () => {
    assert.equal(parseDuration('15m'), 15 * MINUTE);
    assert.equal(parseDuration('2h'), 2 * 60 * MINUTE);
    assert.throws(() => parseDuration('15 minutes'), /"15 minutes" is not a duration such as 30s, 15m, 1h or 1d/);
    assert.equal(isLogQuery(' {service="checkout"} |= "error"'), true);
    assert.equal(isLogQuery('sum(count_over_time({service="checkout"}[5m]))'), false);
  });

  it('names the source a check needs when it is not configured', async () => {
    const input: InspectionInput = { checks: [check({ name: 'p95', query: 'up' })] };
    await assert.rejects(inspectionAction.run(input, context({})), (error: unknown) => {
      assert.ok(error instanceof ActionFailed && !isRetryable(error));
      assert.equal(
        error.message,
        'inspection check "p95" needs Prometheus, which is not configured (Settings → Prometheus URL)'
      );
      return true;
    });
  });
});

describe('inspection against a real Prometheus', { skip: PROMETHEUS_MISSING }, () => {
  let prometheus: PrometheusServer;
  let client: PrometheusClient;
  before(async () => {
    prometheus = await startPrometheus([
      {
        name: 'app_latency_p95_seconds',
        labels: { service: 'checkout' },
        samples: minutes(30, (i) => (i < 20 ? 0.2 : 0.8)),
      },
      { name: 'app_latency_p95_seconds', labels: { service: 'payment' }, samples: minutes(30, () => 0.3) },
      { name: 'app_error_ratio', labels: { service: 'checkout' }, samples: minutes(30, (i) => i / 100) },
    ]);
    client = new PrometheusClient({ baseUrl: prometheus.url, retries: 0 });
  });
  after(() => prometheus?.stop());

  it('evaluates each check over the range before `until`, failing series first', async () => {
    const output = await inspectionAction.run(
      {
        until: new Date(UNTIL).toISOString(),
        range: '15m',
        step: '1m',
        checks: [
          check({ name: 'checkout p95', query: 'app_latency_p95_seconds{service="checkout"}', reduce: 'max' }),
          check({ name: 'every p95 now', query: 'app_latency_p95_seconds', reduce: 'last' }),
          check({ name: 'payment p95', query: 'app_latency_p95_seconds{service="payment"}', reduce: 'avg' }),
          check({ name: 'error ratio', query: 'app_error_ratio', reduce: 'min', threshold: { op: '<=', value: 0.2 } }),
          check({ name: 'nothing', query: 'no_such_metric' }),
          check({ name: 'nothing is fine', query: 'no_such_metric', onNoData: 'pass' }),
        ],
      },
      context({ prometheus: client })
    );
    assert.equal(output.passed, false);
    assert.deepEqual(output.range, {
      from: new Date(UNTIL - 15 * MINUTE).toISOString(),
      to: new Date(UNTIL).toISOString(),
    });
    const checkout = byName(output, 'checkout p95');
    assert.deepEqual([checkout.status, checkout.value, checkout.seriesCount], ['fail', 0.8, 1]);
    const every = byName(output, 'every p95 now');
    assert.deepEqual([every.status, every.value, every.seriesCount], ['fail', 0.8, 2]);
    assert.deepEqual(
      every.series.map((item) => [item.labels.service, item.value, item.passed]),
      [
        ['checkout', 0.8, false],
        ['payment', 0.3, true],
      ]
    );
    const payment = byName(output, 'payment p95');
    assert.equal(payment.status, 'pass');
    assert.ok(Math.abs((payment.value ?? 0) - 0.3) < 1e-9, String(payment.value));
    // The range starts 15 minutes before the last of 30 samples: sample 14 is the first in it, ratio 0.14.
    const errors = byName(output, 'error ratio');
    assert.equal(errors.status, 'pass');
    assert.ok(Math.abs((errors.value ?? 0) - 0.14) < 1e-9, String(errors.value));
    assert.deepEqual([byName(output, 'nothing').status, byName(output, 'nothing').passed], ['no_data', false]);
    assert.equal(byName(output, 'nothing is fine').passed, true);
  });

  it('still reads in a dry run (reading changes nothing)', async () => {
    const output = await inspectionAction.run(
      { until: UNTIL, checks: [check({ name: 'payment p95', query: 'app_latency_p95_seconds{service="payment"}' })] },
      context({ prometheus: client }, { dryRun: true })
    );
    assert.equal(output.passed, true);
  });

  it('fails the step on a bad query, naming the check', async () => {
    await assert.rejects(
      inspectionAction.run(
        { until: UNTIL, checks: [check({ name: 'typo', query: 'rate(app_error_ratio[5m]' })] },
        context({ prometheus: client })
      ),
      (error: unknown) => {
        assert.ok(error instanceof UpstreamError && error.kind === 'bad_query' && !isRetryable(error));
        assert.match(
          error.message,
          /^inspection check "typo": Prometheus \(http:\/\/127\.0\.0\.1:\d+\) answered HTTP 400/
        );
        return true;
      }
    );
  });
});

describe('inspection against Loki (replayed)', () => {
  let loki: ReplayServer;
  let client: LokiClient;
  before(async () => {
    loki = await startReplayServer();
    client = new LokiClient({ baseUrl: loki.url, retries: 0 });
  });
  after(() => loki.close());
  beforeEach(() => loki.reset());

  it('counts the lines a log query matches in the range', async () => {
    const line = (t: number, service: string) => ({
      t,
      line: `level=error msg="payment declined" service=${service}`,
      labels: { service },
    });
    serveLokiEntries(loki, [
      ...Array.from({ length: 7 }, (_, i) => line(UNTIL - (i + 1) * MINUTE, 'checkout')),
      line(UNTIL - 20 * MINUTE, 'checkout'),
      line(UNTIL - MINUTE, 'payment'),
    ]);
    const output = await inspectionAction.run(
      {
        until: UNTIL,
        range: '15m',
        checks: [
          {
            name: 'checkout errors',
            source: 'loki',
            query: '{service="checkout"} |= "error"',
            threshold: { op: '<=', value: 5 },
          },
        ],
      },
      context({ loki: client })
    );
    const errors = byName(output, 'checkout errors');
    assert.deepEqual([errors.status, errors.value], ['fail', 7]);
  });

  it('gives up on a source that does not answer in time, retryably', async () => {
    loki.on('/loki/api/v1/query_range', { body: {}, delayMs: 2000 });
    const input: InspectionInput = {
      until: UNTIL,
      checks: [{ name: 'slow', source: 'loki', query: '{service="checkout"}', threshold: { op: '<', value: 1 } }],
    };
    await assert.rejects(
      inspectionAction.run(input, context({ loki: client }, { timeoutMs: 100 })),
      (error: unknown) => {
        assert.ok(error instanceof ActionFailed && isRetryable(error));
        assert.equal(error.message, 'inspection check "slow": loki did not answer within 0.1 s');
        return true;
      }
    );
  });

  it('evaluates a LogQL metric query as series, asking Loki at the step', async () => {
    loki.on('/loki/api/v1/query_range', {
      body: {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: { service: 'checkout' },
              values: [
                [(UNTIL - 2 * MINUTE) / 1000, '2'],
                [(UNTIL - MINUTE) / 1000, '4'],
              ],
            },
          ],
          stats: {},
        },
      },
    });
    const output = await inspectionAction.run(
      {
        until: UNTIL,
        range: '1h',
        checks: [
          {
            name: 'error lines per minute',
            source: 'loki',
            query: 'sum by (service) (count_over_time({service="checkout"} |= "error" [1m]))',
            threshold: { op: '<', value: 3 },
            reduce: 'avg',
          },
        ],
      },
      context({ loki: client })
    );
    // The average of 2 and 4 is 3, not under 3.
    assert.deepEqual([output.checks[0]?.status, output.checks[0]?.value], ['fail', 3]);
    const [request] = loki.requests;
    assert.equal(request?.params.get('step'), '60');
    assert.equal(request?.params.get('start'), `${BigInt(UNTIL - 60 * MINUTE) * 1_000_000n}`);
    assert.equal(request?.params.get('end'), `${BigInt(UNTIL) * 1_000_000n}`);
  });
});
