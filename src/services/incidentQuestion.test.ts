import { DEFAULT_UPSTREAM_UIDS } from '../datasource/upstreams';
import { checkoutEvidenceJson } from '../datasource/testing/perceptionFixtures';
import { parseIncidentEvidence } from './evidence';
import {
  addTurn,
  answerChips,
  askIncidentQuestion,
  MAX_HISTORY_TURNS,
  parseIncidentAnswer,
  type QuestionTurn,
} from './incidentQuestion';
import { fakeDatasourceLookup, intelOpsSettings } from './testing/fakeDatasources';
import type { FakeReply } from '../datasource/testing/fakeEngineFetch';

const ANSWER = {
  answer: 'The deploy chg_1 came 2 minutes before the latency rose.',
  evidence: ['chg_1', 'ev_met_3f2a9b1c0d4e'],
  toolCalls: ['get_evidence', 'query_metrics'],
  model: 'gpt-4o-mini',
  usage: { promptTokens: 900, completionTokens: 60 },
  hallucinationsDropped: 1,
};

const engine = (reply: FakeReply) =>
  fakeDatasourceLookup([{ settings: intelOpsSettings('ds', 'IntelOps', 'http://engine:8686'), reply }]);

const turn = (n: number): QuestionTurn => ({
  question: `q${n}`,
  answer: { ...parseIncidentAnswer(ANSWER, '/x'), answer: `a${n}` },
});

describe('askIncidentQuestion', () => {
  it('posts the question with the last turns as history and reads the answer', async () => {
    const lookup = engine({ status: 200, data: ANSWER });
    const history = Array.from({ length: MAX_HISTORY_TURNS + 2 }, (_, index) => turn(index));
    const result = await askIncidentQuestion(lookup, 'inc 1', 'Why?', history);
    expect(result).toEqual({ state: 'answered', answer: ANSWER });
    const [request] = lookup.requests;
    expect(request?.url).toBe('/api/datasources/proxy/uid/ds/engine/api/v1/incidents/inc%201/ask');
    expect(request?.method).toBe('POST');
    expect(request?.data).toEqual({
      question: 'Why?',
      history: history.slice(2).map((one) => ({ question: one.question, answer: one.answer.answer })),
    });
  });

  it('tells no LLM (with how to set one) from not analysed, and says why the LLM failed', async () => {
    const conflict = (message: string) =>
      engine({ status: 409, data: { statusCode: 409, error: 'Conflict', message } });
    const noLlm = await askIncidentQuestion(
      conflict('Questions need an LLM. No LLM is configured: set its base URL and model in the settings'),
      'inc-1',
      'Why?',
      []
    );
    expect(noLlm.state).toBe('no-llm');
    expect(noLlm.state !== 'answered' && noLlm.message).toMatch(
      /^Questions need an LLM\. No LLM is configured: .* Set the LLM base URL and model on the IntelOps Settings page/
    );
    const notAnalysed = await askIncidentQuestion(
      conflict('Incident "inc-1" has not been analysed yet: POST …/analyze first'),
      'inc-1',
      'Why?',
      []
    );
    expect(notAnalysed).toEqual({
      state: 'not-analysed',
      message: 'Analyze the incident first: questions are answered from its analysis.',
    });
    const failed = await askIncidentQuestion(
      engine({
        status: 502,
        data: {
          statusCode: 502,
          error: 'Bad Gateway',
          message: 'The LLM did not answer: LLM timed out after 30000 ms',
        },
      }),
      'inc-1',
      'Why?',
      []
    );
    expect(failed).toEqual({ state: 'failed', message: 'The LLM did not answer: LLM timed out after 30000 ms' });
    const unreachable = await askIncidentQuestion(engine({ networkError: 'connection refused' }), 'inc-1', 'Why?', []);
    expect(unreachable.state).toBe('failed');
  });

  it('rejects a body without an answer', () => {
    expect(() => parseIncidentAnswer({ evidence: [] }, '/api/v1/incidents/x/ask')).toThrow(/the body has no answer/);
  });
});

describe('answerChips and addTurn', () => {
  it('resolves cited ids against the evidence, changes by their id', () => {
    const evidence = parseIncidentEvidence(checkoutEvidenceJson(Date.now()), '/x').evidence;
    const chips = answerChips(['ev_met_3f2a9b1c0d4e', 'deploy-42'], evidence, DEFAULT_UPSTREAM_UIDS);
    expect(chips.map((chip) => [chip.kind, chip.label])).toEqual([
      ['metric', 'checkout p99 latency rose from 0.45 s to 2.3 s'],
      ['change', 'deploy-42'],
    ]);
    expect(chips[0]?.href).toContain('/explore');
  });

  it('keeps the last turns only', () => {
    let turns: QuestionTurn[] = [];
    for (let n = 0; n < MAX_HISTORY_TURNS + 3; n++) {
      turns = addTurn(turns, turn(n));
    }
    expect(turns.map((one) => one.question)).toEqual(['q3', 'q4', 'q5', 'q6', 'q7', 'q8']);
  });
});
