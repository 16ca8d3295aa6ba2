import pluginJson from './plugin.json';
import datasourceJson from './datasource/plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;
export const DATASOURCE_PLUGIN_ID = datasourceJson.id;

export enum ROUTES {
  Incidents = 'incidents',
  Investigation = 'investigation',
  AgentRuns = 'agent-runs',
  Evals = 'evals',
  Knowledge = 'knowledge',
  Workflows = 'workflows',
  Settings = 'settings',
}
