import type { GoldenSignal } from '../evidence.ts';
import { escapeGoString } from '../../sources/goString.ts';

/** How a signal's values read: seconds, a ratio 0..1, requests per second, CPU cores, bytes. */
export type SignalUnit = 'seconds' | 'ratio' | 'requests_per_second' | 'cores' | 'bytes';

/**
 * One PromQL template and the label that names the service in it. Placeholders: `$service` (the service name,
 * escaped for a double-quoted PromQL string, so write it inside quotes), `$label` (the service label name) and
 * `$window` (the rate window: 5 minutes or two steps, whichever is longer).
 */
export interface QueryCandidate {
  template: string;
  serviceLabel: string;
}

export interface SignalQuery {
  signal: GoldenSignal;
  /** What the series measures, for summaries ("p95 latency", "CPU"). */
  name: string;
  unit: SignalUnit;
  /** Tried in order for each service: the first that returns data is used, the rest are not queried. */
  candidates: QueryCandidate[];
  /** Value for instants without a sample; undefined leaves a gap. */
  fillMissing?: number;
}

/** Every query of every signal is evaluated (each with its own candidates); a signal may have several (CPU, memory). */
export type GoldenSignalsConfig = SignalQuery[];

function withLabels(template: string, labels: readonly string[]): QueryCandidate[] {
  return labels.map((serviceLabel) => ({ template, serviceLabel }));
}

// OpenTelemetry through Prometheus' OTLP receiver names the service in `job` (or `service_name` when promoted);
// Tempo's metrics generator uses `service`, the collector's spanmetrics connector `service_name`.
const OTEL_LABELS = ['service_name', 'job'];
const SERVER_SPANS = 'span_kind=~"SPAN_KIND_SERVER|SPAN_KIND_CONSUMER"';

/** Defaults for OpenTelemetry HTTP metrics, span metrics from Tempo or the collector, and common exporters. */
export const DEFAULT_GOLDEN_SIGNALS: GoldenSignalsConfig = [
  {
    signal: 'latency',
    name: 'p95 latency',
    unit: 'seconds',
    candidates: [
      ...withLabels(
        'histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{$label="$service"}[$window])))',
        OTEL_LABELS
      ),
      // Prometheus 3 with UTF-8 names keeps the OpenTelemetry name.
      ...withLabels(
        'histogram_quantile(0.95, sum by (le) (rate({__name__=~"http\\\\.server\\\\.request\\\\.duration(_seconds)?_bucket", $label="$service"}[$window])))',
        OTEL_LABELS
      ),
      {
        template: `histogram_quantile(0.95, sum by (le) (rate(traces_spanmetrics_latency_bucket{$label="$service", ${SERVER_SPANS}}[$window])))`,
        serviceLabel: 'service',
      },
      {
        template: `histogram_quantile(0.95, sum by (le) (rate(traces_span_metrics_duration_seconds_bucket{$label="$service", ${SERVER_SPANS}}[$window])))`,
        serviceLabel: 'service_name',
      },
      {
        template: `histogram_quantile(0.95, sum by (le) (rate(traces_span_metrics_duration_milliseconds_bucket{$label="$service", ${SERVER_SPANS}}[$window]))) / 1000`,
        serviceLabel: 'service_name',
      },
      ...withLabels(
        'histogram_quantile(0.95, sum by (le) (rate(http_server_duration_milliseconds_bucket{$label="$service"}[$window]))) / 1000',
        OTEL_LABELS
      ),
      ...withLabels(
        'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{$label="$service"}[$window])))',
        ['job', 'service']
      ),
    ],
  },
  {
    signal: 'errors',
    name: 'error ratio',
    unit: 'ratio',
    // `or vector(0)`: with traffic but no failed requests the ratio is 0, not absent.
    candidates: [
      ...withLabels(
        '(sum(rate(http_server_request_duration_seconds_count{$label="$service", http_response_status_code=~"5.."}[$window])) or vector(0)) / sum(rate(http_server_request_duration_seconds_count{$label="$service"}[$window]))',
        OTEL_LABELS
      ),
      {
        template: `(sum(rate(traces_spanmetrics_calls_total{$label="$service", ${SERVER_SPANS}, status_code="STATUS_CODE_ERROR"}[$window])) or vector(0)) / sum(rate(traces_spanmetrics_calls_total{$label="$service", ${SERVER_SPANS}}[$window]))`,
        serviceLabel: 'service',
      },
      {
        template: `(sum(rate(traces_span_metrics_calls_total{$label="$service", ${SERVER_SPANS}, status_code="STATUS_CODE_ERROR"}[$window])) or vector(0)) / sum(rate(traces_span_metrics_calls_total{$label="$service", ${SERVER_SPANS}}[$window]))`,
        serviceLabel: 'service_name',
      },
      ...withLabels(
        '(sum(rate(http_requests_total{$label="$service", code=~"5.."}[$window])) or vector(0)) / sum(rate(http_requests_total{$label="$service"}[$window]))',
        ['job', 'service']
      ),
    ],
    fillMissing: 0,
  },
  {
    signal: 'traffic',
    name: 'request rate',
    unit: 'requests_per_second',
    candidates: [
      ...withLabels('sum(rate(http_server_request_duration_seconds_count{$label="$service"}[$window]))', OTEL_LABELS),
      {
        template: `sum(rate(traces_spanmetrics_calls_total{$label="$service", ${SERVER_SPANS}}[$window]))`,
        serviceLabel: 'service',
      },
      {
        template: `sum(rate(traces_span_metrics_calls_total{$label="$service", ${SERVER_SPANS}}[$window]))`,
        serviceLabel: 'service_name',
      },
      ...withLabels('sum(rate(http_requests_total{$label="$service"}[$window]))', ['job', 'service']),
    ],
  },
  {
    signal: 'saturation',
    name: 'CPU',
    unit: 'cores',
    candidates: [
      ...withLabels('sum(rate(process_cpu_seconds_total{$label="$service"}[$window]))', [
        'job',
        'service_name',
        'service',
      ]),
      {
        template: 'sum(rate(container_cpu_usage_seconds_total{$label="$service"}[$window]))',
        serviceLabel: 'container',
      },
    ],
  },
  {
    signal: 'saturation',
    name: 'memory',
    unit: 'bytes',
    candidates: [
      ...withLabels('sum(process_resident_memory_bytes{$label="$service"})', ['job', 'service_name', 'service']),
      { template: 'sum(container_memory_working_set_bytes{$label="$service"})', serviceLabel: 'container' },
    ],
  },
];

/** A value escaped for a double-quoted PromQL string. */
export const escapePromQLString = escapeGoString;

const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label name for a matcher: bare when it is a classic name, quoted (Prometheus 3 UTF-8 syntax) otherwise. */
export function promQLLabelName(name: string): string {
  if (name === '') {
    throw new Error('a label name must not be empty');
  }
  return LEGACY_LABEL_NAME.test(name) ? name : `"${escapePromQLString(name)}"`;
}

/** A `label="value"` matcher with both parts escaped. */
export function labelMatcher(label: string, value: string): string {
  return `${promQLLabelName(label)}="${escapePromQLString(value)}"`;
}

/** The rate window for a step: 5 minutes, or two steps when that is longer, so no sample falls between windows. */
export function rateWindow(stepSeconds: number): string {
  return `${Math.max(300, Math.ceil(2 * stepSeconds))}s`;
}

/** Fills a template's placeholders in one pass, so a service name containing "$label" stays literal. */
export function expandTemplate(candidate: QueryCandidate, service: string, stepSeconds: number): string {
  if (!candidate.template.includes('$service')) {
    throw new Error(`query template ${JSON.stringify(candidate.template)} has no $service placeholder`);
  }
  const values: Record<string, string> = {
    service: escapePromQLString(service),
    label: promQLLabelName(candidate.serviceLabel),
    window: rateWindow(stepSeconds),
  };
  return candidate.template.replace(/\$(service|label|window)\b/g, (_match, name: string) => values[name] ?? '');
}
