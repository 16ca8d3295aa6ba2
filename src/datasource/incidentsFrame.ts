import {
  createDataFrame,
  type DataFrame,
  type DataLink,
  type FieldConfig,
  FieldType,
  MappingType,
  type ValueMapping,
} from '@grafana/data';
import { TableCellDisplayMode } from '@grafana/schema';
import { PLUGIN_BASE_URL, ROUTES } from '../constants';
import { type Incident, indicatorText, type TopCause } from './incidents';
import { incidentDurationMs, statusLabel, topGroupingReason } from './incidentSummary';

/** Opens the incident's investigation in the app; Grafana URI-encodes variables in data link URLs. */
export const INVESTIGATION_LINK: DataLink = {
  title: 'Open the investigation',
  url: `${PLUGIN_BASE_URL}/${ROUTES.Incidents}/\${__data.fields.id}`,
};

// Theme colour names: the table panel resolves them in the dark and light themes alike.
const SEVERITY_COLOURS: Array<[string, string]> = [
  ['critical', 'red'],
  ['high', 'orange'],
  ['warning', 'yellow'],
  ['info', 'blue'],
];

const STATUS_COLOURS: Array<[string, string]> = [
  ['open', 'red'],
  ['firing', 'red'],
  ['resolving', 'orange'],
  ['resolved', 'green'],
];

function colourMapping(colours: Array<[string, string]>, text: (value: string) => string): ValueMapping {
  return {
    type: MappingType.ValueToText,
    options: Object.fromEntries(colours.map(([value, color], index) => [value, { color, index, text: text(value) }])),
  };
}

function colouredText(colours: Array<[string, string]>, displayName: string, text = (v: string) => v): FieldConfig {
  return {
    displayName,
    mappings: [colourMapping(colours, text)],
    custom: { cellOptions: { type: TableCellDisplayMode.ColorText } },
  };
}

/** "checkout (latency)": the service and what about it looks wrong. */
export function causeLabel(cause: TopCause): string {
  return `${cause.service} (${indicatorText(cause.indicator)})`;
}

/**
 * Incidents as one table frame, one row each, for any table panel.
 * `now` measures the duration of incidents still going.
 */
export function incidentsFrame(incidents: Incident[], refId: string, now: number): DataFrame {
  const column = <T>(pick: (incident: Incident) => T): T[] => incidents.map(pick);
  return createDataFrame({
    refId,
    name: 'Incidents',
    meta: { preferredVisualisationType: 'table' },
    fields: [
      {
        name: 'severity',
        type: FieldType.string,
        values: column((i) => i.severity),
        config: colouredText(SEVERITY_COLOURS, 'Severity'),
      },
      {
        name: 'title',
        type: FieldType.string,
        values: column((i) => i.title),
        config: { displayName: 'Title', links: [INVESTIGATION_LINK] },
      },
      {
        name: 'services',
        type: FieldType.string,
        values: column((i) => i.services.join(', ')),
        config: { displayName: 'Services' },
      },
      {
        name: 'status',
        type: FieldType.string,
        values: column((i) => i.status),
        config: colouredText(STATUS_COLOURS, 'Status', statusLabel),
      },
      {
        name: 'started',
        type: FieldType.time,
        values: column((i) => Date.parse(i.startsAt)),
        config: { displayName: 'Started' },
      },
      {
        name: 'ended',
        type: FieldType.time,
        values: column((i) => (i.endsAt === null ? null : Date.parse(i.endsAt))),
        config: { displayName: 'Ended', noValue: 'ongoing' },
      },
      {
        name: 'duration',
        type: FieldType.number,
        values: column((i) => incidentDurationMs(i, now)),
        config: { displayName: 'Duration', unit: 'dtdurationms' },
      },
      {
        name: 'alerts',
        type: FieldType.number,
        values: column((i) => i.alertCount),
        config: { displayName: 'Alerts', decimals: 0 },
      },
      {
        name: 'cause',
        type: FieldType.string,
        values: column((i) => (i.topCause === null ? null : causeLabel(i.topCause))),
        config: { displayName: 'Suspected cause', noValue: 'Not analysed' },
      },
      {
        name: 'confidence',
        type: FieldType.number,
        values: column((i) => i.topCause?.confidence ?? null),
        config: { displayName: 'Confidence', unit: 'percentunit', decimals: 0, min: 0, max: 1 },
      },
      {
        name: 'causeMethod',
        type: FieldType.string,
        values: column((i) => i.topCause?.method ?? null),
        config: {
          displayName: 'Ranked by',
          mappings: [
            {
              type: MappingType.ValueToText,
              options: { graph: { text: 'Dependency graph', index: 0 }, llm: { text: 'LLM', index: 1 } },
            },
          ],
        },
      },
      {
        name: 'reason',
        type: FieldType.string,
        values: column((i) => topGroupingReason(i)),
        config: { displayName: 'Top grouping reason' },
      },
      {
        name: 'id',
        type: FieldType.string,
        values: column((i) => i.id),
        config: { displayName: 'ID', links: [INVESTIGATION_LINK] },
      },
    ],
  });
}
