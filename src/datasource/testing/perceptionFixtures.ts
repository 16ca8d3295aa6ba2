/**
 * Bodies of POST /api/v1/query/log-templates, POST /api/v1/query/anomalies and GET|POST
 * /api/v1/incidents/{id}/evidence in the shapes of the engine's HTTP contract (issue 4), for jest and the browser
 * harness. Times are relative to `now`, around the checkout incident of incidentFixtures.ts (42 minutes ago).
 */

const MINUTE = 60_000;

function at(now: number, minutesAgo: number): string {
  return new Date(now - minutesAgo * MINUTE).toISOString();
}

/** Counts per minute over the last hour, starting to rise `since` minutes ago. */
function buckets(now: number, base: number, since: number | null, peak: number): Array<[number, number]> {
  const end = Math.floor(now / MINUTE) * MINUTE;
  return Array.from({ length: 12 }, (_, index) => {
    const minutesAgo = 55 - index * 5;
    const count = since !== null && minutesAgo <= since ? peak - index : base + (index % 3);
    return [end - minutesAgo * MINUTE, Math.max(0, count)];
  });
}

export function logTemplatesJson(now: number) {
  return {
    selector: '{service_name=~"checkout|payments"}',
    linesRead: 48_213,
    truncated: false,
    templates: [
      {
        id: 'tpl_4c1e9a07b2d3',
        template: 'payment gateway timeout after <*> ms (attempt <*>)',
        count: 1840,
        baselineCount: 0,
        change: 'new',
        firstSeen: at(now, 41),
        lastSeen: at(now, 1),
        sample: 'payment gateway timeout after 3000 ms (attempt 2)',
        logql: '{service_name=~"checkout|payments"} |= "payment gateway timeout after"',
        series: buckets(now, 0, 41, 180),
      },
      {
        id: 'tpl_91f0d2c4e8a1',
        template: 'POST /api/checkout <*> <*> ms',
        count: 9620,
        baselineCount: 2410,
        change: 'spiking',
        firstSeen: at(now, 60),
        lastSeen: at(now, 0),
        sample: 'POST /api/checkout 504 3012 ms',
        logql: '{service_name=~"checkout|payments"} |= "POST /api/checkout"',
        series: buckets(now, 200, 42, 900),
      },
      {
        id: 'tpl_0b7d3e5f6a28',
        template: 'cache warmup finished in <*> s',
        count: 0,
        baselineCount: 12,
        change: 'vanishing',
        firstSeen: at(now, 60),
        lastSeen: at(now, 44),
        sample: 'cache warmup finished in 4.2 s',
        logql: '{service_name=~"checkout|payments"} |= "cache warmup finished in"',
        series: buckets(now, 1, 44, 0),
      },
      {
        id: 'tpl_5a6b7c8d9e0f',
        template: 'GET /healthz 200 <*> ms',
        count: 720,
        baselineCount: 716,
        change: 'steady',
        firstSeen: at(now, 60),
        lastSeen: at(now, 0),
        sample: 'GET /healthz 200 1 ms',
        logql: '{service_name=~"checkout|payments"} |= "GET /healthz 200"',
        series: buckets(now, 60, null, 60),
      },
    ],
  };
}

/** Two series at one-minute steps over the last hour: checkout latency leaves its band 42 minutes ago. */
export function anomaliesJson(now: number) {
  const end = Math.floor(now / MINUTE) * MINUTE;
  const timestamps = Array.from({ length: 60 }, (_, index) => end - (59 - index) * MINUTE);
  const latency = timestamps.map((_, index) => (index < 17 ? 0.42 + (index % 4) * 0.02 : 2.1 + (index % 5) * 0.15));
  return {
    step: 60,
    series: [
      {
        name: 'checkout p99 latency',
        labels: { service: 'checkout' },
        timestamps,
        values: latency.map((value, index) => (index === 30 ? null : value)),
        lower: timestamps.map(() => 0.31),
        upper: timestamps.map(() => 0.6),
        score: 0.86,
        direction: 'up',
        onset: new Date(timestamps[17] ?? end).toISOString(),
        anomalous: true,
      },
      {
        name: 'cart request rate',
        labels: { service: 'cart' },
        timestamps,
        values: timestamps.map((_, index) => 120 + (index % 6)),
        lower: timestamps.map(() => 100),
        upper: timestamps.map(() => 140),
        score: 0.08,
        direction: 'none',
        onset: null,
        anomalous: false,
      },
    ],
  };
}

type SourceJson = { state: 'ok' | 'unconfigured' | 'error'; message?: string };

function evidenceBody(
  incidentId: string,
  collectedAt: string | null,
  sources: Record<'prometheus' | 'loki' | 'tempo', SourceJson>,
  evidence: unknown[]
) {
  return { incidentId, collectedAt, sources, evidence };
}

/** The checkout incident's evidence after collection: every kind, from all three sources. */
export function checkoutEvidenceJson(now: number) {
  const from = at(now, 52);
  const to = at(now, 0);
  return evidenceBody(
    'inc-7f3a9c',
    at(now, 1),
    { prometheus: { state: 'ok' }, loki: { state: 'ok' }, tempo: { state: 'ok' } },
    [
      {
        id: 'ev_met_3f2a9b1c0d4e',
        kind: 'metric_anomaly',
        service: 'checkout',
        score: 0.86,
        summary: 'checkout p99 latency rose from 0.45 s to 2.3 s',
        from,
        to,
        link: {
          datasource: 'prometheus',
          query:
            'histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{service_name="checkout"}[5m])))',
        },
        details: {
          signal: 'latency',
          labels: { service_name: 'checkout' },
          direction: 'up',
          onset: at(now, 42),
          value: 2.3,
          baselineMedian: 0.45,
        },
      },
      {
        id: 'ev_met_8e7d6c5b4a39',
        kind: 'metric_anomaly',
        service: 'payments',
        score: 0.61,
        summary: 'payments error rate rose from 0.2% to 6.1%',
        from,
        to,
        link: {
          datasource: 'prometheus',
          query:
            'sum(rate(http_server_request_duration_seconds_count{service_name="payments",http_response_status_code=~"5.."}[5m])) / sum(rate(http_server_request_duration_seconds_count{service_name="payments"}[5m]))',
        },
        details: {
          signal: 'errors',
          labels: { service_name: 'payments' },
          direction: 'up',
          onset: at(now, 41),
          value: 0.061,
          baselineMedian: 0.002,
        },
      },
      {
        id: 'ev_log_c4d5e6f7a8b9',
        kind: 'log_template',
        service: 'payments',
        score: 0.92,
        summary: 'New log template in payments: "payment gateway timeout after <*> ms (attempt <*>)", 1840 lines',
        from,
        to,
        link: { datasource: 'loki', query: '{service_name="payments"} |= "payment gateway timeout after"' },
        details: {
          templateId: 'tpl_4c1e9a07b2d3',
          template: 'payment gateway timeout after <*> ms (attempt <*>)',
          change: 'new',
          count: 1840,
          baselineCount: 0,
          firstSeen: at(now, 41),
          lastSeen: at(now, 1),
          sample: 'payment gateway timeout after 3000 ms (attempt 2)',
        },
      },
      {
        id: 'ev_trc_1a2b3c4d5e6f',
        kind: 'trace_errors',
        service: 'payments',
        score: 0.74,
        summary: 'payments returns errors on checkout → payments: 212 error spans (baseline 3)',
        from,
        to,
        link: { datasource: 'tempo', query: '{ resource.service.name = "payments" && status = error }' },
        details: {
          edges: [{ client: 'checkout', server: 'payments' }],
          traceIds: ['7be2a9c41d0f3e58', '0c9d8e7f6a5b4c3d'],
          errorSpans: 212,
          baselineErrorSpans: 3,
        },
      },
      {
        id: 'ev_trl_6f5e4d3c2b1a',
        kind: 'trace_latency',
        service: 'checkout',
        score: 0.58,
        summary: 'checkout span p95 rose from 380 ms to 2900 ms',
        from,
        to,
        link: { datasource: 'tempo', query: '{ resource.service.name = "checkout" && duration > 2s }' },
        details: {
          edges: [{ client: 'cart', server: 'checkout' }],
          traceIds: ['3f9a2c71d0b4e5a6'],
          p95Ms: 2900,
          baselineP95Ms: 380,
        },
      },
    ]
  );
}

/** An incident no one collected evidence for yet. */
export function uncollectedEvidenceJson(incidentId: string) {
  return evidenceBody(
    incidentId,
    null,
    { prometheus: { state: 'ok' }, loki: { state: 'unconfigured' }, tempo: { state: 'ok' } },
    []
  );
}

/** What collecting gives when Loki has no URL and Tempo fails: the Prometheus evidence only. */
export function partialEvidenceJson(now: number, incidentId: string) {
  return evidenceBody(
    incidentId,
    at(now, 0),
    {
      prometheus: { state: 'ok' },
      loki: { state: 'unconfigured', message: 'no Loki URL set' },
      tempo: {
        state: 'error',
        message: 'Tempo at http://tempo:3200 answered 503 to GET /api/search: ingester unavailable',
      },
    },
    [
      {
        id: 'ev_met_2c3d4e5f6a7b',
        kind: 'metric_anomaly',
        service: 'orders-db',
        score: 0.79,
        summary: 'orders-db replication lag rose from 0.4 s to 45 s',
        from: at(now, 140),
        to: at(now, 0),
        link: { datasource: 'prometheus', query: 'max(pg_replication_lag_seconds{service="orders-db"})' },
        details: {
          signal: 'saturation',
          labels: { service: 'orders-db' },
          direction: 'up',
          onset: at(now, 130),
          value: 45,
          baselineMedian: 0.4,
        },
      },
    ]
  );
}
