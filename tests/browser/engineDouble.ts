import { incidentListJson } from '../../src/datasource/testing/incidentFixtures';
import { ENGINE_STATUS } from '../../src/datasource/testing/fakeEngineFetch';
import { engineSettingsJson } from '../../src/services/testing/engineSettingsJson';
import {
  checkoutEvidenceJson,
  partialEvidenceJson,
  uncollectedEvidenceJson,
} from '../../src/datasource/testing/perceptionFixtures';
import {
  CHECKOUT_DEPLOY_ID,
  changesJson,
  checkoutRcaJson,
  feedbackJson,
  ordersRcaJson,
} from '../../src/datasource/testing/reasoningFixtures';
import { answerAgentRuns } from './agentRunsDouble';
import { answerWorkflows } from './workflowDouble';

/**
 * Answers the engine API on Grafana's data-proxy paths (/api/datasources/proxy/uid/<engine>/engine/api/v1/...)
 * for the browser harness, with incidents shaped exactly as the engine sends them. The <engine> uid picks a scene:
 * storm (five incidents), slow (the same after 1.5 s), quiet (none), down (502 as Grafana's proxy answers).
 * Evidence: the checkout incident has collected evidence; the others have none until POSTed, which answers evidence
 * from Prometheus only (Loki unconfigured, Tempo failing); in the slow scene collecting takes 1.5 s as well.
 * Settings: GET answers the same document (no Loki URL, no Grafana annotations, an LLM without a key); PUT checks the
 * URLs (upstreams, LLM, Grafana) as the engine's schema does and answers the document it was sent, or 400 naming the
 * field. Nothing is kept between requests. POST /llm/test answers OK from the saved Ollama (or any model on it) and a
 * 401 failure from any other endpoint, since no key is set; a bad URL is refused as the engine's schema does.
 * Status (the Settings page's connection check) answers as engine 0.1.0 in every scene but down.
 * Root causes: the checkout incident was analysed by the LLM; the others answer 404 on GET …/rca until analysed,
 * when POST …/analyze answers the deterministic ranking (no LLM configured), after 1.5 s in the slow scene.
 * POST …/feedback checks the body as the engine's schema does and answers the verdict it was sent. GET /changes
 * answers the deploy before the checkout incident and a feature flag, filtered by service and time.
 * POST …/ask checks the body as the engine's schema does; the checkout incident answers citing its p99 anomaly and
 * the deploy, the others answer 409 as an engine without an LLM does.
 * Workflows, runs and approvals: see workflowDouble.ts. Agent runs and evals: see agentRunsDouble.ts.
 */

const PROXY_PATH = /^\/api\/datasources\/proxy\/uid\/([\w-]+)\/engine(\/api\/v1\/.*)$/;

export interface EngineAnswer {
  status: number;
  body: unknown;
  delayMs: number;
}

type IncidentJson = ReturnType<typeof incidentListJson>['incidents'][number];

function list(params: URLSearchParams, key: string): string[] {
  return params
    .getAll(key)
    .flatMap((value) => value.split(','))
    .filter((value) => value !== '');
}

function time(value: string | null): number | undefined {
  if (value === null) {
    return undefined;
  }
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}

// The engine's filter rules: active in [from, to]; OR within a filter, AND across filters.
function matches(incident: IncidentJson, params: URLSearchParams): boolean {
  const from = time(params.get('from'));
  const to = time(params.get('to'));
  const statuses = list(params, 'status');
  const severities = list(params, 'severity');
  const services = list(params, 'service');
  return (
    (to === undefined || Date.parse(incident.startsAt) <= to) &&
    (from === undefined || incident.endsAt === null || Date.parse(incident.endsAt) >= from) &&
    (statuses.length === 0 || statuses.includes(incident.status)) &&
    (severities.length === 0 || severities.includes(incident.severity)) &&
    (services.length === 0 || incident.services.some((service) => services.includes(service)))
  );
}

const EVIDENCE_PATH = /^\/api\/v1\/incidents\/([^/]+)\/evidence$/;
const REASONING_PATH = /^\/api\/v1\/incidents\/([^/]+)\/(rca|analyze|analysis|feedback|ask)$/;

function notFound(message: string, delayMs: number): EngineAnswer {
  return { status: 404, body: { statusCode: 404, error: 'Not Found', message }, delayMs };
}

function badRequest(message: string, delayMs: number): EngineAnswer {
  return { status: 400, body: { statusCode: 400, error: 'Bad Request', message }, delayMs };
}

function answerFeedback(body: unknown, now: number, delayMs: number): EngineAnswer {
  const document = typeof body === 'object' && body !== null ? body : {};
  const service: unknown = Reflect.get(document, 'service');
  const verdict: unknown = Reflect.get(document, 'verdict');
  const by: unknown = Reflect.get(document, 'by');
  if (typeof service !== 'string' || service === '') {
    return badRequest("body must have required property 'service'", delayMs);
  }
  if (verdict !== 'confirm' && verdict !== 'reject') {
    return badRequest('body/verdict must be equal to one of the allowed values', delayMs);
  }
  return { status: 200, body: feedbackJson(now, service, verdict, typeof by === 'string' ? by : undefined), delayMs };
}

function conflict(message: string, delayMs: number): EngineAnswer {
  return { status: 409, body: { statusCode: 409, error: 'Conflict', message }, delayMs };
}

const MAX_QUESTION_CHARS = 2000;
const MAX_HISTORY_TURNS = 6;

// The engine's schema for POST …/ask: a question of 1 to 2000 characters, at most 6 earlier turns.
function askProblem(body: unknown): string | undefined {
  const document = typeof body === 'object' && body !== null ? body : {};
  const question: unknown = Reflect.get(document, 'question');
  const history: unknown = Reflect.get(document, 'history') ?? [];
  if (typeof question !== 'string') {
    return "body must have required property 'question'";
  }
  if (question.length < 1 || question.length > MAX_QUESTION_CHARS) {
    return `body/question must have 1 to ${MAX_QUESTION_CHARS} characters`;
  }
  if (!Array.isArray(history) || history.length > MAX_HISTORY_TURNS) {
    return `body/history must be an array of at most ${MAX_HISTORY_TURNS} items`;
  }
  const bad = history.findIndex(
    (turn: unknown) =>
      typeof turn !== 'object' ||
      turn === null ||
      typeof Reflect.get(turn, 'question') !== 'string' ||
      typeof Reflect.get(turn, 'answer') !== 'string'
  );
  return bad < 0 ? undefined : `body/history/${bad} must have a question and an answer`;
}

/**
 * The checkout incident was analysed with an LLM: its answer cites the p99 anomaly and the deploy, says how many
 * earlier turns it read, and used get_evidence. The others have no LLM (409, as the engine says it).
 */
function answerQuestion(id: string, body: unknown, delayMs: number): EngineAnswer {
  const problem = askProblem(body);
  if (problem !== undefined) {
    return badRequest(problem, delayMs);
  }
  if (id !== 'inc-7f3a9c') {
    return conflict(
      'Questions need an LLM. No LLM is configured: set its base URL and model in the settings (or INTELOPS_LLM_BASE_URL and INTELOPS_LLM_MODEL)',
      delayMs
    );
  }
  const history: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'history') : undefined;
  const turns = Array.isArray(history) ? history.length : 0;
  return {
    status: 200,
    body: {
      answer: `With ${turns} earlier question${turns === 1 ? '' : 's'} read: checkout p99 latency rose 2 minutes after the checkout v2.4.1 deploy, before payments slowed.`,
      evidence: ['ev_met_3f2a9b1c0d4e', CHECKOUT_DEPLOY_ID],
      toolCalls: ['get_evidence'],
      model: 'gpt-4o-mini',
      usage: { promptTokens: 1400, completionTokens: 60 },
      hallucinationsDropped: 0,
    },
    delayMs,
  };
}

/**
 * GET …/analysis as the engine answers it: in the slow scene an analysis is always half way (context and perception
 * done, reasoning running); elsewhere analyses finish at once, so none is ever in flight.
 */
function analysisStatus(slow: boolean, now: number) {
  if (!slow) {
    return { running: false, startedAt: null, steps: [] };
  }
  const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
  return {
    running: true,
    startedAt: at(2),
    steps: [
      { name: 'context', state: 'done', finishedAt: at(1.5) },
      { name: 'perception', state: 'done', finishedAt: at(0.5) },
      { name: 'reasoning', state: 'running', finishedAt: null },
    ],
  };
}

function answerReasoning(
  id: string,
  leaf: string,
  method: string,
  body: unknown,
  now: number,
  delayMs: number
): EngineAnswer {
  if (leaf === 'feedback' && method === 'POST') {
    return answerFeedback(body, now, delayMs);
  }
  if (leaf === 'ask' && method === 'POST') {
    return answerQuestion(id, body, delayMs);
  }
  if (leaf === 'analyze' && method === 'POST') {
    return { status: 200, body: id === 'inc-7f3a9c' ? checkoutRcaJson(now) : ordersRcaJson(now, id), delayMs };
  }
  if (leaf === 'analysis' && method === 'GET') {
    return { status: 200, body: analysisStatus(delayMs > 0, now), delayMs: 0 };
  }
  if (leaf === 'rca' && method === 'GET') {
    return id === 'inc-7f3a9c'
      ? { status: 200, body: checkoutRcaJson(now), delayMs }
      : notFound(`The analysis of incident "${id}" has not been run: POST …/analyze`, delayMs);
  }
  return notFound(`Route ${method}:/api/v1/incidents/${id}/${leaf} not found`, 0);
}

// The engine's changes filter: begun by `to`, not ended before `from`, any of the services.
function answerChanges(params: URLSearchParams, now: number): EngineAnswer {
  const from = time(params.get('from'));
  const to = time(params.get('to'));
  const services = list(params, 'service');
  const changes = changesJson(now).changes.filter(
    (change) =>
      (to === undefined || Date.parse(change.startsAt) <= to) &&
      (from === undefined || Date.parse(change.endsAt ?? change.startsAt) >= from) &&
      (services.length === 0 || services.includes(change.service))
  );
  return { status: 200, body: { changes }, delayMs: 0 };
}

function answerEvidence(id: string, method: string, known: boolean, now: number, delayMs: number): EngineAnswer {
  if (!known) {
    return {
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: `No incident with id "${id}"` },
      delayMs,
    };
  }
  if (method === 'POST') {
    return { status: 200, body: partialEvidenceJson(now, id), delayMs };
  }
  return {
    status: 200,
    body: id === 'inc-7f3a9c' ? checkoutEvidenceJson(now) : uncollectedEvidenceJson(id),
    delayMs,
  };
}

// The engine's rule for a URL setting (format "uri" plus pattern ^https?://), as far as ajv's uri format goes
// for the characters a person types: no spaces or characters URIs leave out, % only before two hex digits.
function urlRuleBroken(url: unknown): string | undefined {
  if (typeof url !== 'string') {
    return 'must be string';
  }
  if (!/^https?:\/\//.test(url)) {
    return 'must match pattern "^https?://"';
  }
  return /[\s"<>\\^`{|}]|%(?![0-9a-fA-F]{2})/.test(url) ? 'must match format "uri"' : undefined;
}

/** The URL settings of the engine's schema, as [section, key]. */
const URL_SETTINGS = [
  ['prometheus', 'url'],
  ['loki', 'url'],
  ['tempo', 'url'],
  ['alertmanager', 'url'],
  ['llm', 'baseUrl'],
  ['grafana', 'url'],
] as const;

function answerSettings(method: string, body: unknown, delayMs: number): EngineAnswer {
  if (method !== 'PUT') {
    return { status: 200, body: engineSettingsJson(), delayMs };
  }
  const document = typeof body === 'object' && body !== null ? body : {};
  for (const [section, key] of URL_SETTINGS) {
    const value: unknown = Reflect.get(document, section);
    const url: unknown = typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
    const broken = url === undefined ? undefined : urlRuleBroken(url);
    if (broken) {
      const message = `body/${section}/${key} ${broken}`;
      return { status: 400, body: { statusCode: 400, error: 'Bad Request', message }, delayMs };
    }
  }
  const llm: unknown = Reflect.get(document, 'llm');
  // As the engine, the key flag comes from its environment: the same as on GET, whatever the body said.
  const apiKeySet = engineSettingsJson().llm.apiKeySet;
  return {
    status: 200,
    body: { ...document, llm: { ...(typeof llm === 'object' ? llm : {}), apiKeySet } },
    delayMs,
  };
}

// The double's LLM: the settings' Ollama answers without a key; any other endpoint refuses, as OpenAI does
// without INTELOPS_LLM_API_KEY (the settings say the key is not set).
const KEYLESS_LLM = 'http://ollama:11434/v1';

/** POST /api/v1/llm/test as the engine answers it: the body's values over the saved settings. */
function answerLlmTest(body: unknown, delayMs: number): EngineAnswer {
  const document = typeof body === 'object' && body !== null ? body : {};
  const saved = engineSettingsJson().llm;
  const sentUrl: unknown = Reflect.get(document, 'baseUrl');
  const sentModel: unknown = Reflect.get(document, 'model');
  const broken = sentUrl === undefined ? undefined : urlRuleBroken(sentUrl);
  if (broken) {
    return badRequest(`body/baseUrl ${broken}`, delayMs);
  }
  const baseUrl = typeof sentUrl === 'string' ? sentUrl : saved.baseUrl;
  const model = typeof sentModel === 'string' ? sentModel : saved.model;
  if (baseUrl === KEYLESS_LLM) {
    return { status: 200, body: { ok: true, model, latencyMs: 184, reply: 'OK' }, delayMs };
  }
  const error = "LLM endpoint answered HTTP 401: You didn't provide an API key.";
  return { status: 200, body: { ok: false, model, latencyMs: 96, error }, delayMs };
}

export function answerEngine(
  pathname: string,
  params: URLSearchParams,
  now = Date.now(),
  method = 'GET',
  body?: unknown
): EngineAnswer | undefined {
  const match = PROXY_PATH.exec(pathname);
  if (!match) {
    return undefined;
  }
  const [, engine, apiPath] = match;
  if (engine === 'down') {
    return { status: 502, body: { message: 'Bad Gateway' }, delayMs: 0 };
  }
  const incidents = engine === 'quiet' ? [] : incidentListJson(now).incidents;
  const delayMs = engine === 'slow' ? 1500 : 0;
  if (apiPath === '/api/v1/status') {
    return { status: 200, body: ENGINE_STATUS, delayMs: 0 };
  }
  if (apiPath === '/api/v1/settings') {
    return answerSettings(method, body, delayMs);
  }
  if (apiPath === '/api/v1/llm/test' && method === 'POST') {
    return answerLlmTest(body, delayMs);
  }
  if (apiPath === '/api/v1/changes') {
    return answerChanges(params, now);
  }
  const workflows = answerWorkflows(apiPath ?? '', params, method, body, {
    now,
    quiet: engine === 'quiet',
    slow: delayMs > 0,
  });
  if (workflows) {
    return { ...workflows, delayMs };
  }
  const agentRuns = answerAgentRuns(apiPath ?? '', params, method, { now, quiet: engine === 'quiet' });
  if (agentRuns) {
    return { ...agentRuns, delayMs };
  }
  const reasoning = REASONING_PATH.exec(apiPath ?? '');
  if (reasoning) {
    const id = decodeURIComponent(reasoning[1] ?? '');
    return incidents.some((i) => i.id === id)
      ? answerReasoning(id, reasoning[2] ?? '', method, body, now, delayMs)
      : notFound(`No incident with id "${id}"`, delayMs);
  }
  const evidence = EVIDENCE_PATH.exec(apiPath ?? '');
  if (evidence) {
    const id = decodeURIComponent(evidence[1] ?? '');
    return answerEvidence(
      id,
      method,
      incidents.some((i) => i.id === id),
      now,
      delayMs
    );
  }
  if (apiPath === '/api/v1/incidents') {
    const matching = incidents.filter((i) => matches(i, params));
    const limit = Number(params.get('limit') ?? matching.length);
    // Newest first, as the engine lists them.
    const newest = [...matching].sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt)).slice(0, limit);
    return { status: 200, body: { incidents: newest, truncated: newest.length < matching.length }, delayMs };
  }
  const id = apiPath.startsWith('/api/v1/incidents/')
    ? decodeURIComponent(apiPath.slice('/api/v1/incidents/'.length))
    : '';
  const incident = incidents.find((candidate) => candidate.id === id);
  return incident
    ? { status: 200, body: incident, delayMs }
    : { status: 404, body: { message: `No incident with id "${id}"` }, delayMs };
}
