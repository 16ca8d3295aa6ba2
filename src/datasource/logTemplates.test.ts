import { dateTime } from '@grafana/data';
import { EngineRequestError } from './engineClient';
import { logTemplatesRequest, parseLogTemplates } from './logTemplates';
import { logTemplatesJson } from './testing/perceptionFixtures';

const NOW = Date.parse('2026-11-23T22:00:00Z');
const range = { from: dateTime(NOW - 3_600_000), to: dateTime(NOW) };

describe('logTemplatesRequest', () => {
  it('sends the selector, services and time range, with the baseline window before the range', () => {
    expect(
      logTemplatesRequest(
        { selector: ' {app="shop"} ', services: ['checkout', 'cart', 'checkout'], baseline: '1d' },
        range
      )
    ).toEqual({
      selector: '{app="shop"}',
      services: ['checkout', 'cart'],
      from: '2026-11-23T21:00:00.000Z',
      to: '2026-11-23T22:00:00.000Z',
      baselineFrom: '2026-11-22T21:00:00.000Z',
    });
  });

  it('leaves out what is empty, so the engine uses its defaults', () => {
    expect(logTemplatesRequest({ selector: '', services: [] }, range)).toEqual({
      from: '2026-11-23T21:00:00.000Z',
      to: '2026-11-23T22:00:00.000Z',
    });
  });
});

describe('parseLogTemplates', () => {
  it('reads every template with its counts, change, times, sample, LogQL and series', () => {
    const result = parseLogTemplates(logTemplatesJson(NOW));
    expect(result.selector).toBe('{service_name=~"checkout|payments"}');
    expect(result.linesRead).toBe(48_213);
    expect(result.truncated).toBe(false);
    expect(result.templates.map((t) => [t.id, t.change, t.count, t.baselineCount])).toEqual([
      ['tpl_4c1e9a07b2d3', 'new', 1840, 0],
      ['tpl_91f0d2c4e8a1', 'spiking', 9620, 2410],
      ['tpl_0b7d3e5f6a28', 'vanishing', 0, 12],
      ['tpl_5a6b7c8d9e0f', 'steady', 720, 716],
    ]);
    expect(result.templates[0]?.series).toHaveLength(12);
    expect(result.templates[0]?.logql).toBe('{service_name=~"checkout|payments"} |= "payment gateway timeout after"');
  });

  it('keeps a template whose change kind it does not know, and drops unreadable series points', () => {
    const body = {
      templates: [{ id: 't', template: 'x <*>', change: 'drifting', series: [[1, 2], ['a', 3], [4]] }],
    };
    const [template] = parseLogTemplates(body).templates;
    expect(template?.change).toBe('steady');
    expect(template?.series).toEqual([[1, 2]]);
  });

  it('names what is wrong with a body that is not the engine answer', () => {
    expect(() => parseLogTemplates({ streams: [] })).toThrow(EngineRequestError);
    expect(() => parseLogTemplates({ templates: [{ template: 'no id' }] })).toThrow(/template 1 has no id/);
  });
});
