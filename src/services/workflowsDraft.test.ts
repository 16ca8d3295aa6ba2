import {
  DRAFT_CRON_ERROR,
  DRAFT_DESCRIPTION,
  DRAFT_NO_LLM,
  draftYaml,
  workflowDraftJson,
} from '../datasource/testing/workflowFixtures';
import { fakeDatasourceLookup, type FakeProxy, intelOpsSettings } from './testing/fakeDatasources';
import { draftWorkflow, parseWorkflowDraft, workflowNameOf } from './workflowsDraft';

const PROXY = '/api/datasources/proxy/uid/ds/engine/api/v1';

function engine(reply: FakeProxy) {
  return fakeDatasourceLookup([{ settings: intelOpsSettings('ds', 'IntelOps', 'http://engine:8686'), reply }]);
}

describe('parseWorkflowDraft', () => {
  it('reads a valid draft with what each step would do', () => {
    const draft = parseWorkflowDraft(workflowDraftJson(true));
    expect(draft).toMatchObject({ valid: true, errors: [], repaired: false, model: 'gpt-4o-mini' });
    expect(draft.dryRun?.map((step) => [step.id, step.sideEffect, step.approval])).toEqual([
      ['check', false, 'auto'],
      ['post', true, 'auto'],
    ]);
    expect(draft.usage).toEqual({ promptTokens: 5200, completionTokens: 410 });
  });

  it('reads a draft that does not check, with its errors and no steps', () => {
    const draft = parseWorkflowDraft(workflowDraftJson(false));
    expect(draft).toMatchObject({ valid: false, errors: [DRAFT_CRON_ERROR], repaired: true });
    expect(draft.dryRun).toBeUndefined();
  });

  it('refuses a body that is not a draft', () => {
    expect(() => parseWorkflowDraft({ yaml: 'x' })).toThrow(/no yaml and valid/);
    expect(() => parseWorkflowDraft({ yaml: 'x', valid: true, dryRun: [{ id: 'a' }] })).toThrow(/no id or description/);
  });
});

describe('draftWorkflow', () => {
  it('posts the description and gives the draft', async () => {
    const lookup = engine({ status: 200, data: workflowDraftJson(true) });
    expect(await draftWorkflow(lookup, `  ${DRAFT_DESCRIPTION} `)).toMatchObject({
      state: 'drafted',
      draft: { yaml: draftYaml() },
    });
    expect(lookup.requests.map((r) => [r.method, r.url, r.data])).toEqual([
      ['POST', `${PROXY}/workflows/draft`, { description: DRAFT_DESCRIPTION }],
    ]);
  });

  it('gives the engine’s 409 (no LLM), 502 (the LLM failed) and 400 as they are', async () => {
    const noLlm = engine({ status: 409, data: { statusCode: 409, error: 'Conflict', message: DRAFT_NO_LLM } });
    expect(await draftWorkflow(noLlm, 'x')).toEqual({ state: 'no-llm', message: DRAFT_NO_LLM });
    const failure = 'The LLM did not draft a workflow: LLM endpoint answered HTTP 500: upstream exploded';
    const failed = engine({ status: 502, data: { statusCode: 502, error: 'Bad Gateway', message: failure } });
    expect(await draftWorkflow(failed, 'x')).toEqual({ state: 'failed', message: failure });
    const long = 'body/description must NOT have more than 2000 characters';
    const refused = engine({ status: 400, data: { statusCode: 400, error: 'Bad Request', message: long } });
    expect(await draftWorkflow(refused, 'x')).toEqual({ state: 'failed', message: long });
  });

  it('says when Grafana could not reach the engine', async () => {
    const down = engine({ status: 502, data: { message: 'Bad Gateway' } });
    const result = await draftWorkflow(down, 'x');
    expect(result.state).toBe('failed');
    expect(result).toMatchObject({ message: expect.stringContaining('http://engine:8686') });
  });
});

describe('workflowNameOf', () => {
  it('reads the top-level name of YAML, quoted or not, and of JSON', () => {
    expect(workflowNameOf(draftYaml())).toBe('checkout-morning-check');
    expect(workflowNameOf('# a comment\nname: "nightly-report" # why\nsteps: []')).toBe('nightly-report');
    expect(workflowNameOf("name: 'a-b'\n")).toBe('a-b');
    expect(workflowNameOf('{"name": "from-json", "steps": []}')).toBe('from-json');
  });

  it('finds none when there is no top-level name', () => {
    expect(workflowNameOf('steps:\n  - id: x\n    name: nested\n')).toBeUndefined();
    expect(workflowNameOf('name:\n')).toBeUndefined();
    expect(workflowNameOf('{"name": ')).toBeUndefined();
  });
});
