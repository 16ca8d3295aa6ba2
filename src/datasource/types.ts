import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

/** The engine's HTTP API version this plugin speaks (`apiVersion` in GET /api/v1/status). */
export const REQUIRED_API_VERSION = 1;

/** Shown in the config editor and in messages when no engine URL is set yet. */
export const ENGINE_URL_PLACEHOLDER = 'http://localhost:8686';

/** Query types the datasource answers. */
export type QueryType =
  | 'status'
  | 'incidents'
  | 'logTemplates'
  | 'anomalies'
  | 'rootCauses'
  | 'incidentGraph'
  | 'agentRuns'
  | 'agentRun'
  | 'evals';

export interface QueryTypeOption {
  value: QueryType;
  label: string;
  description: string;
}

export const QUERY_TYPES: QueryTypeOption[] = [
  {
    value: 'status',
    label: 'Status',
    description: "The engine's version, API version, store kind and uptime (GET /api/v1/status)",
  },
  {
    value: 'incidents',
    label: 'Incidents',
    description:
      'Incidents active in the dashboard time range, one row each, for a table panel (GET /api/v1/incidents)',
  },
  {
    value: 'logTemplates',
    label: 'Log templates',
    description:
      'Log lines from Loki mined into templates, with new, spiking and vanishing ones against a baseline window, for a table panel (POST /api/v1/query/log-templates)',
  },
  {
    value: 'anomalies',
    label: 'Anomalies',
    description:
      'A PromQL query with each series scored against its own baseline: the series, its expected band and anomaly score, for a time series panel (POST /api/v1/query/anomalies)',
  },
  {
    value: 'rootCauses',
    label: 'Root causes',
    description:
      'The top 3 root causes of an incident, or of the latest incident of a service in the time range, with confidence, evidence, explanation and actions, for the IntelOps root cause panel (GET /api/v1/incidents/{id}/rca and …/evidence)',
  },
  {
    value: 'incidentGraph',
    label: 'Dependency graph',
    description:
      "The services around an incident and their calls, the suspected cause highlighted, for Grafana's Node graph panel (GET /api/v1/incidents/{id}/rca)",
  },
  {
    value: 'agentRuns',
    label: 'Agent runs',
    description:
      "The engine's AI runs in the dashboard time range, newest first: kind, incident, duration, LLM tokens, model, status and verdict, for a table panel (GET /api/v1/runs)",
  },
  {
    value: 'agentRun',
    label: 'Agent run',
    description:
      "One agent run as a trace (perception, retrieval, LLM, tool and action spans), by id or else the newest in the time range (of an incident), for the IntelOps agent trace panel or Grafana's Traces panel (GET /api/v1/runs/{id})",
  },
  {
    value: 'evals',
    label: 'Evals',
    description:
      'The scorecard of analyses in the dashboard time range (P95 latency, error rate, TTFT, retrieval hit rate, hallucination rate, accuracy, faithfulness) with thresholds, verdict, trend and worst runs, for the IntelOps evals panel (GET /api/v1/evals)',
  },
];

export const DEFAULT_QUERY_TYPE: QueryType = 'status';

export interface IntelOpsQuery extends DataQuery {
  queryType?: QueryType;
  /** Incidents: statuses to keep (any when empty); values may be template variables. */
  status?: string[];
  /** Incidents: severities to keep (any when empty). */
  severity?: string[];
  /**
   * Root causes and Dependency graph: the incident's id; when empty, the latest incident of `service` is used.
   * Agent runs: only the runs of this incident. Agent run: the incident whose newest run to read when no run id is set.
   */
  incidentId?: string;
  /** Agent runs and Agent run: only runs of this kind (analyze, ask, draft, judge, workflow); any when empty. */
  kind?: string;
  /** Agent run: the run's id (its trace id). */
  runId?: string;
  /** Incidents and Log templates: services, comma-separated; Root causes: the one service whose latest incident to read; `$service` with several values matches any of them. */
  service?: string;
  /** Log templates: a LogQL stream selector such as {namespace="shop"}; dashboard variables work. */
  selector?: string;
  /** Log templates and Anomalies: how long before the range the baseline window starts (1h, 1d); the engine's default when empty. */
  baseline?: string;
  /** Anomalies: the PromQL query whose series are scored. */
  expr?: string;
  /** Anomalies: resolution (30s, 1m); the engine picks one for the range when empty. */
  step?: string;
}

/** Non-secret datasource settings (jsonData); the secret token is handled by ConfigEditor only. */
export interface IntelOpsOptions extends DataSourceJsonData {
  engineUrl?: string;
  /** Grafana datasources that Explore links open; the provisioned uids (loki, prometheus, tempo) when unset. */
  lokiDatasourceUid?: string;
  prometheusDatasourceUid?: string;
  tempoDatasourceUid?: string;
}

/** GET /api/v1/status */
export interface EngineStatus {
  version: string;
  apiVersion: number;
  store: string;
  startedAt: string;
  uptimeSeconds: number;
}

export function isQueryType(value: unknown): value is QueryType {
  return QUERY_TYPES.some((option) => option.value === value);
}
