import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findBinary } from '../../engine/src/testing/processes.ts';
import { activeAlerts, queryRange, startScrapingPrometheus } from './prometheus.ts';
import { SpanMetrics } from './spanMetrics.ts';
import { logsFromLokiPush, spansFromOtlp, startTelemetrySink } from './sinks.ts';
import type { CapturedSpan } from './sinks.ts';
import { AlertWatcher, toAlertDeliveries, toLogs, toMetrics, toTraces } from './recording.ts';

const T0 = Date.parse('2026-11-02T08:00:00Z');

function span(
  traceId: string,
  spanId: string,
  service: string,
  at: number,
  extra: Partial<CapturedSpan> = {}
): CapturedSpan {
  return {
    traceId,
    spanId,
    service,
    name: 'GET /',
    kind: 'server',
    startMs: T0 + at * 1000,
    durationMs: 10,
    status: 'unset',
    attributes: {},
    ...extra,
  };
}

test('OTLP/HTTP JSON spans are read with their service, kind, status and microsecond times', () => {
  const [read] = spansFromOtlp({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'payment' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: 'a'.repeat(32),
                spanId: 'b'.repeat(16),
                parentSpanId: 'c'.repeat(16),
                name: 'POST /charge',
                kind: 2,
                startTimeUnixNano: '1793606400000123456',
                endTimeUnixNano: '1793606400045623456',
                attributes: [{ key: 'http.response.status_code', value: { intValue: 500 } }],
                status: { code: 2 },
              },
            ],
          },
        ],
      },
    ],
  });
  assert.deepEqual(read, {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    parentSpanId: 'c'.repeat(16),
    service: 'payment',
    name: 'POST /charge',
    kind: 'server',
    startMs: T0 + 0.123456,
    durationMs: 45.5,
    status: 'error',
    attributes: { 'http.response.status_code': 500 },
  });
  assert.deepEqual(
    logsFromLokiPush({ streams: [{ stream: { service_name: 'cart' }, values: [['1793606400001500000', 'hi']] }] }),
    [{ stream: { service_name: 'cart' }, t: T0 + 1.5, line: 'hi' }]
  );
});

test('span metrics and the service graph follow Tempo’s names, pairing client and server spans in either order', async () => {
  const metrics = new SpanMetrics();
  const client = span('t1', 'c1', 'checkout', 0, { kind: 'client', name: 'POST /charge', durationMs: 52 });
  const server = span('t1', 's1', 'payment', 0, {
    parentSpanId: 'c1',
    name: 'POST /charge',
    durationMs: 50,
    status: 'error',
  });
  metrics.observe([server]);
  metrics.observe([client]);
  const text = await metrics.text();
  assert.match(
    text,
    /^traces_spanmetrics_calls_total\{service="payment",span_name="POST \/charge",span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_ERROR"\} 1$/m
  );
  assert.match(text, /^traces_service_graph_request_total\{client="checkout",server="payment"\} 1$/m);
  assert.match(text, /^traces_service_graph_request_failed_total\{client="checkout",server="payment"\} 1$/m);
  assert.match(
    text,
    /^traces_service_graph_request_server_seconds_bucket\{le="0.064",client="checkout",server="payment"\} 1$/m
  );
});

test('metrics become offsets from the fault, without the recording machine’s instance or NaN samples', () => {
  const metrics = toMetrics(
    [
      {
        metric: { __name__: 'up', job: 'cart', instance: '127.0.0.1:4000' },
        values: [
          [T0 / 1000 - 15, '1'],
          [T0 / 1000, 'NaN'],
          [T0 / 1000 + 15, '0'],
        ],
      },
      { metric: { __name__: 'up', job: 'gone' }, values: [[T0 / 1000, 'NaN']] },
    ],
    T0
  );
  assert.deepEqual(metrics, [
    {
      labels: { __name__: 'up', job: 'cart' },
      samples: [
        [-15, 1],
        [15, 0],
      ],
    },
  ]);
});

test('traces keep the notable ones first, then spread the rest, up to the cap; partial traces are left out', () => {
  const spans: CapturedSpan[] = [];
  for (let i = 0; i < 20; i += 1) {
    const id = i.toString(16).padStart(32, '0');
    spans.push(span(id, `${i}`.padStart(16, '0'), 'frontend', i - 10, i === 15 ? { status: 'error' } : {}));
  }
  spans.push(span('f'.repeat(32), '1'.repeat(16), 'payment', 0, { parentSpanId: '2'.repeat(16) }));
  const traces = toTraces(spans, T0, 4);
  assert.equal(traces.length, 4);
  assert.ok(
    traces.some((trace) => trace.spans[0]?.status === 'error'),
    'the error trace is kept'
  );
  assert.ok(!traces.some((trace) => trace.traceId === 'f'.repeat(32)), 'a trace without its root is left out');
  assert.deepEqual(
    traces.map((trace) => trace.spans[0]?.start),
    [...traces.map((trace) => trace.spans[0]?.start ?? 0)].sort((a, b) => a - b)
  );
  assert.deepEqual(Object.keys(traces[0]?.spans[0] ?? {}), [
    'spanId',
    'service',
    'name',
    'kind',
    'start',
    'durationMs',
    'status',
    'attributes',
  ]);
});

test('logs keep warnings and errors, thin out info lines, and group by stream', () => {
  const logs = [
    ...Array.from({ length: 10 }, (_, i) => ({
      stream: { service_name: 'cart', level: 'info' },
      t: T0 + i * 1000,
      line: `info ${i}`,
    })),
    { stream: { service_name: 'cart', level: 'error' }, t: T0 + 2500, line: 'boom' },
  ];
  const streams = toLogs(logs, T0, 3);
  assert.deepEqual(streams, [
    {
      stream: { service_name: 'cart', level: 'info' },
      entries: [
        [0, 'info 0'],
        [5, 'info 5'],
      ],
    },
    { stream: { service_name: 'cart', level: 'error' }, entries: [[2.5, 'boom']] },
  ]);
});

test('alerts seen firing become Alertmanager webhook bodies when they fire and when they resolve', () => {
  const watcher = new AlertWatcher();
  const alert = {
    labels: { alertname: 'ShopHighErrorRate', service: 'payment', severity: 'critical' },
    annotations: { summary: 'payment fails' },
    activeAt: '',
    state: 'firing' as const,
  };
  watcher.see([{ ...alert, state: 'pending' }], T0 + 30_000);
  watcher.see([alert], T0 + 95_000);
  watcher.see([alert], T0 + 100_000);
  watcher.see([], T0 + 300_000);
  const deliveries = toAlertDeliveries(watcher.all(), T0);
  assert.deepEqual(
    deliveries.map((d) => [d.at, d.body.status]),
    [
      [95, 'firing'],
      [300, 'resolved'],
    ]
  );
  const [firing, resolved] = deliveries;
  assert.deepEqual(firing?.body.groupLabels, { alertname: 'ShopHighErrorRate', service: 'payment' });
  const [sent] = firing?.body.alerts as Array<Record<string, unknown>>;
  assert.equal(sent?.startsAt, 95);
  assert.equal('endsAt' in (sent ?? {}), false, 'a firing alert has no end');
  const [ended] = resolved?.body.alerts as Array<Record<string, unknown>>;
  assert.deepEqual([ended?.startsAt, ended?.endsAt, ended?.fingerprint], [95, 300, sent?.fingerprint]);
});

test(
  'a real Prometheus scrapes the sink’s span metrics and raises alerts from a rule file',
  { skip: findBinary('prometheus') === undefined ? 'prometheus not installed (Debian package prometheus)' : false },
  async () => {
    const sink = await startTelemetrySink();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'intelops-rules-'));
    const rules = path.join(dir, 'rules.yml');
    await writeFile(
      rules,
      'groups:\n  - name: t\n    rules:\n      - alert: SpansSeen\n        expr: sum by (service) (traces_spanmetrics_calls_total) > 0\n        labels: { severity: warning }\n'
    );
    sink.metrics.observe([span('a'.repeat(32), 'b'.repeat(16), 'cart', 0)]);
    const prometheus = await startScrapingPrometheus({
      targets: { tempo: new URL(sink.url).host },
      ruleFiles: [rules],
      scrapeIntervalSeconds: 1,
    });
    try {
      const deadline = Date.now() + 20_000;
      let alerts = await activeAlerts(prometheus.url);
      while (!alerts.some((alert) => alert.state === 'firing') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        alerts = await activeAlerts(prometheus.url);
      }
      assert.deepEqual(
        alerts.map((alert) => [alert.labels.alertname, alert.labels.service, alert.state]),
        [['SpansSeen', 'cart', 'firing']]
      );
      const now = Date.now() / 1000;
      const series = await queryRange(prometheus.url, 'traces_spanmetrics_calls_total', now - 30, now, 1);
      assert.deepEqual(
        series.map((one) => [one.metric.job, one.metric.service, one.values.at(-1)?.[1]]),
        [['tempo', 'cart', '1']]
      );
      await assert.rejects(queryRange(prometheus.url, 'sum(', now - 30, now, 1), /Prometheus refused sum\(/);
    } finally {
      await prometheus.stop();
      await sink.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
);
