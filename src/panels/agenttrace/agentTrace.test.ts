import { createDataFrame, FieldType, toDataFrame } from '@grafana/data';
import { describeSpan, formatDuration, parseSpanKind, tempoTraceUrl, waterfallFromFrames } from './agentTrace';

const T0 = Date.parse('2026-11-23T21:00:00Z');

// Rows deliberately out of order: the waterfall orders them as a tree.
const trace = createDataFrame({
  fields: [
    { name: 'traceID', type: FieldType.string, values: ['t1', 't1', 't1', 't1', 't1'] },
    { name: 'spanID', type: FieldType.string, values: ['llm', 'root', 'tool', 'perc', 'act'] },
    { name: 'parentSpanID', type: FieldType.string, values: ['root', '', 'llm', 'root', 'root'] },
    {
      name: 'operationName',
      type: FieldType.string,
      values: ['chat gpt-4o-mini', 'investigate incident', 'execute_tool query_prometheus', 'group alerts', 'annotate'],
    },
    { name: 'serviceName', type: FieldType.string, values: ['engine', 'engine', 'engine', 'engine', 'engine'] },
    { name: 'startTime', type: FieldType.number, values: [T0 + 200, T0, T0 + 600, T0 + 10, T0 + 1900] },
    { name: 'duration', type: FieldType.number, values: [1500, 2000, 300, 150, 100] },
    { name: 'kind', type: FieldType.string, values: ['llm', 'action', 'tool', 'perception', 'action'] },
    { name: 'tokens', type: FieldType.number, values: [850, null, null, null, null] },
    { name: 'ttft', type: FieldType.number, values: [300, null, null, null, null] },
  ],
});

describe('waterfallFromFrames', () => {
  it('orders spans depth-first by start time and places bars relative to the trace', () => {
    const waterfall = waterfallFromFrames([trace]);
    expect(waterfall).toBeDefined();
    if (!waterfall) {
      return;
    }
    expect(waterfall.traceId).toBe('t1');
    expect(waterfall.totalMs).toBe(2000);
    expect(waterfall.spans.map((s) => [s.spanId, s.depth])).toEqual([
      ['root', 0],
      ['perc', 1],
      ['llm', 1],
      ['tool', 2],
      ['act', 1],
    ]);
    const llm = waterfall.spans[2];
    expect(llm).toMatchObject({
      kind: 'llm',
      offsetMs: 200,
      durationMs: 1500,
      leftPercent: 10,
      widthPercent: 75,
      tokens: 850,
      ttftMs: 300,
      ttftPercent: 20,
    });
    expect(waterfall.kinds).toEqual(['perception', 'llm', 'tool', 'action']);
  });

  it('keeps very short spans visible and inside the track', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'spanID', values: ['a', 'b'] },
        { name: 'startTime', values: [0, 10_000] },
        { name: 'duration', values: [10_000, 1] },
      ],
    });
    const spans = waterfallFromFrames([frame])?.spans ?? [];
    expect(spans[1].widthPercent).toBe(0.5);
    expect(spans[1].leftPercent + spans[1].widthPercent).toBeLessThanOrEqual(100);
  });

  it('shows spans whose parents form a cycle instead of dropping them', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'spanID', values: ['a', 'b'] },
        { name: 'parentSpanID', values: ['b', 'a'] },
        { name: 'startTime', values: [0, 5] },
        { name: 'duration', values: [10, 5] },
      ],
    });
    expect(waterfallFromFrames([frame])?.spans.map((s) => s.spanId)).toEqual(['a', 'b']);
  });

  it('is undefined without a trace-like frame', () => {
    expect(waterfallFromFrames([])).toBeUndefined();
    expect(waterfallFromFrames([toDataFrame({ fields: [{ name: 'service', values: ['x'] }] })])).toBeUndefined();
  });
});

describe('span helpers', () => {
  it.each([
    ['LLM', 'llm'],
    ['gen_ai', 'llm'],
    ['execute_tool', 'tool'],
    ['RAG', 'retrieval'],
    ['perception', 'perception'],
    ['workflow', 'action'],
    ['db', 'other'],
    [undefined, 'other'],
  ])('kind %p is %p', (raw, kind) => {
    expect(parseSpanKind(raw)).toBe(kind);
  });

  it.each([
    [0, '0 ms'],
    [0.25, '250 µs'],
    [420.4, '420 ms'],
    [1240, '1.24 s'],
    [12_500, '12.5 s'],
    [125_000, '2 min 5 s'],
  ])('formats %p ms as %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('describes a span for screen readers', () => {
    const llm = waterfallFromFrames([trace])?.spans.find((s) => s.spanId === 'llm');
    expect(llm && describeSpan(llm)).toBe(
      'llm: chat gpt-4o-mini, service engine, starts at 200 ms, takes 1.50 s, 850 tokens, first token after 300 ms'
    );
  });
});

describe('Grafana trace frames', () => {
  // As Tempo's and the IntelOps "Agent run" query's frames carry them: tags and logs as lists, OTel status codes.
  const tempoLike = createDataFrame({
    meta: { custom: { runId: 'r1', incidentId: 'inc-1', tempoDatasourceUid: 'tempo' } },
    fields: [
      { name: 'traceID', type: FieldType.string, values: ['t9', 't9'] },
      { name: 'spanID', type: FieldType.string, values: ['a', 'b'] },
      { name: 'parentSpanID', type: FieldType.string, values: [undefined, 'a'] },
      { name: 'operationName', type: FieldType.string, values: ['run', 'chat'] },
      { name: 'startTime', type: FieldType.number, values: [T0, T0 + 100] },
      { name: 'duration', type: FieldType.number, values: [1000, 800] },
      { name: 'kind', type: FieldType.string, values: ['server', 'client'] },
      { name: 'intelopsKind', type: FieldType.string, values: ['other', 'llm'] },
      {
        name: 'tags',
        type: FieldType.other,
        values: [[{ key: 'intelops.span.kind', value: 'other' }], [{ key: 'gen_ai.usage.input_tokens', value: 12 }]],
      },
      {
        name: 'logs',
        type: FieldType.other,
        values: [
          [],
          [{ timestamp: T0 + 150, name: 'gen_ai.content.prompt', fields: [{ key: 'gen_ai.prompt', value: 'hi' }] }],
        ],
      },
      { name: 'statusCode', type: FieldType.number, values: [0, 2] },
      { name: 'statusMessage', type: FieldType.string, values: [undefined, 'timeout'] },
    ],
  });

  it('reads kinds before OpenTelemetry span kinds, tags, logs, failures and the run the frame is about', () => {
    const waterfall = waterfallFromFrames([tempoLike]);
    expect(waterfall).toMatchObject({ traceId: 't9', runId: 'r1', incidentId: 'inc-1', tempoDatasourceUid: 'tempo' });
    const [root, chat] = waterfall?.spans ?? [];
    expect(root?.attributes).toEqual([]);
    expect(chat).toMatchObject({
      kind: 'llm',
      status: 'error',
      statusMessage: 'timeout',
      attributes: [{ key: 'gen_ai.usage.input_tokens', value: '12' }],
      events: [{ name: 'gen_ai.content.prompt', offsetMs: 50, fields: [{ key: 'gen_ai.prompt', value: 'hi' }] }],
    });
    expect(chat && describeSpan(chat)).toBe('llm: chat, starts at 100 ms, takes 800 ms, failed: timeout');
  });

  it('links the trace to Tempo with a minute either side, and not without a Tempo datasource', () => {
    const waterfall = waterfallFromFrames([tempoLike]);
    if (!waterfall) {
      throw new Error('no waterfall');
    }
    const url = new URL(tempoTraceUrl(waterfall, 'tempo') ?? '', 'http://grafana');
    const pane = JSON.parse(url.searchParams.get('panes') ?? '{}').intelops;
    expect(pane.range).toEqual({ from: String(T0 - 60_000), to: String(T0 + 1000 + 60_000) });
    expect(pane.queries[0]).toMatchObject({ datasource: { type: 'tempo', uid: 'tempo' }, query: 't9' });
    expect(tempoTraceUrl(waterfall, undefined)).toBeUndefined();
  });
});
