import type { Page, Response } from '@playwright/test';
import type { QueryType } from '../../src/datasource/types';

export const APP_PLUGIN_ID = 'intelops-aiops-app';

/** The provisioned IntelOps datasource (provisioning/datasources/intelops.yaml), as readProvisionedDataSource takes it. */
export const PROVISIONED_DATASOURCE = { fileName: 'intelops.yaml', name: 'IntelOps' };

/** Grafana's data-proxy URL path of an engine API path (plugin.json route "engine"). */
export function engineProxyPath(datasourceUid: string, apiPath: string): string {
  return `/api/datasources/proxy/uid/${datasourceUid}/engine/api/v1/${apiPath}`;
}

/** Whether this is Grafana's proxy answering for that engine API path (query string aside). */
export function isEngineAnswer(response: Response, datasourceUid: string, apiPath: string): boolean {
  return new URL(response.url()).pathname === engineProxyPath(datasourceUid, apiPath);
}

/** The next answer for that engine API path; call it before the action that sends the request. */
export function nextEngineResponse(page: Page, datasourceUid: string, apiPath: string): Promise<Response> {
  return page.waitForResponse((response) => isEngineAnswer(response, datasourceUid, apiPath));
}

// The first engine request each query type sends; a query that runs gets a 2xx for it, whatever data there is.
// Root causes and the graph are read by service and the agent run is the newest: these tests name no ids.
const FIRST_REQUEST: Record<QueryType, string> = {
  status: 'status',
  incidents: 'incidents',
  logTemplates: 'query/log-templates',
  anomalies: 'query/anomalies',
  rootCauses: 'incidents',
  incidentGraph: 'incidents',
  agentRuns: 'runs',
  agentRun: 'runs',
  evals: 'evals',
};

/** The engine API path a query of this type sends first (status when unset). */
export function firstEngineRequest(queryType: QueryType | undefined): string {
  return FIRST_REQUEST[queryType ?? 'status'];
}
