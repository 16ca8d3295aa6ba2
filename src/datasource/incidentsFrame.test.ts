import { createTheme, FieldType, getDisplayProcessor, MappingType } from '@grafana/data';
import { parseIncidentList } from './incidents';
import { INVESTIGATION_LINK, incidentsFrame } from './incidentsFrame';
import { incidentListJson } from './testing/incidentFixtures';

const NOW = Date.parse('2026-11-23T22:00:00Z');

function frame() {
  return incidentsFrame(parseIncidentList(incidentListJson(NOW)).incidents, 'A', NOW);
}

function values(name: string): unknown[] {
  const field = frame().fields.find((f) => f.name === name);
  if (!field) {
    throw new Error(`no field ${name}`);
  }
  return field.values;
}

describe('incidentsFrame', () => {
  it('has one row per incident with the columns a table panel shows', () => {
    const result = frame();
    expect(result.refId).toBe('A');
    expect(result.length).toBe(5);
    expect(result.meta?.preferredVisualisationType).toBe('table');
    expect(result.fields.map((f) => [f.name, f.type])).toEqual([
      ['severity', FieldType.string],
      ['title', FieldType.string],
      ['services', FieldType.string],
      ['status', FieldType.string],
      ['started', FieldType.time],
      ['ended', FieldType.time],
      ['duration', FieldType.number],
      ['alerts', FieldType.number],
      ['cause', FieldType.string],
      ['confidence', FieldType.number],
      ['causeMethod', FieldType.string],
      ['reason', FieldType.string],
      ['id', FieldType.string],
    ]);
  });

  it('fills the columns from the incidents', () => {
    expect(values('severity')).toEqual(['critical', 'high', 'info', 'warning', 'high']);
    expect(values('services')[0]).toBe('checkout, payments, cart');
    expect(values('status')).toEqual(['open', 'open', 'resolving', 'resolved', 'resolved']);
    expect(values('started')[0]).toBe(NOW - 42 * 60_000);
    expect(values('ended')).toEqual([null, null, NOW - 2 * 60_000, NOW - 262 * 60_000, NOW - 305 * 60_000]);
    // Ongoing incidents last until now; ended ones from start to end.
    expect(values('duration')).toEqual([42, 130, 178, 38, 25].map((m) => m * 60_000));
    expect(values('alerts')).toEqual([6, 3, 1, 2, 4]);
    expect(values('cause')).toEqual(['checkout (latency)', null, null, null, null]);
    expect(values('confidence')).toEqual([0.87, null, null, null, null]);
    expect(values('causeMethod')).toEqual(['llm', null, null, null, null]);
    expect(values('reason')).toEqual([
      'Topology (2 alerts)',
      'Shared labels (2 alerts)',
      '',
      'Same alert (1 alert)',
      'Topology (3 alerts)',
    ]);
    expect(values('id')).toEqual(['inc-7f3a9c', 'inc-2b81d0', 'inc-5c02ee', 'inc-91aa47', 'inc-d40f13']);
  });

  it('links the title and id to the investigation page in the app', () => {
    expect(INVESTIGATION_LINK.url).toBe('/a/intelops-aiops-app/incidents/${__data.fields.id}');
    for (const name of ['title', 'id']) {
      expect(frame().fields.find((f) => f.name === name)?.config.links).toEqual([INVESTIGATION_LINK]);
    }
  });

  it('colours severity and status with theme colours and shows durations as durations', () => {
    const fields = frame().fields;
    const severity = fields.find((f) => f.name === 'severity');
    expect(severity?.config.mappings).toEqual([
      {
        type: MappingType.ValueToText,
        options: {
          critical: { color: 'red', index: 0, text: 'critical' },
          high: { color: 'orange', index: 1, text: 'high' },
          warning: { color: 'yellow', index: 2, text: 'warning' },
          info: { color: 'blue', index: 3, text: 'info' },
        },
      },
    ]);
    expect(severity?.config.custom).toEqual({ cellOptions: { type: 'color-text' } });
    expect(fields.find((f) => f.name === 'duration')?.config.unit).toBe('dtdurationms');
  });

  it('is an empty table, not an error, when no incident matched', () => {
    const empty = incidentsFrame([], 'B', NOW);
    expect(empty.length).toBe(0);
    expect(empty.fields).toHaveLength(13);
  });

  it('displays statuses in words and severities in theme colours, as a table panel does', () => {
    const theme = createTheme();
    const field = (name: string) => {
      const found = frame().fields.find((f) => f.name === name);
      if (!found) {
        throw new Error(`no field ${name}`);
      }
      return found;
    };
    const status = getDisplayProcessor({ field: field('status'), theme });
    expect(['open', 'resolving', 'resolved'].map((value) => status(value).text)).toEqual([
      'Open',
      'Resolving',
      'Resolved',
    ]);
    const severity = getDisplayProcessor({ field: field('severity'), theme });
    expect(severity('critical').color).toBe(theme.visualization.getColorByName('red'));
    expect(severity('info').color).toBe(theme.visualization.getColorByName('blue'));
  });

  it('shows the suspected cause with its confidence as a percentage, and says when there is none', () => {
    const theme = createTheme();
    const field = (name: string) => {
      const found = frame().fields.find((f) => f.name === name);
      if (!found) {
        throw new Error(`no field ${name}`);
      }
      return found;
    };
    const confidence = getDisplayProcessor({ field: field('confidence'), theme });
    expect(confidence(0.87).text).toBe('87');
    expect(confidence(0.87).suffix).toBe('%');
    expect(field('cause').config.noValue).toBe('Not analysed');
    const method = getDisplayProcessor({ field: field('causeMethod'), theme });
    expect([method('graph').text, method('llm').text]).toEqual(['Dependency graph', 'LLM']);
  });
});
