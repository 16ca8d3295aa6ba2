import {
  createDataFrame,
  type DataFrame,
  type DataLink,
  type FieldConfig,
  FieldType,
  MappingType,
} from '@grafana/data';
import { TableCellDisplayMode } from '@grafana/schema';
import { PLUGIN_BASE_URL, ROUTES } from '../constants';
import { type AgentRunSummary, totalTokens, verdictText } from './agentRuns';

/** Opens the run's waterfall on the app's Agent runs page. */
export const AGENT_RUN_LINK: DataLink = {
  title: 'Open the agent run',
  url: `${PLUGIN_BASE_URL}/${ROUTES.AgentRuns}?run=\${__data.fields.id}`,
};

/** Opens the run's incident on its investigation page. */
export const RUN_INCIDENT_LINK: DataLink = {
  title: 'Open the investigation',
  url: `${PLUGIN_BASE_URL}/${ROUTES.Incidents}/\${__data.fields.incident}`,
};

/** The whole trace in Tempo's Explore: a trace id is a TraceQL query of its own. */
export function tempoTraceLink(tempoUid: string, traceIdField: string): DataLink {
  return {
    title: 'View the trace in Tempo',
    url: '',
    internal: {
      datasourceUid: tempoUid,
      datasourceName: 'Tempo',
      query: { refId: 'A', queryType: 'traceql', query: `\${__data.fields.${traceIdField}}` },
    },
  };
}

const STATUS_COLOURS: FieldConfig = {
  displayName: 'Status',
  mappings: [
    {
      type: MappingType.ValueToText,
      options: {
        ok: { text: 'ok', color: 'green', index: 0 },
        error: { text: 'error', color: 'red', index: 1 },
        running: { text: 'running', color: 'blue', index: 2 },
      },
    },
  ],
  custom: { cellOptions: { type: TableCellDisplayMode.ColorText } },
};

/**
 * Agent runs as one table frame, newest first, one row each: when, what, for which incident, how long, tokens,
 * model, status and verdict. `tempoUid` adds a link from the trace id to Tempo.
 */
export function agentRunsFrame(
  runs: AgentRunSummary[],
  refId: string,
  tempoUid?: string,
  name = 'Agent runs'
): DataFrame {
  const column = <T>(pick: (run: AgentRunSummary) => T): T[] => runs.map(pick);
  return createDataFrame({
    refId,
    name,
    meta: { preferredVisualisationType: 'table' },
    fields: [
      {
        name: 'time',
        type: FieldType.time,
        values: column((r) => Date.parse(r.startedAt)),
        config: { displayName: 'Started' },
      },
      { name: 'kind', type: FieldType.string, values: column((r) => r.kind), config: { displayName: 'Kind' } },
      {
        name: 'incident',
        type: FieldType.string,
        values: column((r) => r.incidentId),
        config: { displayName: 'Incident', noValue: '—', links: [RUN_INCIDENT_LINK] },
      },
      {
        name: 'duration',
        type: FieldType.number,
        values: column((r) => r.durationMs),
        config: { displayName: 'Duration', unit: 'ms', noValue: 'running' },
      },
      {
        name: 'tokens',
        type: FieldType.number,
        values: column((r) => totalTokens(r)),
        config: { displayName: 'LLM tokens', decimals: 0 },
      },
      {
        name: 'model',
        type: FieldType.string,
        values: column((r) => r.model),
        config: { displayName: 'Model', noValue: '—' },
      },
      { name: 'status', type: FieldType.string, values: column((r) => r.status), config: STATUS_COLOURS },
      {
        name: 'verdict',
        type: FieldType.string,
        values: column((r) => verdictText(r)),
        config: { displayName: 'Verdict', noValue: 'none yet' },
      },
      {
        // Not "faithfulness": that names the score in eval frames, and this column is one run's judgement.
        name: 'judgeFaithfulness',
        type: FieldType.number,
        values: column((r) => r.judge?.faithfulness ?? null),
        config: { displayName: 'Judge faithfulness', unit: 'percentunit', decimals: 0, min: 0, max: 1, noValue: '—' },
      },
      {
        name: 'error',
        type: FieldType.string,
        values: column((r) => r.error),
        config: { displayName: 'Error', noValue: '' },
      },
      {
        name: 'id',
        type: FieldType.string,
        values: column((r) => r.id),
        config: {
          displayName: 'Run',
          links: tempoUid ? [AGENT_RUN_LINK, tempoTraceLink(tempoUid, 'id')] : [AGENT_RUN_LINK],
        },
      },
    ],
  });
}
