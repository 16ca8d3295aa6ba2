import { workflowJson, workflowListJson } from '../datasource/testing/workflowFixtures';
import {
  deleteWorkflow,
  errorLine,
  loadWorkflows,
  parseWorkflowDefinition,
  parseWorkflowList,
  saveWorkflow,
  workflowContentType,
} from './workflows';
import { fakeDatasourceLookup, type FakeProxy, intelOpsSettings } from './testing/fakeDatasources';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const PROXY = '/api/datasources/proxy/uid/ds/engine/api/v1/workflows';

function engine(reply: FakeProxy) {
  return fakeDatasourceLookup([{ settings: intelOpsSettings('ds', 'IntelOps', 'http://engine:8686'), reply }]);
}

describe('parseWorkflowList', () => {
  it('reads the workflows and the files that did not load', () => {
    const list = parseWorkflowList(workflowListJson(NOW));
    expect(list.workflows.map((w) => [w.name, w.steps, w.source.kind])).toEqual([
      ['checkout-response', 3, 'file'],
      ['restart-payments', 2, 'api'],
      ['morning-inspection', 2, 'api'],
      ['scale-service', 4, 'api'],
    ]);
    expect(list.workflows[2]?.triggers).toEqual([{ on: 'schedule', cron: '0 7 * * 1-5', timezone: 'Europe/Berlin' }]);
    expect(list.errors).toHaveLength(1);
    expect(list.errors[0]?.message).toMatch(/nightly-report\.yaml line 9/);
  });

  it('refuses a body that is not the engine’s', () => {
    expect(() => parseWorkflowList({ items: [] })).toThrow(/no workflows list/);
    expect(() => parseWorkflowList({ workflows: [{ name: 'x' }] })).toThrow(/no name or step count/);
  });
});

describe('parseWorkflowDefinition', () => {
  it('keeps the text as written and the steps with their approval mode', () => {
    const definition = parseWorkflowDefinition(workflowJson(NOW, 'restart-payments'), '/api/v1/workflows/x');
    expect(definition.text).toMatch(/^name: restart-payments\n/);
    expect(definition.steps.map((s) => [s.id, s.action, s.approval, s.retries])).toEqual([
      ['inspect', 'inspection', 'auto', 0],
      ['restart', 'remediation', 'required', 2],
    ]);
    expect(definition.error).toBeNull();
  });
});

describe('errorLine', () => {
  it('finds the line the engine names, or none', () => {
    expect(errorLine('body line 21: steps/1/action "x" is not an action')).toBe(21);
    expect(errorLine('body line 5, column 1: not valid YAML: Missing closing "quote')).toBe(5);
    expect(errorLine('body: name "a" does not match the name in the path, "b"')).toBeUndefined();
    expect(errorLine('the pipeline has 0 lines')).toBeUndefined();
  });
});

describe('workflowContentType', () => {
  it('sends JSON objects as JSON and everything else as YAML', () => {
    expect(workflowContentType('  {"name": "a"}')).toBe('application/json');
    expect(workflowContentType('# comment\nname: a')).toBe('application/yaml');
  });
});

describe('loadWorkflows, saveWorkflow and deleteWorkflow', () => {
  it('reads the list through the datasource', async () => {
    const lookup = engine({ status: 200, data: workflowListJson(NOW) });
    expect(await loadWorkflows(lookup)).toMatchObject({ state: 'ok', value: { workflows: { length: 4 } } });
    expect(lookup.requests.map((r) => [r.method, r.url])).toEqual([['GET', PROXY]]);
  });

  it('PUTs the text as typed and reads back the saved workflow', async () => {
    const text = `# kept\n${workflowJson(NOW, 'restart-payments')?.text ?? ''}`;
    const lookup = engine({ status: 200, data: { ...workflowJson(NOW, 'restart-payments'), text } });
    const result = await saveWorkflow(lookup, 'restart-payments', text);
    expect(result).toMatchObject({ state: 'ok', value: { state: 'saved', workflow: { text } } });
    expect(lookup.requests.map((r) => [r.method, r.url, r.data, r.headers])).toEqual([
      ['PUT', `${PROXY}/restart-payments`, text, { 'Content-Type': 'application/yaml' }],
    ]);
  });

  it('gives the engine’s 400 as is, with the line it names', async () => {
    const message = 'body line 21: steps/1/action "remedation" is not an action (known: slack)';
    const lookup = engine({ status: 400, data: { statusCode: 400, error: 'Bad Request', message } });
    expect(await saveWorkflow(lookup, 'restart-payments', 'name: restart-payments')).toEqual({
      state: 'ok',
      datasource: expect.anything(),
      value: { state: 'refused', message, line: 21 },
    });
  });

  it('gives a 409 for a file-defined workflow as is, and other failures as a sentence', async () => {
    const message =
      'Workflow "checkout-response" is defined by the file /etc/x.yaml in the workflow folder; change or remove it there';
    const refused = engine({ status: 409, data: { statusCode: 409, error: 'Conflict', message } });
    expect(await deleteWorkflow(refused, 'checkout-response')).toMatchObject({ value: { state: 'refused', message } });
    const down = engine({ status: 502, data: 'Bad Gateway' });
    expect(await deleteWorkflow(down, 'restart-payments')).toMatchObject({
      state: 'failed',
      message: expect.stringMatching(/could not reach the engine at http:\/\/engine:8686/),
    });
  });

  it('DELETEs by name', async () => {
    const lookup = engine({ status: 204, data: '' });
    expect(await deleteWorkflow(lookup, 'restart-payments')).toMatchObject({
      state: 'ok',
      value: { state: 'deleted' },
    });
    expect(lookup.requests.map((r) => [r.method, r.url])).toEqual([['DELETE', `${PROXY}/restart-payments`]]);
  });
});
