import { agentRunsParams, parseAgentRun, parseAgentRunList, parseAgentRunSummary, verdictText } from './agentRuns';
import { agentRunJson, agentRunListJson, CHECKOUT_RUN_ID, RUN_IDS } from './testing/agentRunFixtures';

const NOW = Date.parse('2026-11-23T22:00:00Z');

describe('agentRunsParams', () => {
  it('sends times as RFC 3339 and leaves empty filters out', () => {
    expect(agentRunsParams({ from: 0, to: 1000, kind: ' ', incident: ' inc-1 ', status: 'error', limit: 5 })).toEqual({
      from: '1970-01-01T00:00:00.000Z',
      to: '1970-01-01T00:00:01.000Z',
      incident: 'inc-1',
      status: 'error',
      limit: 5,
    });
    expect(agentRunsParams({})).toEqual({});
  });
});

describe('parseAgentRunList and parseAgentRun', () => {
  it('read every run the engine lists, and one run with its retrieval and spans', () => {
    const runs = parseAgentRunList(agentRunListJson(NOW));
    expect(runs).toHaveLength(8);
    expect(runs.map(verdictText)).toEqual([null, null, 'confirmed checkout', null, null, null, null, 'unfaithful']);
    const run = parseAgentRun(agentRunJson(NOW, CHECKOUT_RUN_ID), '/api/v1/runs/x');
    expect(run.retrieval?.hits).toHaveLength(3);
    expect(run.spans.map((span) => span.kind)).toEqual([
      'other',
      'perception',
      'perception',
      'retrieval',
      'llm',
      'tool',
      'llm',
      'action',
    ]);
    expect(run.spans[4]?.attributes['gen_ai.usage.output_tokens']).toBe(320);
    expect(run.spans[4]?.events[0]?.name).toBe('gen_ai.client.inference.operation.details');
  });

  it('name what is missing in a body that is not the engine’s', () => {
    expect(() => parseAgentRunList({ items: [] })).toThrow('the body has no runs list');
    expect(() => parseAgentRunList({ runs: [{ kind: 'analyze' }] })).toThrow('run 1 has no id');
    expect(() =>
      parseAgentRunSummary({ id: 'r', kind: 'analyze', status: 'ok', startedAt: 'yesterday' }, '/p')
    ).toThrow('run r has no valid startedAt');
    const run = agentRunJson(NOW, RUN_IDS.draft);
    expect(() => parseAgentRun({ ...run, spans: undefined }, '/p')).toThrow(`run ${RUN_IDS.draft} has no spans list`);
    expect(() => parseAgentRun({ ...run, spans: [{ spanId: 's' }] }, '/p')).toThrow('span s has no startTime');
  });

  it('keep what a newer engine adds or leaves out: an unknown kind shows, missing figures are none', () => {
    const run = parseAgentRunSummary({ id: 'r', kind: 'plan', status: 'ok', startedAt: '2026-11-23T21:00:00Z' }, '/p');
    expect(run).toMatchObject({
      kind: 'plan',
      traceId: 'r',
      durationMs: null,
      inputTokens: 0,
      judge: null,
      human: null,
    });
  });
});
