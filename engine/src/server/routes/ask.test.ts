import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../../testing/engine.ts';
import type { RunningEngine } from '../../testing/engine.ts';
import { readError, readJson } from '../../testing/http.ts';
import { startOpenAiServer, testLlmConfig } from '../../testing/openaiServer.ts';
import type { OpenAiServer } from '../../testing/openaiServer.ts';

const MINUTE = 60_000;
const t = Date.parse('2026-11-20T10:00:00Z');

async function openIncident(engine: RunningEngine): Promise<string> {
  const posted = await engine.request('/api/v1/alerts/alertmanager', {
    method: 'POST',
    json: {
      version: '4',
      groupKey: 'g',
      status: 'firing',
      receiver: 'intelops',
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: '',
      alerts: [
        {
          status: 'firing',
          annotations: {},
          labels: { alertname: 'CheckoutDown', service: 'checkout' },
          startsAt: new Date(t).toISOString(),
        },
      ],
    },
  });
  assert.ok(posted.status < 300, await posted.clone().text());
  const change = {
    id: 'deploy-42',
    kind: 'deploy',
    service: 'checkout',
    title: 'checkout v2.4.1',
    startsAt: new Date(t - 5 * MINUTE).toISOString(),
  };
  assert.equal((await engine.request('/api/v1/changes', { method: 'POST', json: change })).status, 200);
  const incidents = (await readJson(await engine.request('/api/v1/incidents?alerts=none&from=0'))).incidents as Array<{
    id: string;
  }>;
  return incidents[0]?.id ?? '';
}

const ask = (engine: RunningEngine, id: string, json: unknown) =>
  engine.request(`/api/v1/incidents/${id}/ask`, { method: 'POST', json });

describe('POST /api/v1/incidents/{id}/ask with an LLM (a local OpenAI-compatible server)', () => {
  const apiKey = 'sk-test-ask-0badc0ffee';
  let llm: OpenAiServer;
  let engine: RunningEngine;
  let id: string;

  before(async () => {
    llm = await startOpenAiServer();
    engine = await startEngine({
      engine: { clock: () => new Date(t + 30 * MINUTE) },
      llm: testLlmConfig(llm.baseUrl, { model: 'test-model', apiKey }),
    });
    const cmdb = await engine.request('/api/v1/cmdb', {
      method: 'PUT',
      json: {
        services: [
          { name: 'checkout', team: 'orders', dependsOn: ['payment'] },
          { name: 'payment', team: 'payments' },
        ],
      },
    });
    assert.equal(cmdb.status, 200, await cmdb.clone().text());
    id = await openIncident(engine);
  });
  after(async () => {
    await engine?.stop();
    await llm?.close();
  });

  it('answers 404 for an unknown incident, 409 before the analysis, 400 for a bad body', async () => {
    const unknown = await ask(engine, 'inc_nope', { question: 'Why?' });
    assert.equal(unknown.status, 404);
    assert.match((await readError(unknown)).message, /No incident with id "inc_nope"/);

    const early = await ask(engine, id, { question: 'Why?' });
    assert.equal(early.status, 409);
    assert.match((await readError(early)).message, /has not been analysed yet: POST …\/analyze first/);

    const empty = await ask(engine, id, { question: '' });
    assert.equal(empty.status, 400);
    assert.match((await readError(empty)).message, /question/);
    const long = await ask(engine, id, {
      question: 'Why?',
      history: Array.from({ length: 7 }, () => ({ question: 'q', answer: 'a' })),
    });
    assert.equal(long.status, 400);
    assert.match((await readError(long)).message, /history/);
    assert.equal(llm.chatRequests().length, 0, 'nothing reached the LLM');
  });

  it('answers with the incident’s evidence only, after the analysis, sending the history', async () => {
    llm.enqueue({
      content: JSON.stringify({
        causes: [
          {
            service: 'checkout',
            indicator: 'change',
            confidence: 0.8,
            evidence: ['deploy-42'],
            explanation: 'The deploy broke checkout.',
            actions: ['Roll back checkout'],
          },
        ],
      }),
    });
    const analysed = await engine.request(`/api/v1/incidents/${id}/analyze`, { method: 'POST' });
    assert.equal(analysed.status, 200, await analysed.clone().text());
    llm.requests.length = 0;

    llm.enqueue({
      content: JSON.stringify({
        answer: 'The deploy deploy-42 started 5 minutes before.',
        evidence: ['deploy-42', 'ev_made_up_1'],
      }),
      usage: { promptTokens: 700, completionTokens: 40 },
    });
    const response = await ask(engine, id, {
      question: 'What changed before it started?',
      history: [{ question: 'Who owns checkout?', answer: 'Team orders.' }],
    });
    assert.equal(response.status, 200, await response.clone().text());
    const { traceId, ...answer } = await readJson(response);
    assert.match(String(traceId), /^[0-9a-f]{32}$/, 'the answer names its agent run (trace)');
    assert.deepEqual(answer, {
      answer: 'The deploy deploy-42 started 5 minutes before.',
      evidence: ['deploy-42'],
      toolCalls: [],
      model: 'test-model',
      usage: { promptTokens: 700, completionTokens: 40 },
      hallucinationsDropped: 1,
    });
    const [request] = llm.chatRequests();
    assert.match(request?.rawBody ?? '', /\[deploy-42\] deploy service=checkout/, 'the prompt holds the cited change');
    assert.match(request?.rawBody ?? '', /Q1: Who owns checkout\?/);
    assert.match(request?.rawBody ?? '', /What changed before it started\?/);
  });

  it('lets the model look up a service in the CMDB, then answer', async () => {
    llm.requests.length = 0;
    llm.enqueue(
      { toolCalls: [{ name: 'get_service', arguments: '{"name":"checkout"}' }] },
      { content: JSON.stringify({ answer: 'Team orders owns checkout; it calls payment.', evidence: [] }) }
    );
    const response = await ask(engine, id, { question: 'Who owns checkout and what does it call?' });
    assert.equal(response.status, 200, await response.clone().text());
    const body = await readJson(response);
    assert.deepEqual(body.toolCalls, ['get_service']);
    assert.equal(body.answer, 'Team orders owns checkout; it calls payment.');
    const second = llm.chatRequests()[1];
    assert.match(second?.rawBody ?? '', /\\"team\\":\\"orders\\"/, 'the tool result reached the model');
    const declared = (first: unknown) => (Array.isArray(first) ? first.length : 0);
    assert.ok(declared(llm.chatRequests()[0]?.body['tools']) >= 3, 'the catalog tools are declared');
  });

  it('answers 502 with the reason when the LLM fails, never showing or logging the key', async () => {
    llm.enqueue({
      status: 429,
      body: { error: { message: `Rate limit reached for key ${apiKey}`, type: 'rate_limit_error' } },
    });
    const limited = await ask(engine, id, { question: 'Why?' });
    assert.equal(limited.status, 502);
    const { message } = await readError(limited);
    assert.equal(
      message,
      'The LLM did not answer: LLM rate limited (429) after 0 retries: Rate limit reached for key [redacted]'
    );

    llm.enqueue({ content: `not json ${apiKey}` });
    const garbled = await ask(engine, id, { question: 'Why?' });
    assert.equal(garbled.status, 502);
    const text = JSON.stringify(await readError(garbled));
    assert.match(text, /invalid JSON/);
    assert.ok(!text.includes(apiKey));
    assert.ok(!engine.logs.text().includes(apiKey), 'the API key is never logged');

    const metrics = await (await engine.request('/metrics')).text();
    assert.match(metrics, /intelops_llm_questions_total\{outcome="ok"\} 2/);
    assert.match(metrics, /intelops_llm_questions_total\{outcome="llm_failed"\} 2/);
    assert.match(metrics, /intelops_llm_questions_total\{outcome="not_analysed"\} 1/);
  });
});

describe('POST /api/v1/incidents/{id}/ask without an LLM', () => {
  let engine: RunningEngine;

  before(async () => {
    engine = await startEngine({ engine: { clock: () => new Date(t + 30 * MINUTE) } });
  });
  after(() => engine.stop());

  it('answers 409 and says how to configure one', async () => {
    const id = await openIncident(engine);
    assert.equal((await engine.request(`/api/v1/incidents/${id}/analyze`, { method: 'POST' })).status, 200);
    const response = await ask(engine, id, { question: 'Why?' });
    assert.equal(response.status, 409);
    assert.match(
      (await readError(response)).message,
      /^Questions need an LLM\. No LLM is configured: set its base URL and model in the settings \(or INTELOPS_LLM_BASE_URL and INTELOPS_LLM_MODEL\)$/
    );
    const metrics = await (await engine.request('/metrics')).text();
    assert.match(metrics, /intelops_llm_questions_total\{outcome="no_llm"\} 1/);
  });
});
