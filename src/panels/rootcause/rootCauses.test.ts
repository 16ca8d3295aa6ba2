import { createDataFrame, FieldType, toDataFrame } from '@grafana/data';
import { methodLabel, normaliseConfidence, parseEvidence, parseMethod, rootCausesFromFrames } from './rootCauses';

const causes = createDataFrame({
  refId: 'A',
  fields: [
    { name: 'rank', type: FieldType.number, values: [2, 1, 3, 4] },
    { name: 'service', type: FieldType.string, values: ['payments-db', 'checkout', 'cart', 'frontend'] },
    { name: 'indicator', type: FieldType.string, values: ['connections', 'p99 latency', 'error rate', 'cpu'] },
    { name: 'confidence', type: FieldType.number, values: [0.41, 0.87, 0.12, 0.05] },
    {
      name: 'explanation',
      type: FieldType.string,
      values: ['Pool exhausted', 'Deploy 4f2c doubled latency', 'Retries amplify errors', 'Noise'],
    },
    {
      name: 'evidence',
      type: FieldType.other,
      values: [
        ['metric:pg_stat_activity_count'],
        '["metric:http_request_duration_seconds p99","change:deploy 4f2c","log:timeout after <*> ms"]',
        [{ kind: 'trace', id: '7be2a9' }],
        [],
      ],
    },
    {
      name: 'method',
      type: FieldType.string,
      values: ['llm:gpt-4o-mini', 'llm:gpt-4o-mini', 'llm:gpt-4o-mini', 'llm'],
    },
  ],
});

describe('rootCausesFromFrames', () => {
  it('returns the top three causes in rank order with their evidence and method', () => {
    const view = rootCausesFromFrames([causes]);

    expect(view.cards.map((c) => [c.rank, c.service, c.confidence])).toEqual([
      [1, 'checkout', 0.87],
      [2, 'payments-db', 0.41],
      [3, 'cart', 0.12],
    ]);
    expect(view.cards[0]).toMatchObject({
      indicator: 'p99 latency',
      explanation: 'Deploy 4f2c doubled latency',
      evidence: [
        { kind: 'metric', label: 'http_request_duration_seconds p99' },
        { kind: 'change', label: 'deploy 4f2c' },
        { kind: 'log', label: 'timeout after <*> ms' },
      ],
    });
    expect(view.cards[2].evidence).toEqual([{ kind: 'trace', label: '7be2a9' }]);
    expect(view.method).toEqual({ kind: 'llm', model: 'gpt-4o-mini' });
    expect(view.llmUnavailable).toBe(false);
  });

  it('orders by confidence when the frame has no rank, and reads snake_case names', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'service_name', values: ['a', 'b'] },
        { name: 'Confidence', values: [0.2, 0.9] },
        { name: 'method', values: ['graph', 'graph'] },
      ],
    });
    const view = rootCausesFromFrames([frame]);
    expect(view.cards.map((c) => [c.rank, c.service])).toEqual([
      [1, 'b'],
      [2, 'a'],
    ]);
    expect(view.method && methodLabel(view.method)).toBe('graph ranking');
  });

  it('flags the deterministic fallback when the LLM was unavailable', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'service', values: ['checkout'] },
        { name: 'confidence', values: [0.7] },
        { name: 'method', values: ['graph:llm-unavailable'] },
      ],
    });
    expect(rootCausesFromFrames([frame])).toMatchObject({
      llmUnavailable: true,
      method: { kind: 'graph', llmUnavailable: true },
    });
  });

  it('finds nothing in frames without service and confidence', () => {
    const other = toDataFrame({ fields: [{ name: 'version', values: ['0.1.0'] }] });
    expect(rootCausesFromFrames([other]).cards).toEqual([]);
    expect(rootCausesFromFrames([]).cards).toEqual([]);
  });

  it('skips rows without a service', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'service', values: ['', null, 'db'] },
        { name: 'confidence', values: [0.9, 0.8, 0.3] },
      ],
    });
    expect(rootCausesFromFrames([frame]).cards.map((c) => c.service)).toEqual(['db']);
  });
});

describe('parseEvidence', () => {
  it('reads arrays, JSON strings, kind prefixes and plain strings', () => {
    expect(parseEvidence(['metric:up', 'deploy:v2', 'something'])).toEqual([
      { kind: 'metric', label: 'up' },
      { kind: 'change', label: 'v2' },
      { kind: 'other', label: 'something' },
    ]);
    expect(parseEvidence('["trace:abc"]')).toEqual([{ kind: 'trace', label: 'abc' }]);
    expect(parseEvidence('log:disk full')).toEqual([{ kind: 'log', label: 'disk full' }]);
    expect(parseEvidence('[not json')).toEqual([{ kind: 'other', label: '[not json' }]);
    expect(parseEvidence(undefined)).toEqual([]);
    expect(parseEvidence('  ')).toEqual([]);
  });

  it('keeps colons inside the label (PromQL, URLs)', () => {
    expect(parseEvidence(['metric:rate(http_requests_total{code=~"5.."}[5m]):sum'])).toEqual([
      { kind: 'metric', label: 'rate(http_requests_total{code=~"5.."}[5m]):sum' },
    ]);
  });
});

describe('parseMethod and methodLabel', () => {
  it.each([
    ['graph', 'graph ranking'],
    ['llm:gpt-4o-mini', 'LLM, model gpt-4o-mini'],
    ['LLM, model llama3.1:8b', 'LLM, model llama3.1:8b'],
    ['llm', 'LLM'],
    ['bayesian', 'bayesian'],
    ['llmish', 'llmish'],
  ])('%p reads as %p', (raw, label) => {
    const method = parseMethod(raw);
    expect(method && methodLabel(method)).toBe(label);
  });

  it('has no method for an empty cell', () => {
    expect(parseMethod(undefined)).toBeUndefined();
  });
});

describe('normaliseConfidence', () => {
  it('keeps fractions, reads percentages, clamps the rest', () => {
    expect(normaliseConfidence(0.87)).toBe(0.87);
    expect(normaliseConfidence(87)).toBe(0.87);
    expect(normaliseConfidence(250)).toBe(1);
    expect(normaliseConfidence(-1)).toBe(0);
    expect(normaliseConfidence(undefined)).toBeUndefined();
  });
});
