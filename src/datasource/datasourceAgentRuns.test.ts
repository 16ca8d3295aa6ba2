import { dateTime, FieldType, type ScopedVars } from '@grafana/data';
import type { BackendSrvRequest } from '@grafana/runtime';
import type { VariableInterpolator } from './datasource';
import { EVAL_FRAME_NAMES } from './evalsFrame';
import { agentRunJson, agentRunSummariesJson, CHECKOUT_RUN_ID, evalsJson, RUN_IDS } from './testing/agentRunFixtures';
import { fakeEngineDatasource, queryRequest } from './testing/engineDatasource';
import type { FakeReply } from './testing/fakeEngineFetch';
import type { IntelOpsQuery } from './types';

const NOW = Date.parse('2026-11-23T22:00:00Z');
const range = { from: dateTime(NOW - 24 * 3_600_000), to: dateTime(NOW), raw: { from: 'now-24h', to: 'now' } };
const templateSrv: VariableInterpolator = {
  replace: (target = '', _scopedVars?: ScopedVars) =>
    target.replace('$incident', 'inc-7f3a9c').replace('$kind', 'analyze'),
};

const request = (targets: IntelOpsQuery[]) => queryRequest(targets, range, NOW);

// The engine's run and eval routes as they answer: filtered lists, runs by id, 404 for others.
function engine(request: BackendSrvRequest): FakeReply {
  const path = request.url.replace('/api/datasources/proxy/uid/intelops/engine', '');
  const params = request.params ?? {};
  if (path === '/api/v1/runs') {
    const runs = agentRunSummariesJson(NOW).filter(
      (run) =>
        (params.incident === undefined || run.incidentId === params.incident) &&
        (params.kind === undefined || run.kind === params.kind)
    );
    return { status: 200, data: { runs: runs.slice(0, Number(params.limit ?? 100)) } };
  }
  if (path === '/api/v1/evals') {
    return { status: 200, data: evalsJson(NOW, Date.parse(params.from), Date.parse(params.to)) };
  }
  const id = path.replace('/api/v1/runs/', '');
  const run = agentRunJson(NOW, id);
  return run
    ? { status: 200, data: run }
    : { status: 404, data: { statusCode: 404, error: 'Not Found', message: `No agent run with id "${id}"` } };
}

const datasource = (reply = engine) => fakeEngineDatasource(reply, templateSrv, { tempoDatasourceUid: 'tempo-eu' });

describe('the Agent runs query', () => {
  it('lists the runs of the range as a table, asking the engine for the kind and incident the variables name', async () => {
    const { ds, requests } = datasource();
    const response = await ds.query(
      request([{ refId: 'A', queryType: 'agentRuns', incidentId: '$incident', kind: '$kind' }])
    );

    expect(response.errors).toBeUndefined();
    expect(requests[0]?.params).toEqual({
      from: '2026-11-22T22:00:00.000Z',
      to: '2026-11-23T22:00:00.000Z',
      kind: 'analyze',
      incident: 'inc-7f3a9c',
      limit: 200,
    });
    const [frame] = response.data;
    expect(frame.meta.preferredVisualisationType).toBe('table');
    const values = (name: string) => frame.fields.find((f: { name: string }) => f.name === name)?.values;
    expect(values('id')).toEqual([CHECKOUT_RUN_ID]);
    expect(values('tokens')).toEqual([3532]);
    expect(values('verdict')).toEqual(['confirmed checkout']);
    expect(values('judgeFaithfulness')).toEqual([0.92]);
    const id = frame.fields.find((f: { name: string }) => f.name === 'id');
    expect(id.config.links.map((link: { title: string }) => link.title)).toEqual([
      'Open the agent run',
      'View the trace in Tempo',
    ]);
    expect(id.config.links[1].internal).toMatchObject({
      datasourceUid: 'tempo-eu',
      query: { query: '${__data.fields.id}' },
    });
  });

  it('refuses a kind the engine does not know before asking it', async () => {
    const { ds, requests } = datasource();
    const response = await ds.query(request([{ refId: 'A', queryType: 'agentRuns', kind: 'analyse' }]));
    expect(response.errors?.[0]?.message).toBe(
      '"analyse" is not a kind of agent run: pick one of analyze, ask, draft, judge, workflow.'
    );
    expect(requests).toHaveLength(0);
  });
});

describe('the Agent run query', () => {
  it('reads one run by id as a trace frame Grafana’s trace view and the agent trace panel both read', async () => {
    const { ds } = datasource();
    const response = await ds.query(request([{ refId: 'A', queryType: 'agentRun', runId: CHECKOUT_RUN_ID }]));

    const [frame] = response.data;
    expect(frame.meta).toMatchObject({
      preferredVisualisationType: 'trace',
      custom: {
        runId: CHECKOUT_RUN_ID,
        traceId: CHECKOUT_RUN_ID,
        incidentId: 'inc-7f3a9c',
        tempoDatasourceUid: 'tempo-eu',
      },
    });
    const field = (name: string) => frame.fields.find((f: { name: string }) => f.name === name);
    expect(frame.fields.map((f: { name: string }) => f.name)).toEqual([
      'traceID',
      'spanID',
      'parentSpanID',
      'operationName',
      'serviceName',
      'serviceTags',
      'startTime',
      'duration',
      'tags',
      'logs',
      'statusCode',
      'statusMessage',
      'intelopsKind',
      'tokens',
      'ttft',
    ]);
    expect(field('startTime').type).toBe(FieldType.number);
    expect(field('intelopsKind').values).toEqual([
      'other',
      'perception',
      'perception',
      'retrieval',
      'llm',
      'tool',
      'llm',
      'action',
    ]);
    expect(field('tokens').values).toEqual([null, null, null, null, 1840, null, 1692, null]);
    expect(field('ttft').values).toEqual([null, null, null, null, 380, null, 290, null]);
    expect(field('parentSpanID').values[0]).toBeUndefined();
    expect(field('tags').values[4]).toContainEqual({ key: 'gen_ai.response.finish_reasons', value: '["tool_calls"]' });
    expect(field('logs').values[5]).toEqual([]);
    expect(field('logs').values[4]).toEqual([
      expect.objectContaining({
        name: 'gen_ai.client.inference.operation.details',
        timestamp: Date.parse(agentRunJson(NOW, CHECKOUT_RUN_ID)?.startedAt ?? '') + 2240,
      }),
    ]);
  });

  it('reads the latest run of the incident when no id is set', async () => {
    const { ds, requests } = datasource();
    const response = await ds.query(
      request([{ refId: 'A', queryType: 'agentRun', incidentId: '$incident', kind: 'judge' }])
    );
    expect(requests.map((r) => [r.url.replace(/.*\/engine/, ''), r.params?.limit])).toEqual([
      ['/api/v1/runs', 1],
      [`/api/v1/runs/${RUN_IDS.checkoutJudge}`, undefined],
    ]);
    expect(response.data[0].meta.custom.runId).toBe(RUN_IDS.checkoutJudge);
  });

  it('says when the incident has no run, and marks a failed span as an error', async () => {
    const { ds } = datasource();
    const none = await ds.query(request([{ refId: 'A', queryType: 'agentRun', incidentId: 'inc-d40f13' }]));
    expect(none.data[0].length).toBe(0);
    expect(none.data[0].meta.notices[0].text).toMatch(/^No agent run for incident inc-d40f13 in the time range/);

    const failed = await ds.query(request([{ refId: 'A', queryType: 'agentRun', runId: RUN_IDS.apiGatewayFailed }]));
    const field = (name: string) => failed.data[0].fields.find((f: { name: string }) => f.name === name);
    expect(field('statusCode').values).toEqual([2, 2]);
    const message = 'The LLM endpoint did not answer within 30 s (http://ollama:11434/v1)';
    expect(field('statusMessage').values).toEqual([message, message]);
  });

  it('reads the newest run of all without an id or incident, and passes the engine’s 404 on in words', async () => {
    const { ds } = datasource();
    const newest = await ds.query(request([{ refId: 'A', queryType: 'agentRun' }]));
    expect(newest.data[0].meta.custom.runId).toBe(RUN_IDS.checkoutQuestion);
    const unknown = await ds.query(request([{ refId: 'A', queryType: 'agentRun', runId: 'nope' }]));
    expect(unknown.errors?.[0]?.message).toMatch(/answered 404 for \/api\/v1\/runs\/nope/);
  });
});

describe('the Evals query', () => {
  it('answers the scorecard with the engine’s thresholds and verdict, the trend and the worst runs', async () => {
    const { ds, requests } = datasource();
    const response = await ds.query(request([{ refId: 'A', queryType: 'evals' }]));

    expect(requests[0]?.params).toEqual({ from: '2026-11-22T22:00:00.000Z', to: '2026-11-23T22:00:00.000Z' });
    expect(response.data.map((frame: { name: string }) => frame.name)).toEqual([
      EVAL_FRAME_NAMES.scores,
      EVAL_FRAME_NAMES.trend,
      EVAL_FRAME_NAMES.worst,
    ]);
    const [scores, trend, worst] = response.data;
    expect(scores.fields.map((f: { values: unknown[] }) => f.values)).toEqual([
      ['p95LatencyMs', 'errorRate', 'ttftMs', 'retrievalHitRate', 'hallucinationRate', 'accuracy', 'faithfulness'],
      [3420, 2 / 48, 410, 27 / 44, 9 / 212, 9 / 11, 0.86],
      [3000, 0.05, 2000, 0.7, 0.1, 0.6, 0.8],
    ]);
    expect(scores.meta.custom.verdict.status).toBe('attention');
    expect(trend.length).toBe(12);
    expect(trend.fields.map((f: { name: string }) => f.name)).toEqual([
      'time',
      'runs',
      'p95LatencyMs',
      'errorRate',
      'retrievalHitRate',
      'hallucinationRate',
      'accuracy',
    ]);
    expect(worst.fields.find((f: { name: string }) => f.name === 'id').values).toEqual([
      RUN_IDS.apiGatewayFailed,
      RUN_IDS.loggingAnalysis,
      CHECKOUT_RUN_ID,
    ]);
  });
});
