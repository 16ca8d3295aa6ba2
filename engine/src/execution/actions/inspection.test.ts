import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createLogger } from '../../observability/logger.ts';
import { UpstreamError } from '../../sources/http.ts';
import { LokiClient } from '../../sources/loki.ts';
import { PrometheusClient } from '../../sources/prometheus.ts';
import { TempoClient } from '../../sources/tempo.ts';
import { serveLokiEntries } from '../../testing/fakeLoki.ts';
import { TEMPO_BAD_TRACEQL, serveTempoTraces } from '../../testing/fakeTempo.ts';
import type { RecordedTrace } from '../../testing/fakeTempo.ts';
import { captureLogs } from '../../testing/logs.ts';
import { PROMETHEUS_MISSING, startPrometheus } from '../../testing/prometheusServer.ts';
import type { PrometheusServer } from '../../testing/prometheusServer.ts';
import { startReplayServer } from '../../testing/replayServer.ts';
import type { ReplayServer } from '../../testing/replayServer.ts';
import type { ActionContext } from '../types.ts';
import { parseEgressAllowlist } from './egressRules.ts';
import { GuardedHttpClient } from './guardedHttp.ts';
import { draftingPrompt } from '../workflows/draftWorkflow.ts';
import { builtInActions } from './registry.ts';
import { MAX_TRACES, evaluateCheck, inspectionAction, isLogQuery, parseDuration, reduceSamples } from './inspection.ts';
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

describe('inspection against Tempo (TraceQL, replayed)', () => {
  let tempo: ReplayServer;
  let client: TempoClient;
  before(async () => {
    tempo = await startReplayServer();
    client = new TempoClient({ baseUrl: tempo.url, retries: 0 });
  });
  after(() => tempo.close());
  beforeEach(() => tempo.reset());

  const ERRORS = '{ resource.service.name = "checkout" && status = error }';
  const trace = (i: number, fields: Partial<RecordedTrace> = {}): RecordedTrace => ({
    traceId: `00${String(i).padStart(30, '0')}`,
    rootService: 'checkout',
    rootName: 'POST /checkout',
    start: UNTIL - (i + 1) * MINUTE,
    durationMs: 100 * (i + 1),
    status: 'error',
    ...fields,
  });
  const tempoCheck = (fields: Partial<InspectionCheck>): InspectionCheck => ({
    name: 'checkout error traces',
    source: 'tempo',
    query: ERRORS,
    threshold: { op: '<', value: 5 },
    ...fields,
  });
  const inspect = (checks: InspectionCheck[], range = '15m') =>
    inspectionAction.run({ until: UNTIL, range, checks }, context({ tempo: client }));

  it('counts the traces a TraceQL query matches in the range, passing under the threshold', async () => {
    serveTempoTraces(tempo, [
      ...Array.from({ length: 3 }, (_, i) => trace(i)),
      trace(3, { status: 'ok' }),
      trace(4, { rootService: 'cart' }),
      trace(20),
    ]);
    const output = await inspect([tempoCheck({})]);
    const [request] = tempo.requests;
    assert.equal(request?.query.get('q'), ERRORS);
    assert.equal(request?.query.get('start'), String((UNTIL - 15 * MINUTE) / 1000));
    assert.equal(request?.query.get('end'), String(UNTIL / 1000));
    assert.equal(request?.query.get('limit'), String(MAX_TRACES));
    const result = byName(output, 'checkout error traces');
    assert.deepEqual(
      [result.status, result.passed, result.value, result.measure, result.reduce, result.seriesCount, result.note],
      ['pass', true, 3, 'count', undefined, 3, undefined]
    );
    // The traces a person opens, newest first, with their durations.
    assert.deepEqual(result.series[0], {
      labels: { traceId: trace(0).traceId, rootService: 'checkout', rootName: 'POST /checkout' },
      value: 100,
      passed: true,
    });
    assert.deepEqual(
      result.series.map((item) => item.labels.traceId),
      [0, 1, 2].map((i) => trace(i).traceId)
    );
  });

  it('fails a count over the threshold, showing at most 10 traces', async () => {
    serveTempoTraces(
      tempo,
      Array.from({ length: 14 }, (_, i) => trace(i))
    );
    const result = byName(await inspect([tempoCheck({})]), 'checkout error traces');
    assert.deepEqual([result.status, result.passed, result.value, result.seriesCount], ['fail', false, 14, 14]);
    assert.equal(result.series.length, 10);
    assert.ok(result.series.every((item) => !item.passed));
  });

  it('counts no match as 0, which is data, and reads a passing inspection', async () => {
    serveTempoTraces(tempo, [trace(0, { status: 'ok' })]);
    const output = await inspect([tempoCheck({ threshold: { op: '==', value: 0 } })]);
    const result = byName(output, 'checkout error traces');
    assert.deepEqual([result.status, result.value, result.series], ['pass', 0, []]);
    assert.equal(output.passed, true);
  });

  it("reduces the matching traces' durations in ms, the latest for last; no match is no data", async () => {
    serveTempoTraces(tempo, [
      trace(0, { durationMs: 300 }),
      trace(1, { durationMs: 2400 }),
      trace(2, { durationMs: 900 }),
    ]);
    const duration = (name: string, reduce: InspectionCheck['reduce'], onNoData?: 'pass') =>
      tempoCheck({
        name,
        measure: 'duration',
        reduce,
        threshold: { op: '<', value: 2000 },
        ...(onNoData ? { onNoData } : {}),
      });
    const output = await inspect([
      duration('slowest', 'max'),
      duration('mean', 'avg'),
      duration('fastest', 'min'),
      duration('latest', 'last'),
      duration('default', undefined),
      { ...duration('none', 'max'), query: '{ resource.service.name = "nobody" }' },
      { ...duration('none is fine', 'max', 'pass'), query: '{ resource.service.name = "nobody" }' },
    ]);
    const slowest = byName(output, 'slowest');
    assert.deepEqual(
      [slowest.status, slowest.value, slowest.measure, slowest.reduce, slowest.seriesCount],
      ['fail', 2400, 'duration', 'max', 3]
    );
    // The slow trace first, then the others newest first, each judged by its own duration.
    assert.deepEqual(
      slowest.series.map((item) => [item.labels.traceId, item.value, item.passed]),
      [
        [trace(1).traceId, 2400, false],
        [trace(0).traceId, 300, true],
        [trace(2).traceId, 900, true],
      ]
    );
    assert.deepEqual([byName(output, 'mean').status, byName(output, 'mean').value], ['pass', 1200]);
    assert.deepEqual([byName(output, 'fastest').status, byName(output, 'fastest').value], ['pass', 300]);
    assert.deepEqual([byName(output, 'latest').value, byName(output, 'default').value], [300, 300]);
    const none = byName(output, 'none');
    assert.deepEqual([none.status, none.passed, none.value, none.series], ['no_data', false, null, []]);
    assert.deepEqual([byName(output, 'none is fine').status, byName(output, 'none is fine').passed], ['no_data', true]);
    assert.equal(output.passed, false);
  });

  it("notes that a count at Tempo's limit is a lower bound", async () => {
    serveTempoTraces(
      tempo,
      Array.from({ length: MAX_TRACES + 5 }, (_, i) => trace(i, { start: UNTIL - MINUTE - i * 100 }))
    );
    const output = await inspect([
      tempoCheck({ threshold: { op: '<', value: 5000 } }),
      tempoCheck({ name: 'slowest', measure: 'duration', reduce: 'max', threshold: { op: '<', value: 1e9 } }),
    ]);
    const count = byName(output, 'checkout error traces');
    assert.deepEqual([count.status, count.value], ['pass', MAX_TRACES]);
    assert.equal(count.note, `Tempo returned its limit of ${MAX_TRACES} traces: the count is at least ${MAX_TRACES}`);
    assert.equal(
      byName(output, 'slowest').note,
      `Tempo returned its limit of ${MAX_TRACES} traces: the durations are of those only`
    );
  });

  it("fails the step on bad TraceQL, naming the check and quoting Tempo's message", async () => {
    serveTempoTraces(tempo, [trace(0)]);
    await assert.rejects(inspect([tempoCheck({ name: 'typo', query: 'foo' })]), (error: unknown) => {
      assert.ok(error instanceof UpstreamError && error.kind === 'bad_query' && !isRetryable(error));
      assert.match(error.message, /^inspection check "typo": Tempo \(http:\/\/127\.0\.0\.1:\d+\) answered HTTP 400: /);
      assert.ok(error.message.endsWith(TEMPO_BAD_TRACEQL), error.message);
      return true;
    });
  });

  it('names the setting when Tempo is not configured', async () => {
    await assert.rejects(inspectionAction.run({ checks: [tempoCheck({})] }, context({})), (error: unknown) => {
      assert.ok(error instanceof ActionFailed && !isRetryable(error));
      assert.equal(
        error.message,
        'inspection check "checkout error traces" needs Tempo, which is not configured (Settings → Tempo URL)'
      );
      return true;
    });
  });

  it('refuses measure on other sources and reduce on a count, naming the check, before reading anything', async () => {
    serveTempoTraces(tempo, [trace(0)]);
    const refused = async (checks: InspectionCheck[], message: string) => {
      await assert.rejects(inspect(checks), (error: unknown) => {
        assert.ok(error instanceof ActionFailed && !isRetryable(error));
        assert.equal(error.message, message);
        return true;
      });
    };
    await refused(
      [
        tempoCheck({}),
        {
          name: 'loki errors',
          source: 'loki',
          query: '{service="checkout"}',
          measure: 'count',
          threshold: { op: '<', value: 1 },
        },
      ],
      'inspection check "loki errors": measure is for tempo (TraceQL) checks only, not for source loki'
    );
    await refused(
      [check({ name: 'p95', query: 'up', measure: 'duration' })],
      'inspection check "p95": measure is for tempo (TraceQL) checks only, not for source prometheus'
    );
    await refused(
      [tempoCheck({ reduce: 'max' })],
      'inspection check "checkout error traces": reduce is for measure: duration; a tempo count is one value'
    );
    assert.equal(tempo.requests.length, 0);
  });

  it('describes TraceQL checks for approvals and dry runs, and the draft prompt offers them', () => {
    const sentence = inspectionAction.describe({
      range: '24h',
      checks: [
        tempoCheck({}),
        tempoCheck({ name: 'slow checkouts', measure: 'duration', reduce: 'max', threshold: { op: '<', value: 2000 } }),
        check({ name: 'p95', query: 'up' }),
      ],
    });
    assert.equal(
      sentence,
      'Inspect the last 24h: checkout error traces (TraceQL on tempo, matching traces < 5); ' +
        'slow checkouts (TraceQL on tempo, max trace duration in ms < 2000); p95 (prometheus, last < 0.5)'
    );
    const prompt = draftingPrompt(builtInActions());
    const section = prompt.slice(prompt.indexOf('### inspection'));
    assert.match(section, /"const":"tempo"/);
    assert.ok(section.includes('"measure":{"anyOf":[{"type":"string","const":"count"}'), section);
    assert.ok(section.includes('"description":"For source tempo only.'), section);
  });
});
