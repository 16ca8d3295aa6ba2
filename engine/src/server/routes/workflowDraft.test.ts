import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { builtInActions } from '../../execution/actions/registry.ts';
import type { WorkflowDraft } from '../../execution/workflows/draftWorkflow.ts';
import { createLogger } from '../../observability/logger.ts';
import { llmResolver } from '../../reasoning/llm/llmFromSettings.ts';
import { listStoredWorkflows } from '../../store/workflows.ts';
import { startOpenAiServer, testLlmConfig } from '../../testing/openaiServer.ts';
import type { OpenAiServer } from '../../testing/openaiServer.ts';
import { sharedPgliteStore } from '../../testing/stores.ts';
import { bodiesPlugin } from '../bodies.ts';
import { errorsPlugin, formatValidationError } from '../errors.ts';
import { createValidatorCompiler } from '../validation.ts';
import { workflowDraftRoutes } from './workflowDraft.ts';

const KEY = 'sk-test-draft-key-0123456789';
const DESCRIPTION = 'every morning check p95 latency and error rate of the checkout path and post a summary to #ops';

const DRAFT = `name: checkout-morning-check
description: Morning check of checkout latency and errors, summarised for #ops
triggers:
  - on: schedule
    cron: "0 8 * * *"
steps:
  - id: check
    action: inspection
    with:
      range: 1h
      checks:
        - name: checkout p95 latency (s)
          source: prometheus
          query: histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{service="checkout"}[5m])))
          threshold: { op: "<", value: 0.5 }
        - name: checkout error ratio
          source: prometheus
          query: sum(rate(http_server_request_duration_seconds_count{service="checkout",http_response_status_code=~"5.."}[5m])) / sum(rate(http_server_request_duration_seconds_count{service="checkout"}[5m]))
          threshold: { op: "<", value: 0.01 }
  - id: summary
    action: llm_summary
    with:
      instructions: Morning report for #ops
      about: "{{ steps.check.output | json }}"
  - id: post
    action: slack
    with:
      webhookSecret: SLACK_OPS_WEBHOOK
      text: "{{ steps.summary.output.summary }}"
`;

/** The draft with the slack step's secret field misspelt, as models do. */
const MISSPELT = DRAFT.replace('webhookSecret: SLACK_OPS_WEBHOOK', 'webhook: SLACK_OPS_WEBHOOK');
const MISSPELT_ERROR = 'draft line 28: steps/2/with has unknown key "webhook" (allowed: webhookSecret, text, blocks, attachments, unfurlLinks)';

async function appWith(llm: Parameters<typeof llmResolver>[0], store: ReturnType<ReturnType<typeof sharedPgliteStore>>): Promise<FastifyInstance> {
  const app = Fastify({ schemaErrorFormatter: formatValidationError });
  app.setValidatorCompiler(createValidatorCompiler());
  await app.register(errorsPlugin, { bodyLimitBytes: 1024 * 1024 });
  await app.register(bodiesPlugin);
  await app.register(workflowDraftRoutes, {
    prefix: '/api/v1',
    store,
    llm: llmResolver(llm, createLogger('silent')),
    actions: builtInActions({ llm: () => undefined }),
  });
  await app.ready();
  return app;
}

describe('POST /api/v1/workflows/draft', () => {
  const store = sharedPgliteStore();
  let server: OpenAiServer;
  let app: FastifyInstance;

  before(async () => {
    server = await startOpenAiServer();
    app = await appWith(
      {
        llm: testLlmConfig(server.baseUrl, { model: 'draft-model', apiKey: KEY }),
        llmApiKey: undefined,
      },
      store()
    );
  });
  after(async () => {
    await app.close();
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  const draft = (description: unknown = DESCRIPTION) => app.inject({ method: 'POST', url: '/api/v1/workflows/draft', payload: { description } });
  const messagesOf = (index: number) => server.chatRequests()[index]?.body['messages'] as Array<{ role: string; content: string }>;

  it('drafts a valid workflow from words, with what each step would do, and saves nothing', async () => {
    server.enqueue({ content: `Here it is:\n\`\`\`yaml\n${DRAFT}\`\`\`\n`, usage: { promptTokens: 5000, completionTokens: 400 } });
    const response = await draft();
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<WorkflowDraft>();
    assert.equal(body.yaml, DRAFT);
    assert.equal(body.valid, true);
    assert.deepEqual(body.errors, []);
    assert.equal(body.repaired, false);
    assert.deepEqual(body.usage, { promptTokens: 5000, completionTokens: 400 });
    assert.deepEqual(
      body.dryRun?.map((step) => [step.id, step.action, step.sideEffect, step.approval]),
      [
        ['check', 'inspection', false, 'auto'],
        ['summary', 'llm_summary', false, 'auto'],
        ['post', 'slack', true, 'auto'],
      ]
    );
    assert.match(body.dryRun?.[2]?.description ?? '', /SLACK_OPS_WEBHOOK/);
    assert.deepEqual(await listStoredWorkflows(store()), []);

    const [system, user] = messagesOf(0);
    assert.equal(user?.content, DESCRIPTION);
    for (const expected of ['on: schedule needs cron', '### inspection (read-only)', '### slack (changes something outside', '### llm_summary (read-only)', 'name: nightly-payments-check', '"webhookSecret"']) {
      assert.ok(system?.content.includes(expected), `the prompt holds ${expected}`);
    }
  });

  it('gives the model its error once and takes the repaired draft', async () => {
    server.enqueue({ content: MISSPELT, usage: { promptTokens: 5000, completionTokens: 400 } }, { content: DRAFT, usage: { promptTokens: 5500, completionTokens: 410 } });
    const response = await draft();
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<WorkflowDraft>();
    assert.equal(body.valid, true);
    assert.equal(body.repaired, true);
    assert.equal(body.yaml, DRAFT);
    assert.deepEqual(body.usage, { promptTokens: 10_500, completionTokens: 810 });
    const repair = messagesOf(1);
    assert.deepEqual(
      repair.slice(2).map((message) => message.role),
      ['assistant', 'user']
    );
    assert.equal(repair[2]?.content, MISSPELT);
    assert.equal(repair[3]?.content, `That workflow does not check: ${MISSPELT_ERROR}\nAnswer with the whole corrected YAML document only.`);
  });

  it('answers an unrepairable draft with its errors after one repair round', async () => {
    server.enqueue({ content: MISSPELT }, { content: DRAFT.replace('cron: "0 8 * * *"', 'cron: "0 8 * * mon-fry"') });
    const response = await draft();
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<WorkflowDraft>();
    assert.equal(body.valid, false);
    assert.equal(body.repaired, true);
    assert.deepEqual(body.errors, ['draft line 5: triggers/0/cron "0 8 * * mon-fry": day of week field "mon-fry": "fry" is not a day of week (allowed: 0-7 or sun-sat)']);
    assert.equal(body.dryRun, undefined);
    assert.equal(server.chatRequests().length, 2, 'one repair round only');
  });

  it('says when the LLM fails, and refuses an empty description', async () => {
    server.enqueue({ status: 500, body: { error: { message: 'upstream exploded', type: 'server_error', param: null, code: null } } });
    const failed = await draft();
    assert.equal(failed.statusCode, 502);
    assert.equal(failed.json<{ message: string }>().message, 'The LLM did not draft a workflow: LLM endpoint answered HTTP 500: upstream exploded');
    const empty = await draft('');
    assert.equal(empty.statusCode, 400);
    assert.match(empty.json<{ message: string }>().message, /description/);
  });

  it('answers 409 saying how to configure an LLM when there is none', async () => {
    const bare = await appWith({ llm: undefined, llmApiKey: undefined }, store());
    try {
      const response = await bare.inject({ method: 'POST', url: '/api/v1/workflows/draft', payload: { description: DESCRIPTION } });
      assert.equal(response.statusCode, 409);
      assert.equal(
        response.json<{ message: string }>().message,
        'Drafting workflows needs an LLM. No LLM is configured: set its base URL and model in the settings (or INTELOPS_LLM_BASE_URL and INTELOPS_LLM_MODEL).'
      );
      assert.equal(server.chatRequests().length, 0);
    } finally {
      await bare.close();
    }
  });
});
