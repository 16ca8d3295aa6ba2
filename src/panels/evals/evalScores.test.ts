import { createDataFrame, FieldType, toDataFrame } from '@grafana/data';
import {
  DEFAULT_THRESHOLDS,
  evalDataFromFrames,
  evalScoresFromFrames,
  evalTrendsFromFrames,
  evalTiles,
  evalVerdict,
  formatMetric,
  resolveThresholds,
} from './evalScores';

const long = (rows: Array<[string, number]>) =>
  toDataFrame({
    fields: [
      { name: 'metric', values: rows.map(([metric]) => metric) },
      { name: 'value', values: rows.map(([, value]) => value) },
    ],
  });

const healthy: Array<[string, number]> = [
  ['p95_latency_ms', 2450],
  ['error_rate', 0.01],
  ['ttft_ms', 620],
  ['retrieval_hit_rate', 0.82],
  ['hallucination_rate', 0.03],
  ['accuracy', 0.9],
];

describe('evalScoresFromFrames', () => {
  it('reads metric/value rows', () => {
    expect(evalScoresFromFrames([long(healthy)])).toEqual({
      p95LatencyMs: 2450,
      errorRate: 0.01,
      ttftMs: 620,
      retrievalHitRate: 0.82,
      hallucinationRate: 0.03,
      accuracy: 0.9,
    });
  });

  it('reads wide columns, taking the latest value, seconds as milliseconds and percentages as fractions', () => {
    const wide = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1, 2] },
        { name: 'p95_latency_seconds', type: FieldType.number, values: [2.1, 3.4] },
        { name: 'Retrieval hit rate', type: FieldType.number, values: [75, 64], config: { unit: 'percent' } },
        { name: 'hallucinationRate', type: FieldType.number, values: [0.2, null] },
      ],
    });
    expect(evalScoresFromFrames([wide])).toEqual({
      p95LatencyMs: 3400,
      retrievalHitRate: 0.64,
      hallucinationRate: 0.2,
    });
  });

  it('reads time series named by their frame (one query per metric)', () => {
    const series = createDataFrame({
      name: 'ttft_ms',
      fields: [
        { name: 'time', type: FieldType.time, values: [1] },
        { name: 'value', type: FieldType.number, values: [900] },
      ],
    });
    expect(evalScoresFromFrames([series])).toEqual({ ttftMs: 900 });
  });

  it('ignores unknown metrics', () => {
    expect(evalScoresFromFrames([long([['cost_usd', 3]])])).toEqual({});
  });
});

describe('evalTiles and evalVerdict', () => {
  it('are stable when every measured tile passes its threshold', () => {
    const tiles = evalTiles(evalScoresFromFrames([long(healthy)]), DEFAULT_THRESHOLDS);
    expect(tiles.map((t) => [t.title, t.display, t.status])).toEqual([
      ['P95 latency', '2.45 s', 'good'],
      ['Error rate', '1.0%', 'good'],
      ['Time to first token', '620 ms', 'good'],
      ['Retrieval hit rate', '82%', 'good'],
      ['Hallucination rate', '3.0%', 'good'],
      ['Accuracy', '90%', 'good'],
      ['Faithfulness', 'no data', 'unknown'],
    ]);
    expect(evalVerdict(tiles)).toEqual({ status: 'good', sentences: ['Stable'] });
  });

  it.each<[string, Array<[string, number]>, string[]]>([
    ['slow answers', [['p95_latency_ms', 3200]], ['Optimise the retrieval path']],
    ['missed retrievals', [['retrieval_hit_rate', 0.6]], ['Add indexes or improve tagging']],
    ['hallucinations', [['hallucination_rate', 0.15]], ['Tighten prompts and output constraints']],
    [
      'all three',
      [
        ['hallucination_rate', 0.15],
        ['retrieval_hit_rate', 0.5],
        ['p95_latency_ms', 5000],
      ],
      ['Optimise the retrieval path', 'Add indexes or improve tagging', 'Tighten prompts and output constraints'],
    ],
  ])('give the seed advice for %s', (_name, rows, sentences) => {
    const tiles = evalTiles(evalScoresFromFrames([long(rows)]), DEFAULT_THRESHOLDS);
    expect(evalVerdict(tiles)).toEqual({ status: 'bad', sentences });
  });

  it('name a failing signal the seed has no advice for instead of calling it stable', () => {
    const tiles = evalTiles(evalScoresFromFrames([long([['error_rate', 0.2]])]), DEFAULT_THRESHOLDS);
    expect(evalVerdict(tiles)).toEqual({ status: 'bad', sentences: ['Check error rate (20%, bad above 5.0%)'] });
  });

  it('use the thresholds exactly: at the threshold is still good', () => {
    const tiles = evalTiles({ p95LatencyMs: 3000, retrievalHitRate: 0.7, hallucinationRate: 0.1 }, DEFAULT_THRESHOLDS);
    expect(tiles.filter((t) => t.status === 'bad')).toEqual([]);
    expect(tiles.find((t) => t.id === 'accuracy')).toMatchObject({ status: 'unknown', display: 'no data' });
  });

  it('has no verdict without any measurement', () => {
    expect(evalVerdict(evalTiles({}, DEFAULT_THRESHOLDS))).toEqual({
      status: 'unknown',
      sentences: ['No eval results yet'],
    });
  });
});

describe('resolveThresholds', () => {
  it('fills missing or cleared options with the seed defaults', () => {
    expect(resolveThresholds({ p95LatencyMs: 5000, retrievalHitRate: undefined })).toEqual({
      ...DEFAULT_THRESHOLDS,
      p95LatencyMs: 5000,
    });
    expect(resolveThresholds(undefined)).toEqual(DEFAULT_THRESHOLDS);
  });

  it('takes each threshold from the first source that sets it: options, then the engine, then the defaults', () => {
    expect(resolveThresholds({ p95LatencyMs: 5000 }, { p95LatencyMs: 2000, retrievalHitRate: 0.5 })).toEqual({
      ...DEFAULT_THRESHOLDS,
      p95LatencyMs: 5000,
      retrievalHitRate: 0.5,
    });
  });
});

describe('evalDataFromFrames', () => {
  const scorecard = toDataFrame({
    name: 'Eval scores',
    fields: [
      { name: 'metric', values: ['p95LatencyMs', 'faithfulness', 'accuracy'] },
      { name: 'value', values: [3420, 0.86, null] },
      { name: 'threshold', values: [4000, 0.9, 0.8] },
    ],
  });
  const trend = createDataFrame({
    name: 'Eval trend',
    fields: [
      { name: 'time', type: FieldType.time, values: [3, 1, 2] },
      { name: 'runs', type: FieldType.number, values: [4, 2, 3] },
      { name: 'p95LatencyMs', type: FieldType.number, values: [9000, 2000, null] },
    ],
  });

  it('reads the scorecard with its thresholds, and takes no score from the trend beside it', () => {
    expect(evalDataFromFrames([scorecard, trend])).toEqual({
      scores: { p95LatencyMs: 3420, faithfulness: 0.86 },
      thresholds: { p95LatencyMs: 4000, faithfulness: 0.9, accuracy: 0.8 },
    });
  });

  it('reads trends from time-indexed frames, oldest first, skipping gaps', () => {
    expect(evalTrendsFromFrames([scorecard, trend])).toEqual({
      p95LatencyMs: [
        { time: 1, value: 2000 },
        { time: 3, value: 9000 },
      ],
    });
  });
});

describe('formatMetric', () => {
  it('formats milliseconds and ratios', () => {
    expect(formatMetric('ms', 999.6)).toBe('1000 ms');
    expect(formatMetric('ms', 3000)).toBe('3.00 s');
    expect(formatMetric('ratio', 0.7)).toBe('70%');
    expect(formatMetric('ratio', 0.042)).toBe('4.2%');
    expect(formatMetric('ratio', 0)).toBe('0%');
  });
});
