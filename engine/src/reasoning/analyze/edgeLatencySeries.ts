import { toGrid } from '../../perception/metrics/grid.ts';
import { rateWindow } from '../../perception/metrics/goldenSignals.ts';
import { baselineStep } from '../../perception/metrics/steps.ts';
import type { MetricSeries, MetricsSource, TimeRange } from '../../sources/types.ts';
import type { EdgeLatencySeries } from '../ranking/rankRootCauses.ts';

/** Median call latency per edge as the caller and as the callee measured it, from one family of metrics. */
interface EdgeLatencyQuery {
  client: string;
  server: string;
  clientLabel: string;
  serverLabel: string;
}

const median = (metric: string, by: string, matchers = '') =>
  `histogram_quantile(0.5, sum by (${by}, le) (rate(${metric}${matchers}[$window])))`;

/** Tempo's (and the collector's) service-graph histograms first, then Istio's, whose reporter label says the side. */
export const EDGE_LATENCY_QUERIES: readonly EdgeLatencyQuery[] = [
  {
    client: median('traces_service_graph_request_client_seconds_bucket', 'client, server'),
    server: median('traces_service_graph_request_server_seconds_bucket', 'client, server'),
    clientLabel: 'client',
    serverLabel: 'server',
  },
  {
    client: median(
      'istio_request_duration_milliseconds_bucket',
      'source_canonical_service, destination_canonical_service',
      '{reporter="source"}'
    ),
    server: median(
      'istio_request_duration_milliseconds_bucket',
      'source_canonical_service, destination_canonical_service',
      '{reporter="destination"}'
    ),
    clientLabel: 'source_canonical_service',
    serverLabel: 'destination_canonical_service',
  },
];

export interface EdgeLatencyRequest {
  metrics: MetricsSource;
  /** Only edges between these services are kept. */
  services: readonly string[];
  incident: TimeRange;
  baseline: TimeRange;
  /** The step of the services' own series, so onsets compare. */
  stepSeconds: number;
  signal?: AbortSignal;
}

/**
 * Per-edge median latency from both ends over the baseline and the incident, from the first family of metrics that
 * has data: what lets the ranker tell a slow network from a slow service. Empty when no family has data.
 */
export async function edgeLatencySeries(request: EdgeLatencyRequest): Promise<EdgeLatencySeries[]> {
  const { metrics, incident, baseline, stepSeconds, signal } = request;
  const baselineRange = { from: baseline.from, to: Math.min(baseline.to, incident.from) };
  const baselineSeconds = baselineStep(baselineRange.to - baselineRange.from, stepSeconds);
  const wanted = new Set(request.services);
  for (const query of EDGE_LATENCY_QUERIES) {
    const read = async (template: string, range: TimeRange, step: number) =>
      range.to > range.from
        ? metrics.queryRange(template.replace('$window', rateWindow(step)), range, step, { signal })
        : [];
    const [clientNow, serverNow] = await Promise.all([
      read(query.client, incident, stepSeconds),
      read(query.server, incident, stepSeconds),
    ]);
    if (clientNow.length === 0 || serverNow.length === 0) {
      continue;
    }
    const [clientBefore, serverBefore] = await Promise.all([
      read(query.client, baselineRange, baselineSeconds),
      read(query.server, baselineRange, baselineSeconds),
    ]);
    const sides = [
      ['client', clientNow, clientBefore],
      ['server', serverNow, serverBefore],
    ] as const;
    return sides.flatMap(([side, now, before]) => {
      const beforeByEdge = new Map(before.map((series) => [edgeKey(series, query), series]));
      return now.flatMap((series): EdgeLatencySeries[] => {
        const client = series.labels[query.clientLabel];
        const server = series.labels[query.serverLabel];
        if (client === undefined || server === undefined || !wanted.has(client) || !wanted.has(server)) {
          return [];
        }
        const earlier = beforeByEdge.get(edgeKey(series, query))?.samples ?? [];
        const values = (samples: MetricSeries['samples'], range: TimeRange, step: number) =>
          toGrid(samples, range, step * 1000).values.map((value) => value ?? Number.NaN);
        return [
          {
            client,
            server,
            side,
            name: 'p50',
            baseline: values(earlier, baselineRange, baselineSeconds),
            anomalous: values(series.samples, incident, stepSeconds),
          },
        ];
      });
    });
  }
  return [];
}

function edgeKey(series: MetricSeries, query: EdgeLatencyQuery): string {
  return `${series.labels[query.clientLabel] ?? ''}\u0000${series.labels[query.serverLabel] ?? ''}`;
}
