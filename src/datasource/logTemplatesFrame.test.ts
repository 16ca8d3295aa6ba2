import { type DataFrame, FieldType, isDataFrame } from '@grafana/data';
import { TableCellDisplayMode } from '@grafana/schema';
import { parseLogTemplates } from './logTemplates';
import { logTemplatesFrame } from './logTemplatesFrame';
import { logTemplatesJson } from './testing/perceptionFixtures';

const NOW = Date.parse('2026-11-23T22:00:00Z');

function frame(body: unknown = logTemplatesJson(NOW)): DataFrame {
  return logTemplatesFrame(parseLogTemplates(body), 'B', 'my-loki');
}

function field(name: string, result = frame()) {
  const found = result.fields.find((f) => f.name === name);
  if (!found) {
    throw new Error(`no field ${name}`);
  }
  return found;
}

describe('logTemplatesFrame', () => {
  it('is a table frame with one row per template', () => {
    const result = frame();
    expect(result.refId).toBe('B');
    expect(result.length).toBe(4);
    expect(result.meta?.preferredVisualisationType).toBe('table');
    expect(result.meta?.custom).toEqual({
      selector: '{service_name=~"checkout|payments"}',
      linesRead: 48_213,
      truncated: false,
    });
    expect(result.fields.map((f) => [f.name, f.type])).toEqual([
      ['template', FieldType.string],
      ['count', FieldType.number],
      ['baseline', FieldType.number],
      ['change', FieldType.string],
      ['trend', FieldType.frame],
      ['firstSeen', FieldType.time],
      ['lastSeen', FieldType.time],
      ['sample', FieldType.string],
      ['id', FieldType.string],
      ['logql', FieldType.string],
    ]);
  });

  it('fills the columns from the templates', () => {
    expect(field('template').values[0]).toBe('payment gateway timeout after <*> ms (attempt <*>)');
    expect(field('count').values).toEqual([1840, 9620, 0, 720]);
    expect(field('baseline').values).toEqual([0, 2410, 12, 716]);
    expect(field('change').values).toEqual(['new', 'spiking', 'vanishing', 'steady']);
    expect(field('firstSeen').values[0]).toBe(NOW - 41 * 60_000);
    expect(field('lastSeen').values[2]).toBe(NOW - 44 * 60_000);
    expect(field('sample').values[1]).toBe('POST /api/checkout 504 3012 ms');
    expect(field('id').values[3]).toBe('tpl_5a6b7c8d9e0f');
  });

  it('draws each template trend as a sparkline from its own time series frame', () => {
    const trend = field('trend');
    expect(trend.config.custom?.cellOptions).toEqual({ type: TableCellDisplayMode.Sparkline });
    const series: unknown = trend.values[0];
    if (!isDataFrame(series)) {
      throw new Error('the trend cell is not a data frame');
    }
    expect(series.fields.map((f) => f.type)).toEqual([FieldType.time, FieldType.number]);
    expect(series.length).toBe(12);
    expect(series.fields[1]?.values.slice(-2)).toEqual([170, 169]);
  });

  it('links the template to Explore on the configured Loki with the row LogQL', () => {
    const [link] = field('template').config.links ?? [];
    expect(link?.internal).toEqual({
      datasourceUid: 'my-loki',
      datasourceName: 'Loki',
      query: { refId: 'A', expr: '${__data.fields.logql}', datasource: { type: 'loki', uid: 'my-loki' } },
    });
    expect(field('logql').values[0]).toBe('{service_name=~"checkout|payments"} |= "payment gateway timeout after"');
    expect(field('logql').config.custom?.hidden).toBe(true);
  });

  it('colours the change column by kind', () => {
    const [mapping] = field('change').config.mappings ?? [];
    expect(mapping?.options).toMatchObject({ new: { color: 'red' }, spiking: { color: 'orange' } });
  });

  it('warns when the engine read only part of the lines', () => {
    const body = { ...logTemplatesJson(NOW), truncated: true, linesRead: 100_000 };
    expect(frame(body).meta?.notices).toEqual([
      {
        severity: 'warning',
        text: 'Read the newest 100000 lines only (a window had more): narrow the selector or the time range to count them all.',
      },
    ]);
    expect(frame().meta?.notices).toEqual([]);
  });
});
