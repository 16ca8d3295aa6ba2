import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import {
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_DATA_SOURCE_ID,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_GEN_AI_RETRIEVAL_QUERY_TEXT,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_SESSION_ID,
  EVENT_GEN_AI_CLIENT_INFERENCE_OPERATION_DETAILS,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
  GEN_AI_OPERATION_NAME_VALUE_RETRIEVAL,
} from '@opentelemetry/semantic-conventions/incubating';
import { createLlmClient } from '../../reasoning/llm/client.ts';
import { explainRootCauses } from '../../reasoning/llm/explainRootCauses.ts';
import { answerJson, incidentInput } from '../../reasoning/llm/testFixtures.ts';
import { latestRunOf, loadAgentRun } from '../../store/agentRuns.ts';
import { loadRca } from '../../store/rca.ts';
import { testLlmConfig } from '../../testing/openaiServer.ts';
import type { AgentRunRecord } from '../agentRuns/agentRun.ts';
import { openTracing } from './openTracing.ts';
import type { EngineTracing } from './openTracing.ts';
import { traceRun } from './spans.ts';
import { analysisFixture, CHANGE_ID, ROUND_USAGE } from './testing/analysisFixture.ts';
import type { AnalysisFixture } from './testing/analysisFixture.ts';

const LLM_KEY = 'sk-test-4f9a0c7e1b2d3e4f5a6b';
const SECRET = 'hunter2-webhook-token-77aa';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: OtlpAttribute[];
  events?: Array<{ name: string; attributes?: OtlpAttribute[] }>;
  status?: { code?: number; message?: string };
}
interface OtlpBody {
  resourceSpans: Array<{ resource: { attributes: OtlpAttribute[] }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
}

/** A loopback OTLP/HTTP receiver keeping what it is sent, as JSON. */
async function startOtlpReceiver(): Promise<{ url: string; bodies: string[]; server: Server }> {
  const bodies: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (
        request.method === 'POST' &&
        request.url === '/v1/traces' &&
        request.headers['content-type'] === 'application/json'
      ) {
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        response.writeHead(415).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, server };
}

function valueOf(value: OtlpValue): unknown {
  if (value.arrayValue !== undefined) {
    return (value.arrayValue.values ?? []).map(valueOf);
  }
  return (
    value.stringValue ??
    (value.intValue === undefined ? undefined : Number(value.intValue)) ??
    value.doubleValue ??
    value.boolValue
  );
}

function attributes(list: OtlpAttribute[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((attribute) => [attribute.key, valueOf(attribute.value)]));
}

describe('agent traces of an analysis', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let fixture: AnalysisFixture;
  let tracing: EngineTracing;
  const recorded: AgentRunRecord[] = [];

  const exported = (traceId: string): OtlpSpan[] =>
    receiver.bodies
      .flatMap((body) => {
        const parsed: OtlpBody = JSON.parse(body);
        return parsed.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans));
      })
      .filter((span) => span.traceId === traceId);

  before(async () => {
    receiver = await startOtlpReceiver();
    // The standard variable: the exporter reads it (and appends /v1/traces).
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
    fixture = await analysisFixture({ apiKey: LLM_KEY, titleSuffix: ` (hook ${SECRET})` });
    tracing = openTracing({
      store: fixture.store,
      logger: fixture.logger,
      version: '9.9.9',
      secrets: [LLM_KEY, SECRET],
      onRunRecorded: (run) => {
        recorded.push(run);
      },
    });
  });
  after(async () => {
    await tracing.close();
    await fixture.close();
    receiver.server.close();
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  });

  it('exports the run over OTLP/HTTP as one trace with GenAI names, and stores it with its figures', async () => {
    assert.equal(tracing.exporting, true);
    fixture.scriptAnalysis();
    const result = await fixture.service(tracing).analyze(fixture.incident);
    await tracing.flush();
    assert.equal(result.method, 'llm');
    const traceId = result.traceId ?? '';
    assert.match(traceId, /^[0-9a-f]{32}$/);

    const first = JSON.parse(receiver.bodies[0] ?? '{}') as OtlpBody;
    const resource = attributes(first.resourceSpans[0]?.resource.attributes);
    assert.equal(resource[ATTR_SERVICE_NAME], 'intelops-engine');
    assert.equal(resource[ATTR_SERVICE_VERSION], '9.9.9');

    const spans = exported(traceId);
    const byName = (name: string) => spans.filter((span) => span.name === name);
    const one = (name: string): OtlpSpan => {
      const found = byName(name);
      assert.equal(found.length, 1, `${name}: ${spans.map((span) => span.name).join(', ')}`);
      return found[0] ?? spans[0] ?? { traceId, spanId: '', name };
    };
    const root = one('invoke_agent intelops.analyze');
    assert.equal(root.parentSpanId ?? '', '');
    const rootAttributes = attributes(root.attributes);
    assert.equal(rootAttributes[ATTR_GEN_AI_OPERATION_NAME], GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT);
    assert.equal(rootAttributes[ATTR_GEN_AI_AGENT_NAME], 'intelops.analyze');
    assert.equal(rootAttributes[ATTR_GEN_AI_CONVERSATION_ID], fixture.incident.id);
    assert.equal(rootAttributes[ATTR_SESSION_ID], fixture.incident.id);
    assert.equal(rootAttributes['intelops.citations'], 2);
    assert.equal(rootAttributes['intelops.citations_dropped'], 1);
    assert.equal(rootAttributes['intelops.method'], 'llm');

    // The steps are the root's children; retrieval under reasoning; chat and tool calls under the llm step.
    for (const step of ['context', 'perception', 'reasoning', 'llm']) {
      assert.equal(one(step).parentSpanId, root.spanId, step);
    }
    const reasoning = one('reasoning');
    const llmStep = one('llm');
    const chats = byName('chat gpt-test');
    assert.equal(chats.length, 2);
    assert.ok(chats.every((chat) => chat.parentSpanId === llmStep.spanId));
    const tool = one('execute_tool search_runbooks');
    assert.equal(tool.parentSpanId, llmStep.spanId);
    const retrievals = byName('retrieval knowledge');
    assert.ok(
      retrievals.some((span) => span.parentSpanId === reasoning.spanId),
      'runbooks retrieved for the causes'
    );
    assert.ok(
      retrievals.some((span) => span.parentSpanId === tool.spanId),
      'the search_runbooks tool retrieves too'
    );

    const chat = attributes(chats[0]?.attributes);
    assert.equal(chat[ATTR_GEN_AI_OPERATION_NAME], GEN_AI_OPERATION_NAME_VALUE_CHAT);
    assert.equal(chat[ATTR_GEN_AI_PROVIDER_NAME], 'openai');
    assert.equal(chat[ATTR_GEN_AI_REQUEST_MODEL], 'gpt-test');
    assert.equal(chat[ATTR_GEN_AI_RESPONSE_MODEL], 'gpt-test');
    assert.equal(chat[ATTR_GEN_AI_USAGE_INPUT_TOKENS], ROUND_USAGE[0].promptTokens);
    assert.equal(chat[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS], ROUND_USAGE[0].completionTokens);
    assert.deepEqual(chat[ATTR_GEN_AI_RESPONSE_FINISH_REASONS], ['tool_calls']);
    const details = chats[0]?.events?.find((event) => event.name === EVENT_GEN_AI_CLIENT_INFERENCE_OPERATION_DETAILS);
    assert.ok(details !== undefined, 'prompt and completion as an event');
    const detail = attributes(details.attributes);
    assert.match(String(detail[ATTR_GEN_AI_SYSTEM_INSTRUCTIONS]), /site reliability engineer/);
    assert.match(String(detail[ATTR_GEN_AI_INPUT_MESSAGES]), /"role":"user"/);
    assert.match(
      String(detail[ATTR_GEN_AI_OUTPUT_MESSAGES]),
      /"type":"tool_call","id":"[^"]+","name":"search_runbooks"/
    );
    // The second round shows only what is new: the tool call and its result.
    const second = attributes(chats[1]?.events?.[0]?.attributes);
    assert.equal(second['intelops.input_messages_omitted'], 2);
    assert.match(String(second[ATTR_GEN_AI_INPUT_MESSAGES]), /"type":"tool_call_response"/);

    const toolAttributes = attributes(tool.attributes);
    assert.equal(toolAttributes[ATTR_GEN_AI_OPERATION_NAME], GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL);
    assert.equal(toolAttributes[ATTR_GEN_AI_TOOL_NAME], 'search_runbooks');
    assert.match(String(toolAttributes[ATTR_GEN_AI_TOOL_CALL_ID]), /^call_/);
    assert.match(String(toolAttributes[ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]), /checkout errors after deploy/);
    assert.match(String(toolAttributes[ATTR_GEN_AI_TOOL_CALL_RESULT]), /runbook:/);
    const retrieval = attributes(retrievals[0]?.attributes);
    assert.equal(retrieval[ATTR_GEN_AI_OPERATION_NAME], GEN_AI_OPERATION_NAME_VALUE_RETRIEVAL);
    assert.equal(retrieval[ATTR_GEN_AI_DATA_SOURCE_ID], 'knowledge');
    assert.match(String(retrieval[ATTR_GEN_AI_RETRIEVAL_QUERY_TEXT]), /checkout/);

    // Stored: the run with figures summed from its spans, and the spans.
    const stored = await loadAgentRun(fixture.store, traceId);
    assert.ok(stored !== undefined, 'the run is stored');
    const { run } = stored;
    assert.equal(run.kind, 'analyze');
    assert.equal(run.status, 'ok');
    assert.equal(run.incidentId, fixture.incident.id);
    assert.equal(run.sessionId, fixture.incident.id);
    assert.equal(run.llmCalls, 2);
    assert.equal(run.model, 'gpt-test');
    assert.equal(run.inputTokens, ROUND_USAGE[0].promptTokens + ROUND_USAGE[1].promptTokens);
    assert.equal(run.outputTokens, ROUND_USAGE[0].completionTokens + ROUND_USAGE[1].completionTokens);
    assert.deepEqual(result.usage, { promptTokens: run.inputTokens, completionTokens: run.outputTokens });
    assert.equal(run.citations, 2);
    assert.equal(run.citationsDropped, 1);
    assert.equal(run.method, 'llm');
    assert.equal(run.ttftMs, null, 'analyses are not streamed');
    assert.equal(run.retrievalHit, true);
    assert.ok((run.retrieval?.hits.length ?? 0) > 0);
    assert.match(run.retrieval?.query ?? '', /checkout/);
    assert.equal(run.costUsd, null);
    assert.ok(run.durationMs !== null && run.durationMs > 0);
    assert.equal(stored.spans.length, spans.length, 'every exported span is stored');
    const kinds = new Set(stored.spans.map((span) => span.kind));
    for (const kind of ['perception', 'retrieval', 'llm', 'tool', 'other'] as const) {
      assert.ok(kinds.has(kind), kind);
    }
    assert.deepEqual(
      recorded.map((one) => one.id),
      [traceId],
      'onRunRecorded got the run'
    );
    // The incident's latest analysis names its run.
    assert.equal((await loadRca(fixture.store, fixture.incident.id))?.traceId, traceId);
    assert.equal((await latestRunOf(fixture.store, fixture.incident.id, 'analyze'))?.id, traceId);
  });

  it('keeps the LLM key and secrets out of exported and stored spans, though the prompt and the answer held them', async () => {
    const before = receiver.bodies.length;
    fixture.scriptAnalysis({
      content: answerJson([
        { service: 'checkout', evidence: [CHANGE_ID], explanation: `The key ${LLM_KEY} and ${SECRET} leaked.` },
      ]),
    });
    const result = await fixture.service(tracing).analyze(fixture.incident);
    await tracing.flush();
    assert.equal(result.method, 'llm');
    const prompt = fixture.llm.chatRequests().at(-1)?.rawBody ?? '';
    assert.ok(
      prompt.includes(SECRET),
      'the secret reached the prompt (the alert title), so redaction is what keeps it out'
    );
    const sent = receiver.bodies.slice(before).join('\n');
    assert.ok(sent.includes(result.traceId ?? 'none'));
    const stored = JSON.stringify(await loadAgentRun(fixture.store, result.traceId ?? ''));
    for (const [where, text] of [
      ['exported', sent],
      ['stored', stored],
    ] as const) {
      assert.ok(!text.includes(LLM_KEY), `the LLM key is in the ${where} spans`);
      assert.ok(!text.includes(SECRET), `the secret is in the ${where} spans`);
      assert.match(text, /\[redacted\]/, where);
      assert.match(text, /leaked/, `${where}: the completion is recorded`);
    }
  });

  it('fails the chat span with the reason when the LLM fails; the analysis answers from the graph, and the run is ok', async () => {
    fixture.llm.enqueue({ status: 500, body: { error: { message: `upstream broke, key ${LLM_KEY}` } } });
    const result = await fixture.service(tracing).analyze(fixture.incident);
    await tracing.flush();
    assert.equal(result.method, 'graph');
    const stored = await loadAgentRun(fixture.store, result.traceId ?? '');
    assert.equal(stored?.run.status, 'ok');
    const chat = stored?.spans.find((span) => span.kind === 'llm');
    assert.equal(chat?.status, 'error');
    assert.ok(!JSON.stringify(stored).includes(LLM_KEY));
    const root = stored?.spans.find((span) => span.parentSpanId === null);
    assert.match(String(root?.attributes['intelops.fallback_reason']), /500/);
  });

  it('records the time to first token of a streamed call on its span and its run', async () => {
    fixture.llm.enqueue({
      content: answerJson([{ service: 'checkout', evidence: ['chg_checkout_241'] }]),
      chunkDelayMs: 15,
    });
    const client = createLlmClient(testLlmConfig(fixture.llm.baseUrl, { apiKey: LLM_KEY }));
    const traceId = await traceRun(tracing, { kind: 'judge', name: 'invoke_agent intelops.judge' }, async (run) => {
      const outcome = await explainRootCauses(client, incidentInput(), { stream: true });
      assert.ok(outcome.ok);
      return run.traceId ?? '';
    });
    await tracing.flush();
    const stored = await loadAgentRun(fixture.store, traceId);
    assert.ok(stored !== undefined);
    assert.ok(stored.run.ttftMs !== null && stored.run.ttftMs >= 15, `ttft ${stored.run.ttftMs}`);
    const chat = stored.spans.find((span) => span.kind === 'llm');
    assert.equal(chat?.attributes['intelops.ttft_ms'], stored.run.ttftMs);
    assert.equal(chat?.attributes[ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK], stored.run.ttftMs / 1000);
  });

  it('analyses the same without tracing, recording nothing', async () => {
    const { rows } = await fixture.store.query<{ n: number }>('select count(*)::int as n from agent_runs');
    fixture.scriptAnalysis();
    const result = await fixture.service(undefined).analyze(fixture.incident);
    assert.equal(result.method, 'llm');
    assert.equal(result.traceId, undefined);
    await tracing.flush();
    const after = await fixture.store.query<{ n: number }>('select count(*)::int as n from agent_runs');
    assert.equal(after.rows[0]?.n, rows[0]?.n);
  });
});
