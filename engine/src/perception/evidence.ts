import { createHash } from 'node:crypto';

/**
 * Evidence is what reasoning cites: each item has a stable id, a kind, a service, a score, a time range and
 * the query that reproduces it in Grafana Explore.
 */
export type EvidenceKind = 'log_template' | 'metric_anomaly' | 'trace_errors' | 'trace_latency';

/** The upstream query that shows this evidence in Grafana Explore. */
export interface ExploreLink {
  datasource: 'prometheus' | 'loki' | 'tempo';
  /** PromQL, LogQL or TraceQL. */
  query: string;
}

interface EvidenceBase<K extends EvidenceKind, D> {
  id: string;
  kind: K;
  /** The CMDB service it concerns, when known. */
  service: string | undefined;
  /** Strength in [0, 1]; comparable across kinds only roughly. */
  score: number;
  /** One sentence a person reads. */
  summary: string;
  /** ISO 8601 range the evidence covers. */
  from: string;
  to: string;
  link: ExploreLink;
  details: D;
}

export type TemplateChange = 'new' | 'spiking' | 'vanishing';

export type LogTemplateEvidence = EvidenceBase<
  'log_template',
  {
    templateId: string;
    template: string;
    change: TemplateChange;
    count: number;
    /** Count in the baseline window, scaled to the incident window's length. */
    baselineCount: number;
    firstSeen: string;
    lastSeen: string;
    sample: string;
  }
>;

export type GoldenSignal = 'latency' | 'errors' | 'traffic' | 'saturation';

export type MetricAnomalyEvidence = EvidenceBase<
  'metric_anomaly',
  {
    signal: GoldenSignal;
    labels: Record<string, string>;
    direction: 'up' | 'down';
    /** When the series first left its baseline band. */
    onset: string;
    value: number;
    baselineMedian: number;
  }
>;

export interface CallEdge {
  client: string;
  server: string;
}

export type TraceEvidence = EvidenceBase<
  'trace_errors' | 'trace_latency',
  {
    edges: CallEdge[];
    /** A few trace ids that show it, for the Tempo link. */
    traceIds: string[];
    errorSpans?: number;
    baselineErrorSpans?: number;
    p95Ms?: number;
    baselineP95Ms?: number;
  }
>;

export type Evidence = LogTemplateEvidence | MetricAnomalyEvidence | TraceEvidence;

/** A stable id from what identifies the item: the same finding for the same scope always gets the same id. */
export function evidenceId(kind: EvidenceKind, scope: string, key: string): string {
  const prefix = { log_template: 'log', metric_anomaly: 'met', trace_errors: 'trc', trace_latency: 'trl' }[kind];
  return `ev_${prefix}_${createHash('sha256').update(`${kind}\n${scope}\n${key}`).digest('hex').slice(0, 12)}`;
}
