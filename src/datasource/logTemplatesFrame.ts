import {
  createDataFrame,
  type DataFrame,
  type DataLink,
  FieldType,
  MappingType,
  type QueryResultMetaNotice,
} from '@grafana/data';
import { TableCellDisplayMode } from '@grafana/schema';
import type { LogTemplate, LogTemplatesResult, TemplateChange } from './logTemplates';

/** Opens the row's LogQL (its `logql` field) in Explore on the Loki datasource, over the panel's time range. */
export function lokiExploreLink(lokiUid: string): DataLink {
  return {
    title: 'Show these lines in Explore',
    url: '',
    internal: {
      datasourceUid: lokiUid,
      datasourceName: 'Loki',
      query: { refId: 'A', expr: '${__data.fields.logql}', datasource: { type: 'loki', uid: lokiUid } },
    },
  };
}

// Theme colour names, resolved by the table in either theme; steady lines keep the text colour.
const CHANGE_COLOURS: Record<TemplateChange, string> = {
  new: 'red',
  spiking: 'orange',
  vanishing: 'blue',
  steady: 'text',
};

/** A template's counts over time as the small frame a table cell draws as a sparkline. */
function trendFrame(template: LogTemplate): DataFrame {
  return createDataFrame({
    name: template.id,
    fields: [
      { name: 'time', type: FieldType.time, values: template.series.map(([at]) => at) },
      { name: 'count', type: FieldType.number, values: template.series.map(([, count]) => count) },
    ],
  });
}

function notices(result: LogTemplatesResult): QueryResultMetaNotice[] {
  return result.truncated
    ? [
        {
          severity: 'warning',
          text: `Read the newest ${result.linesRead} lines only (a window had more): narrow the selector or the time range to count them all.`,
        },
      ]
    : [];
}

function timeOrNull(value: string): number | null {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** The templates as one table frame, one row each, for any table panel. */
export function logTemplatesFrame(result: LogTemplatesResult, refId: string, lokiUid: string): DataFrame {
  const column = <T>(pick: (template: LogTemplate) => T): T[] => result.templates.map(pick);
  const link = lokiExploreLink(lokiUid);
  return createDataFrame({
    refId,
    name: 'Log templates',
    meta: {
      preferredVisualisationType: 'table',
      notices: notices(result),
      custom: { selector: result.selector, linesRead: result.linesRead, truncated: result.truncated },
    },
    fields: [
      {
        name: 'template',
        type: FieldType.string,
        values: column((t) => t.template),
        config: { displayName: 'Template', links: [link] },
      },
      { name: 'count', type: FieldType.number, values: column((t) => t.count), config: { displayName: 'Count' } },
      {
        name: 'baseline',
        type: FieldType.number,
        values: column((t) => t.baselineCount),
        config: { displayName: 'Baseline', description: 'Count in the baseline window, scaled to this window' },
      },
      {
        name: 'change',
        type: FieldType.string,
        values: column((t) => t.change),
        config: {
          displayName: 'Change',
          mappings: [
            {
              type: MappingType.ValueToText,
              options: Object.fromEntries(
                Object.entries(CHANGE_COLOURS).map(([change, color], index) => [change, { color, index }])
              ),
            },
          ],
          custom: { cellOptions: { type: TableCellDisplayMode.ColorText } },
        },
      },
      {
        name: 'trend',
        type: FieldType.frame,
        values: column(trendFrame),
        config: { displayName: 'Trend', custom: { cellOptions: { type: TableCellDisplayMode.Sparkline } } },
      },
      {
        name: 'firstSeen',
        type: FieldType.time,
        values: column((t) => timeOrNull(t.firstSeen)),
        config: { displayName: 'First seen' },
      },
      {
        name: 'lastSeen',
        type: FieldType.time,
        values: column((t) => timeOrNull(t.lastSeen)),
        config: { displayName: 'Last seen' },
      },
      { name: 'sample', type: FieldType.string, values: column((t) => t.sample), config: { displayName: 'Sample' } },
      { name: 'id', type: FieldType.string, values: column((t) => t.id), config: { displayName: 'ID' } },
      {
        name: 'logql',
        type: FieldType.string,
        values: column((t) => t.logql),
        // Kept for the Explore link; hidden in tables, where the template already links to it.
        config: { displayName: 'LogQL', custom: { hidden: true } },
      },
    ],
  });
}
