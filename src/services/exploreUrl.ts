import { urlUtil } from '@grafana/data';

/** What Explore opens: one query on one Grafana datasource over a time range. */
export interface ExploreTarget {
  datasourceUid: string;
  datasourceType: 'prometheus' | 'loki' | 'tempo';
  /** PromQL, LogQL or TraceQL. */
  query: string;
  /** Epoch milliseconds, RFC 3339, or a relative time such as now-1h. */
  from: number | string;
  to: number | string;
  orgId?: number;
}

// Explore's pane key is any short id; a fixed one keeps the URL the same for the same target.
const PANE_KEY = 'intelops';

function timeParam(value: number | string): string {
  if (typeof value === 'number') {
    return String(Math.round(value));
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : String(ms);
}

/** The query model each datasource's Explore reads: `expr` for Prometheus and Loki, TraceQL `query` for Tempo. */
export function exploreQuery(target: Pick<ExploreTarget, 'datasourceUid' | 'datasourceType' | 'query'>) {
  const datasource = { type: target.datasourceType, uid: target.datasourceUid };
  return target.datasourceType === 'tempo'
    ? { refId: 'A', datasource, queryType: 'traceql', query: target.query }
    : { refId: 'A', datasource, expr: target.query };
}

/** Grafana's Explore URL (schemaVersion 1, one pane) for the target, as Explore's own "Share" link builds it. */
export function exploreUrl(target: ExploreTarget): string {
  const panes = {
    [PANE_KEY]: {
      datasource: target.datasourceUid,
      queries: [exploreQuery(target)],
      range: { from: timeParam(target.from), to: timeParam(target.to) },
    },
  };
  return urlUtil.renderUrl('/explore', {
    schemaVersion: 1,
    panes: JSON.stringify(panes),
    orgId: target.orgId ?? 1,
  });
}
