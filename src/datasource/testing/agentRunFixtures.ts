/**
 * Bodies of GET /api/v1/runs, GET /api/v1/runs/{id} and (at the end) GET /api/v1/evals exactly as the engine sends
 * them (AgentRunSummary, AgentRun and Evals in engine/src/server/routes/agentRuns.ts and evals.ts: the same fields
 * and types, no others), for jest, the browser harness and tests/deploy/pluginFixtures.test.ts, which loads this file
 * with Node (so it imports nothing). The checkout incident's analysis (incidentFixtures.ts, reasoningFixtures.ts:
 * analysed a minute ago by gpt-4o-mini with 3120 + 412 tokens) is the richest run: eight spans with LLM usage, prompt
 * and completion events and tool arguments and results (already redacted, as the engine stores them). Times are
 * relative to `now`.
 */

const MINUTE = 60_000;

/** The checkout incident's LLM analysis: its id is its trace id. */
export const CHECKOUT_RUN_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

export const RUN_IDS = {
  checkoutAnalysis: CHECKOUT_RUN_ID,
  checkoutJudge: '7d3e1a9c5b2f4e6d8a0c1b3d5f7e9a2c',
  checkoutQuestion: 'a4c6e8f0b2d4f6a8c0e2b4d6f8a0c2e4',
  ordersAnalysis: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  apiGatewayFailed: 'e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4',
  workflowRun: '1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f',
  draft: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d',
  loggingAnalysis: '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
};

function at(now: number, minutesAgo: number): string {
  return new Date(now - minutesAgo * MINUTE).toISOString();
}

type Judge = {
  faithfulness: number;
  verdict: 'faithful' | 'partially_faithful' | 'unfaithful';
  unsupported: string[];
  model: string;
  at: string;
};

type Human = { verdict: 'confirm' | 'reject'; service: string; rank: number | null; by: string; at: string };

export interface AgentRunSummaryJson {
  id: string;
  traceId: string;
  kind: 'analyze' | 'ask' | 'draft' | 'judge' | 'workflow';
  sessionId: string | null;
  incidentId: string | null;
  workflowRunId: string | null;
  startedAt: string;
  durationMs: number | null;
  status: 'running' | 'ok' | 'error';
  error: string | null;
  model: string | null;
  llmCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  ttftMs: number | null;
  retrievalHit: boolean | null;
  citations: number;
  citationsDropped: number;
  method: 'graph' | 'llm' | null;
  judge: Judge | null;
  human: Human | null;
}

type Spec = Partial<AgentRunSummaryJson> & Pick<AgentRunSummaryJson, 'id' | 'kind'> & { minutesAgo: number };

function summary(now: number, spec: Spec): AgentRunSummaryJson {
  const { minutesAgo, ...fields } = spec;
  return {
    traceId: spec.id,
    sessionId: null,
    incidentId: null,
    workflowRunId: null,
    startedAt: at(now, minutesAgo),
    durationMs: 1000,
    status: 'ok',
    error: null,
    model: null,
    llmCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: null,
    ttftMs: null,
    retrievalHit: null,
    citations: 0,
    citationsDropped: 0,
    method: null,
    judge: null,
    human: null,
    ...fields,
  };
}

/** The checkout analysis: judged faithful, and its top cause confirmed by a person. */
function checkoutAnalysis(now: number): AgentRunSummaryJson {
  return summary(now, {
    id: RUN_IDS.checkoutAnalysis,
    kind: 'analyze',
    minutesAgo: 1.07,
    sessionId: 'inc-7f3a9c',
    incidentId: 'inc-7f3a9c',
    durationMs: 4210,
    model: 'gpt-4o-mini',
    llmCalls: 2,
    inputTokens: 3120,
    outputTokens: 412,
    costUsd: 0.00071,
    ttftMs: 380,
    retrievalHit: true,
    citations: 7,
    citationsDropped: 1,
    method: 'llm',
    judge: { faithfulness: 0.92, verdict: 'faithful', unsupported: [], model: 'gpt-4o-mini', at: at(now, 0.8) },
    human: { verdict: 'confirm', service: 'checkout', rank: 1, by: 'sre-alice', at: at(now, 0.5) },
  });
}

/** Every run the double knows, newest first, as GET /api/v1/runs lists them. */
export function agentRunSummariesJson(now: number): AgentRunSummaryJson[] {
  return [
    summary(now, {
      id: RUN_IDS.checkoutQuestion,
      kind: 'ask',
      minutesAgo: 0.3,
      sessionId: 'inc-7f3a9c',
      incidentId: 'inc-7f3a9c',
      durationMs: 1830,
      model: 'gpt-4o-mini',
      llmCalls: 1,
      inputTokens: 1400,
      outputTokens: 60,
      costUsd: 0.00025,
      ttftMs: 340,
      citations: 2,
    }),
    summary(now, {
      id: RUN_IDS.checkoutJudge,
      kind: 'judge',
      minutesAgo: 0.82,
      sessionId: 'inc-7f3a9c',
      incidentId: 'inc-7f3a9c',
      durationMs: 1240,
      model: 'gpt-4o-mini',
      llmCalls: 1,
      inputTokens: 980,
      outputTokens: 88,
      costUsd: 0.0002,
      ttftMs: 300,
    }),
    checkoutAnalysis(now),
    summary(now, {
      id: RUN_IDS.ordersAnalysis,
      kind: 'analyze',
      minutesAgo: 128,
      sessionId: 'inc-2b81d0',
      incidentId: 'inc-2b81d0',
      durationMs: 820,
      retrievalHit: false,
      method: 'graph',
    }),
    summary(now, {
      id: RUN_IDS.apiGatewayFailed,
      kind: 'analyze',
      minutesAgo: 178,
      sessionId: 'inc-5c02ee',
      incidentId: 'inc-5c02ee',
      durationMs: 30410,
      status: 'error',
      error: 'The LLM endpoint did not answer within 30 s (http://ollama:11434/v1)',
      model: 'llama3.1:8b',
      llmCalls: 1,
      retrievalHit: true,
      method: 'graph',
    }),
    summary(now, {
      id: RUN_IDS.workflowRun,
      kind: 'workflow',
      minutesAgo: 240,
      workflowRunId: 'c9a1d3e5-7b2f-4e60-8a14-0d5c9e3b7f12',
      durationMs: 2150,
    }),
    summary(now, {
      id: RUN_IDS.draft,
      kind: 'draft',
      minutesAgo: 270,
      durationMs: 3380,
      model: 'gpt-4o-mini',
      llmCalls: 1,
      inputTokens: 1210,
      outputTokens: 240,
      costUsd: 0.00033,
      ttftMs: 420,
    }),
    summary(now, {
      id: RUN_IDS.loggingAnalysis,
      kind: 'analyze',
      minutesAgo: 298,
      sessionId: 'inc-91aa47',
      incidentId: 'inc-91aa47',
      durationMs: 6240,
      model: 'gpt-4o-mini',
      llmCalls: 3,
      inputTokens: 5210,
      outputTokens: 630,
      costUsd: 0.00116,
      ttftMs: 910,
      retrievalHit: false,
      citations: 5,
      citationsDropped: 2,
      method: 'llm',
      judge: {
        faithfulness: 0.41,
        verdict: 'unfaithful',
        unsupported: ['"disk usage on logging-node-3 doubled after the 14:00 deploy": no deploy is cited'],
        model: 'gpt-4o-mini',
        at: at(now, 296),
      },
    }),
  ];
}

/** GET /api/v1/runs as the engine answers it, filtered as the engine filters (see agentRunsDouble.ts). */
export function agentRunListJson(now: number, runs = agentRunSummariesJson(now)) {
  return { runs };
}

interface SpanJson {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: 'perception' | 'retrieval' | 'llm' | 'tool' | 'action' | 'other';
  startTime: number;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
  attributes: Record<string, string | number | boolean | string[] | number[] | boolean[]>;
  events: Array<{ name: string; time: string; attributes: Record<string, unknown> }>;
}

const REDACTED = '[REDACTED]';

/**
 * The checkout analysis, span by span, named as the engine's tracing names them (engine/src/observability/tracing/
 * conventions.ts): perception, context, retrieval, two LLM calls around a tool, the annotation.
 */
function checkoutSpans(startMs: number): SpanJson[] {
  const event = (offsetMs: number, name: string, attributes: Record<string, unknown>) => ({
    name,
    time: new Date(startMs + offsetMs).toISOString(),
    attributes,
  });
  const span = (
    spanId: string,
    parentSpanId: string | null,
    name: string,
    kind: SpanJson['kind'],
    offsetMs: number,
    durationMs: number,
    attributes: SpanJson['attributes'] = {},
    events: SpanJson['events'] = []
  ): SpanJson => ({
    spanId,
    parentSpanId,
    name,
    kind,
    startTime: startMs + offsetMs,
    durationMs,
    status: 'ok',
    attributes,
    events,
  });
  const llm = (input: number, output: number, ttft: number, finish: string) => ({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.system': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.request.stream': true,
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.usage.input_tokens': input,
    'gen_ai.usage.output_tokens': output,
    'gen_ai.response.finish_reasons': [finish],
    'intelops.ttft_ms': ttft,
    'gen_ai.response.time_to_first_chunk': ttft / 1000,
  });
  const messages = (role: string, text: string) => JSON.stringify([{ role, parts: [{ type: 'text', content: text }] }]);
  const query =
    'histogram_quantile(0.99, sum by (le) (rate(http_server_duration_seconds_bucket{service="checkout"}[5m])))';
  return [
    span('a1b2c3d4e5f60718', null, 'invoke_agent intelops.analyze', 'other', 0, 4210, {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'intelops.analyze',
      'gen_ai.conversation.id': 'inc-7f3a9c',
      'intelops.run.kind': 'analyze',
      'intelops.incident.id': 'inc-7f3a9c',
      'intelops.method': 'llm',
      'intelops.citations': 7,
      'intelops.citations_dropped': 1,
    }),
    span('b2c3d4e5f6071829', 'a1b2c3d4e5f60718', 'perception: group alerts', 'perception', 5, 110, {
      'intelops.incident.id': 'inc-7f3a9c',
    }),
    span('c3d4e5f60718293a', 'a1b2c3d4e5f60718', 'context: topology and changes', 'perception', 120, 130),
    span(
      'd4e5f60718293a4b',
      'a1b2c3d4e5f60718',
      'retrieval knowledge',
      'retrieval',
      260,
      270,
      {
        'gen_ai.operation.name': 'retrieval',
        'gen_ai.data_source.id': 'knowledge',
        'gen_ai.retrieval.query.text': 'checkout latency after deploy',
        'intelops.retrieval.hits': 3,
        'intelops.retrieval.relevant_hits': 2,
        'intelops.retrieval.top_scores': [0.82, 0.64, 0.31],
      },
      [
        event(520, 'intelops.retrieval.hits', {
          'gen_ai.retrieval.documents': JSON.stringify([
            { id: 'runbook-checkout-latency', title: 'Checkout latency', score: 0.82 },
            { id: 'inc-2f81aa', title: 'Checkout slow after v2.3.0', score: 0.64 },
            { id: 'runbook-payments-timeouts', title: 'Payment gateway timeouts', score: 0.31 },
          ]),
        }),
      ]
    ),
    span(
      'e5f60718293a4b5c',
      'a1b2c3d4e5f60718',
      'chat gpt-4o-mini',
      'llm',
      540,
      1700,
      llm(1520, 320, 380, 'tool_calls'),
      [
        event(2240, 'gen_ai.client.inference.operation.details', {
          'gen_ai.system_instructions': JSON.stringify([
            {
              type: 'text',
              content: 'You rank the root causes of an incident from the evidence given; cite evidence ids.',
            },
          ]),
          'gen_ai.input.messages': messages(
            'user',
            `Incident inc-7f3a9c "HighLatency checkout p99 above 2 s"; evidence ev_met_3f2a9b1c0d4e (checkout p99 0.45 s → 2.3 s), deploy-checkout-4f2c; Grafana token ${REDACTED}`
          ),
          'gen_ai.output.messages': JSON.stringify([
            {
              role: 'assistant',
              parts: [{ type: 'tool_call', id: 'call_1', name: 'query_prometheus', arguments: { query } }],
              finish_reason: 'tool_calls',
            },
          ]),
        }),
      ]
    ),
    span('f60718293a4b5c6d', 'a1b2c3d4e5f60718', 'execute_tool query_prometheus', 'tool', 2250, 420, {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'query_prometheus',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.call.arguments': JSON.stringify({ query }),
      'gen_ai.tool.call.result': JSON.stringify({ series: 1, last: 2.31, unit: 's' }),
    }),
    span('0718293a4b5c6d7e', 'a1b2c3d4e5f60718', 'chat gpt-4o-mini', 'llm', 2700, 1350, llm(1600, 92, 290, 'stop'), [
      event(4050, 'gen_ai.client.inference.operation.details', {
        'gen_ai.input.messages': messages('tool', '{"series":1,"last":2.31,"unit":"s"}'),
        'gen_ai.output.messages': messages(
          'assistant',
          '{"causes":[{"service":"checkout","indicator":"latency","confidence":0.87,"evidence":["ev_met_3f2a9b1c0d4e","deploy-checkout-4f2c"]}]}'
        ),
        'intelops.input_messages_omitted': 2,
      }),
    ]),
    span('18293a4b5c6d7e8f', 'a1b2c3d4e5f60718', 'action: grafana annotation', 'action', 4080, 120, {
      'intelops.action.input': JSON.stringify({
        text: 'IntelOps: checkout latency, likely deploy-checkout-4f2c',
        tags: ['intelops'],
      }),
      'intelops.action.output': JSON.stringify({ id: 4121 }),
    }),
  ];
}

/** Any other run: its root span, and one LLM call when it used an LLM (failing when the run failed). */
function plainSpans(run: AgentRunSummaryJson, startMs: number): SpanJson[] {
  const root = `${run.id.slice(0, 16)}`;
  const duration = run.durationMs ?? 0;
  // A failure is recorded as OpenTelemetry records exceptions: an event with the exception's type and message.
  const failure =
    run.status === 'error' && run.error
      ? [
          {
            name: 'exception',
            time: new Date(startMs + duration).toISOString(),
            attributes: { 'exception.type': 'LlmTimeoutError', 'exception.message': run.error },
          },
        ]
      : [];
  const spans: SpanJson[] = [
    {
      spanId: root,
      parentSpanId: null,
      name: `${run.kind}${run.incidentId ? ` incident ${run.incidentId}` : ''}`,
      kind: run.kind === 'workflow' ? 'action' : 'other',
      startTime: startMs,
      durationMs: duration,
      status: run.status === 'error' ? 'error' : 'ok',
      attributes: { 'intelops.run.kind': run.kind, ...(run.status === 'error' ? { 'error.type': 'timeout' } : {}) },
      events: failure,
    },
  ];
  if (run.llmCalls > 0 && run.model) {
    spans.push({
      spanId: `${run.id.slice(16, 32)}`,
      parentSpanId: root,
      name: `chat ${run.model}`,
      kind: 'llm',
      startTime: startMs + Math.round(duration * 0.1),
      durationMs: Math.round(duration * 0.8),
      status: run.status === 'error' ? 'error' : 'ok',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': run.model,
        'gen_ai.usage.input_tokens': run.inputTokens,
        'gen_ai.usage.output_tokens': run.outputTokens,
        ...(run.ttftMs === null ? {} : { 'intelops.ttft_ms': run.ttftMs }),
        ...(run.status === 'error' ? { 'error.type': 'timeout' } : {}),
      },
      events: failure,
    });
  }
  return spans;
}

/** GET /api/v1/runs/{id}; undefined for an id the double does not know. */
export function agentRunJson(now: number, id: string) {
  const run = agentRunSummariesJson(now).find((candidate) => candidate.id === id);
  if (!run) {
    return undefined;
  }
  const startMs = Date.parse(run.startedAt);
  const checkout = run.id === CHECKOUT_RUN_ID;
  return {
    ...run,
    retrieval: checkout
      ? {
          query: 'checkout latency after deploy',
          hits: [
            { id: 'runbook-checkout-latency', title: 'Checkout latency', score: 0.82 },
            { id: 'inc-2f81aa', title: 'Checkout slow after v2.3.0', score: 0.64 },
            { id: 'runbook-payments-timeouts', title: 'Payment gateway timeouts', score: 0.31 },
          ],
        }
      : null,
    spans: checkout ? checkoutSpans(startMs) : plainSpans(run, startMs),
  };
}

/**
 * Bodies of GET /api/v1/evals exactly as the engine sends them (EvalsSchema in engine/src/server/routes/evals.ts),
 * for jest and the browser harness. Busy: 48 analyses (61 runs of every kind) over the range, P95 latency over its
 * 3 s threshold and the retrieval hit rate under 0.7, so the verdict asks for attention with the seed's two pieces of
 * advice; the worst runs are the failed, the unfaithful and the slowest analyses of agentRunFixtures.ts. Quiet: no
 * analyses at all.
 */

const HOUR = 3_600_000;

export const EVAL_THRESHOLDS = {
  p95LatencyMs: 3000,
  retrievalHitRate: 0.7,
  hallucinationRate: 0.1,
  errorRate: 0.05,
  ttftMs: 2000,
  accuracy: 0.6,
  faithfulness: 0.8,
};

export const EVALS_SUMMARY =
  'P95 latency 3.42 s is over 3 s, so optimise the retrieval path; retrieval hit rate 61% is under 70%, so add indexes or improve tagging.';

// Twelve two-hour buckets: latency creeps up and hits fall off in the last hours.
const TREND = [
  [4, 2100, 0, 0.75, 0.05, 1],
  [3, 2300, 0, 0.67, 0, null],
  [5, 2250, 0, 0.8, 0.04, 1],
  [4, 2600, 0, 0.75, 0.06, 0.5],
  [2, 2400, 0, 0.5, 0, null],
  [4, 2800, 0, 0.75, 0.03, 1],
  [5, 2900, 0.2, 0.6, 0.05, 1],
  [4, 3100, 0, 0.5, 0.04, 0.5],
  [3, 3300, 0, 0.67, 0.08, 1],
  [5, 3600, 0, 0.6, 0.02, 1],
  [4, 3800, 0.25, 0.5, 0.05, 0.5],
  [5, 3500, 0, 0.4, 0.06, 1],
] as const;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** GET /api/v1/evals over [from, to] with the analyses of a busy day. */
export function evalsJson(now: number, from = now - 24 * HOUR, to = now) {
  const step = (to - from) / TREND.length;
  const runs = agentRunSummariesJson(now);
  const worstIds = [RUN_IDS.apiGatewayFailed, RUN_IDS.loggingAnalysis, RUN_IDS.checkoutAnalysis];
  return {
    from: iso(from),
    to: iso(to),
    runs: 48,
    scores: {
      p95LatencyMs: 3420,
      errorRate: 2 / 48,
      ttftMs: 410,
      retrievalHitRate: 27 / 44,
      hallucinationRate: 9 / 212,
      accuracy: 9 / 11,
      faithfulness: 0.86,
    },
    counts: { runs: 61, errors: 2, judged: 12, verdicts: 11, citations: 212, citationsDropped: 9, retrievals: 44 },
    thresholds: EVAL_THRESHOLDS,
    verdict: {
      status: 'attention' as const,
      findings: [
        { metric: 'p95LatencyMs', value: 3420, threshold: 3000, advice: 'optimise the retrieval path' },
        { metric: 'retrievalHitRate', value: 27 / 44, threshold: 0.7, advice: 'add indexes or improve tagging' },
      ],
      summary: EVALS_SUMMARY,
    },
    trend: TREND.map(([count, p95, errors, hits, hallucinations, accuracy], index) => ({
      time: iso(from + index * step),
      runs: count,
      p95LatencyMs: p95,
      errorRate: errors,
      retrievalHitRate: hits,
      hallucinationRate: hallucinations,
      accuracy,
    })),
    worst: worstIds.flatMap((id) => runs.filter((run) => run.id === id)),
  };
}

export const NO_DATA_SUMMARY = 'No analyses in this time range yet: nothing to evaluate.';

/** GET /api/v1/evals when the engine analysed nothing in the range. */
export function emptyEvalsJson(now: number, from = now - 24 * HOUR, to = now) {
  return {
    from: iso(from),
    to: iso(to),
    runs: 0,
    scores: {
      p95LatencyMs: null,
      errorRate: null,
      ttftMs: null,
      retrievalHitRate: null,
      hallucinationRate: null,
      accuracy: null,
      faithfulness: null,
    },
    counts: { runs: 0, errors: 0, judged: 0, verdicts: 0, citations: 0, citationsDropped: 0, retrievals: 0 },
    thresholds: EVAL_THRESHOLDS,
    verdict: { status: 'no_data' as const, findings: [], summary: NO_DATA_SUMMARY },
    trend: [],
    worst: [],
  };
}
