import { createDataFrame, type DataFrame, FieldType, toDataFrame } from '@grafana/data';

// Data frames as the IntelOps datasource and Tempo/Prometheus hand them to panels, built with @grafana/data.

export const rootCauseFrames: DataFrame[] = [
  createDataFrame({
    refId: 'A',
    name: 'Root causes',
    fields: [
      { name: 'rank', type: FieldType.number, values: [1, 2, 3] },
      { name: 'service', type: FieldType.string, values: ['checkout', 'payments-db', 'cart'] },
      { name: 'indicator', type: FieldType.string, values: ['p99 latency', 'connection pool', 'error rate'] },
      { name: 'confidence', type: FieldType.number, values: [0.87, 0.46, 0.18] },
      {
        name: 'explanation',
        type: FieldType.string,
        values: [
          'Deploy 4f2c at 21:02 doubled checkout latency; errors follow 40 s later',
          'Connection pool saturated while checkout retried',
          'Cart errors rise only after checkout slows',
        ],
      },
      {
        name: 'evidence',
        type: FieldType.other,
        values: [
          ['metric:checkout p99 3.2 s', 'change:deploy 4f2c', 'log:timeout after <*> ms'],
          '["metric:pg pool 100%","trace:7be2a9"]',
          ['metric:cart 5xx rate'],
        ],
      },
      { name: 'method', type: FieldType.string, values: ['llm:gpt-4o-mini', 'llm:gpt-4o-mini', 'llm:gpt-4o-mini'] },
    ],
  }),
];

export const rootCauseFallbackFrames: DataFrame[] = [
  toDataFrame({
    fields: [
      { name: 'service', values: ['checkout', 'payments-db'] },
      { name: 'confidence', values: [0.74, 0.31] },
      {
        name: 'explanation',
        values: ['Latency anomaly upstream of every alerting service', 'Shares the anomaly window'],
      },
      { name: 'evidence', values: ['["metric:checkout p99"]', '[]'] },
      { name: 'method', values: ['graph:llm-unavailable', 'graph:llm-unavailable'] },
    ],
  }),
];

const T0 = Date.parse('2026-11-23T21:02:40Z');

export const agentTraceFrames: DataFrame[] = [
  createDataFrame({
    refId: 'A',
    name: 'Agent run',
    meta: { preferredVisualisationType: 'trace' },
    fields: [
      { name: 'traceID', type: FieldType.string, values: Array(8).fill('3f9a2c71d0b4') },
      {
        name: 'spanID',
        type: FieldType.string,
        values: ['run', 'perceive', 'context', 'retrieve', 'llm', 'tool', 'llm2', 'annotate'],
      },
      {
        name: 'parentSpanID',
        type: FieldType.string,
        values: ['', 'run', 'run', 'run', 'run', 'llm', 'run', 'run'],
      },
      {
        name: 'operationName',
        type: FieldType.string,
        values: [
          'analyse incident #42',
          'group 37 alerts',
          'topology around checkout',
          'search runbooks',
          'chat gpt-4o-mini',
          'query_prometheus',
          'chat gpt-4o-mini',
          'grafana annotation',
        ],
      },
      { name: 'serviceName', type: FieldType.string, values: Array(8).fill('intelops-engine') },
      {
        name: 'startTime',
        type: FieldType.number,
        values: [T0, T0 + 5, T0 + 120, T0 + 260, T0 + 540, T0 + 900, T0 + 2300, T0 + 3900],
      },
      { name: 'duration', type: FieldType.number, values: [4100, 110, 130, 270, 1700, 420, 1550, 160] },
      {
        name: 'kind',
        type: FieldType.string,
        values: ['action', 'perception', 'perception', 'retrieval', 'llm', 'tool', 'llm', 'action'],
      },
      { name: 'tokens', type: FieldType.number, values: [null, null, null, null, 1840, null, 960, null] },
      { name: 'ttft', type: FieldType.number, values: [null, null, null, null, 380, null, 290, null] },
    ],
  }),
];

export const evalFrames: DataFrame[] = [
  toDataFrame({
    refId: 'A',
    fields: [
      {
        name: 'metric',
        values: ['p95_latency_ms', 'error_rate', 'ttft_ms', 'retrieval_hit_rate', 'hallucination_rate', 'accuracy'],
      },
      { name: 'value', values: [2450, 0.012, 640, 0.62, 0.04, 0.83] },
    ],
  }),
];
