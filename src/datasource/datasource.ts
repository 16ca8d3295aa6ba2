import {
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  DataSourceApi,
  type DataSourceInstanceSettings,
  type ScopedVars,
  type TestDataSourceResponse,
  type TimeRange,
} from '@grafana/data';
import { getTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import { EngineClient, type EngineFetch } from './engineClient';
import { checkEngineConnection, describeEngineFailure, fetchEngineStatus } from './engineStatus';
import { engineStatusFrame } from './frames';
import { fetchAnomalies, anomaliesRequest } from './anomalies';
import { anomalyFrames } from './anomaliesFrame';
import { fetchIncidents } from './incidents';
import { incidentsFrame } from './incidentsFrame';
import { fetchLogTemplates, logTemplatesRequest } from './logTemplates';
import { logTemplatesFrame } from './logTemplatesFrame';
import { formatQueryVariable } from './queryInterpolation';
import { runIncidentGraph, runRootCauses } from './rootCausesQuery';
import { runAgentRun, runAgentRuns, runEvals } from './agentRunsQuery';
import { queryProblems } from './queryValidation';
import { DEFAULT_QUERY_TYPE, type IntelOpsOptions, type IntelOpsQuery, isQueryType, type QueryType } from './types';
import { type Upstream, upstreamUids } from './upstreams';

/** Name of the plugin.json route that forwards to the engine with the token. */
export const ENGINE_ROUTE = 'engine';

/** The part of Grafana's TemplateSrv the datasource uses. */
export type VariableInterpolator = Pick<TemplateSrv, 'replace'>;

export interface QueryContext {
  client: EngineClient;
  /** The query with its template variables already replaced. */
  query: IntelOpsQuery;
  range: TimeRange;
  timeZone: string;
  /** Grafana datasource uids for Explore links. */
  upstreams: Record<Upstream, string>;
  /** The engine's URL as configured, for messages. */
  engineName: string;
}

type QueryRunner = (context: QueryContext) => Promise<DataFrame[]>;

// One runner per query type; a new query type adds its runner here.
const runners: Record<QueryType, QueryRunner> = {
  status: async ({ client, query }) => [engineStatusFrame(await fetchEngineStatus(client), query.refId)],
  incidents: async ({ client, query, range }) => {
    const { incidents } = await fetchIncidents(client, {
      from: range.from.valueOf(),
      to: range.to.valueOf(),
      status: query.status,
      severity: query.severity,
      service: splitList(query.service),
    });
    return [incidentsFrame(incidents, query.refId, Date.now())];
  },
  logTemplates: async ({ client, query, range, upstreams }) => {
    const request = logTemplatesRequest(
      { selector: query.selector, services: splitList(query.service), baseline: query.baseline },
      range
    );
    return [logTemplatesFrame(await fetchLogTemplates(client, request), query.refId, upstreams.loki)];
  },
  anomalies: async ({ client, query, range, timeZone }) => {
    const request = anomaliesRequest({ expr: query.expr ?? '', step: query.step, baseline: query.baseline }, range);
    const { series } = await fetchAnomalies(client, request);
    return anomalyFrames(series, query.refId, timeZone, range.to.valueOf() - range.from.valueOf());
  },
  rootCauses: runRootCauses,
  incidentGraph: runIncidentGraph,
  agentRuns: runAgentRuns,
  agentRun: runAgentRun,
  evals: runEvals,
};

/** "a, b" means a or b: how a multi-value variable reads in the csv format. */
function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Data-proxy URL of the engine route: Grafana forwards `${url}/engine/...` to jsonData.engineUrl. */
export function engineProxyUrl(instanceSettings: DataSourceInstanceSettings<IntelOpsOptions>): string {
  return `${instanceSettings.url ?? ''}/${ENGINE_ROUTE}`;
}

export class IntelOpsDataSource extends DataSourceApi<IntelOpsQuery, IntelOpsOptions> {
  readonly client: EngineClient;
  private readonly engineUrl?: string;
  private readonly templateSrv?: VariableInterpolator;
  private readonly upstreams: Record<Upstream, string>;

  constructor(
    instanceSettings: DataSourceInstanceSettings<IntelOpsOptions>,
    send?: EngineFetch,
    templateSrv?: VariableInterpolator
  ) {
    super(instanceSettings);
    this.client = new EngineClient(engineProxyUrl(instanceSettings), send);
    this.engineUrl = instanceSettings.jsonData.engineUrl;
    this.templateSrv = templateSrv;
    this.upstreams = upstreamUids(instanceSettings.jsonData);
  }

  /**
   * Replaces dashboard variables: in filters a multi-value variable becomes a list; in LogQL and PromQL a value is
   * escaped for a quoted string, several values become a regex alternation (see queryInterpolation.ts).
   */
  applyTemplateVariables(query: IntelOpsQuery, scopedVars: ScopedVars): IntelOpsQuery {
    const templateSrv = this.templateSrv ?? getTemplateSrv();
    const replace = (value: string) => templateSrv.replace(value, scopedVars, 'csv');
    const replaceInQuery = (value: string) => templateSrv.replace(value, scopedVars, formatQueryVariable);
    const replaceText = (value: string) => templateSrv.replace(value, scopedVars);
    const replaceList = (values: string[] | undefined) =>
      values === undefined ? undefined : values.flatMap((value) => splitList(replace(value)));
    return {
      ...query,
      ...(query.service !== undefined ? { service: replace(query.service) } : {}),
      ...(query.incidentId !== undefined ? { incidentId: replaceText(query.incidentId) } : {}),
      ...(query.runId !== undefined ? { runId: replaceText(query.runId) } : {}),
      ...(query.kind !== undefined ? { kind: replaceText(query.kind) } : {}),
      ...(query.status !== undefined ? { status: replaceList(query.status) } : {}),
      ...(query.severity !== undefined ? { severity: replaceList(query.severity) } : {}),
      ...(query.selector !== undefined ? { selector: replaceInQuery(query.selector) } : {}),
      ...(query.expr !== undefined ? { expr: replaceInQuery(query.expr) } : {}),
      ...(query.baseline !== undefined ? { baseline: replaceText(query.baseline) } : {}),
      ...(query.step !== undefined ? { step: replaceText(query.step) } : {}),
    };
  }

  interpolateVariablesInQueries(queries: IntelOpsQuery[], scopedVars: ScopedVars): IntelOpsQuery[] {
    return queries.map((query) => this.applyTemplateVariables(query, scopedVars));
  }

  getDefaultQuery(): Partial<IntelOpsQuery> {
    return { queryType: DEFAULT_QUERY_TYPE };
  }

  filterQuery(query: IntelOpsQuery): boolean {
    return !query.hide;
  }

  async query(request: DataQueryRequest<IntelOpsQuery>): Promise<DataQueryResponse> {
    const results = await Promise.all(
      request.targets.filter((query) => this.filterQuery(query)).map((query) => this.runQuery(query, request))
    );
    const errors = results.flatMap((result) => ('error' in result ? [result.error] : []));
    return {
      data: results.flatMap((result) => ('frames' in result ? result.frames : [])),
      ...(errors.length > 0 ? { errors } : {}),
    };
  }

  private async runQuery(
    query: IntelOpsQuery,
    request: DataQueryRequest<IntelOpsQuery>
  ): Promise<{ frames: DataFrame[] } | { error: DataQueryError }> {
    const queryType: unknown = query.queryType ?? DEFAULT_QUERY_TYPE;
    if (!isQueryType(queryType)) {
      return {
        error: {
          refId: query.refId,
          message: `Unknown IntelOps query type "${String(queryType)}": pick one in the query editor.`,
        },
      };
    }
    const interpolated = this.applyTemplateVariables({ ...query, queryType }, request.scopedVars);
    // Checked after interpolation: a variable may stand for the whole selector or the step.
    const [problem] = queryProblems(interpolated);
    if (problem) {
      return { error: { refId: query.refId, message: problem.message } };
    }
    try {
      return {
        frames: await runners[queryType]({
          client: this.client,
          query: interpolated,
          range: request.range,
          timeZone: request.timezone,
          upstreams: this.upstreams,
          engineName: this.engineUrl || 'the configured URL',
        }),
      };
    } catch (error) {
      return {
        error: { refId: query.refId, message: describeEngineFailure(error, this.engineUrl || 'the configured URL') },
      };
    }
  }

  testDatasource(): Promise<TestDataSourceResponse> {
    return checkEngineConnection(this.client, this.engineUrl);
  }
}
