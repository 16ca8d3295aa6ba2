import {
  DRAFT_NO_LLM,
  workflowDraftJson,
  APPROVAL_IDS,
  approvalListJson,
  decidedApprovalJson,
  workflowJson,
} from '../../datasource/testing/workflowFixtures';
import { parseApprovalList, parseApproval } from '../../services/workflowsRuns';
import { parseWorkflowDefinition } from '../../services/workflows';
import { approvalsShown, decisionState, stillPending } from './useApprovalDecisions';
import { nextReadView } from './useEngineRead';
import { manualRunOutcome } from './useManualRun';
import { cancelView } from './useRunCancel';
import { draftErrorLine, draftReducer, type DraftView } from './useWorkflowDraft';
import { parseWorkflowDraft } from '../../services/workflowsDraft';
import { EDITOR_LOADING, editorReducer, type EditorView } from './useWorkflowEditor';
import { parseWorkflowsUrl, writeWorkflowsUrl } from './workflowsUrlState';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const DATASOURCE = { uid: 'ds', name: 'IntelOps', engineUrl: 'http://engine:8686' };
const definition = parseWorkflowDefinition(workflowJson(NOW, 'restart-payments'), '/x');

function loaded(): EditorView {
  return editorReducer(EDITOR_LOADING, {
    type: 'loaded',
    result: { state: 'ok', value: definition, datasource: DATASOURCE },
  });
}

describe('editorReducer', () => {
  it('loads the text, and an edit makes it differ from what the engine has', () => {
    const view = editorReducer(loaded(), { type: 'edit', text: 'name: restart-payments\n' });
    expect(view).toMatchObject({ phase: 'editing', text: 'name: restart-payments\n', savedText: definition.text });
  });

  it('keeps the refusal’s line until the next edit, and ignores a second save while one is sent', () => {
    const saving = editorReducer(loaded(), { type: 'save' });
    expect(editorReducer(saving, { type: 'save' })).toBe(saving);
    expect(editorReducer(saving, { type: 'edit', text: 'x' })).toBe(saving);
    const refused = editorReducer(saving, {
      type: 'saved',
      result: {
        state: 'ok',
        datasource: DATASOURCE,
        value: { state: 'refused', message: 'body line 3: bad', line: 3 },
      },
    });
    expect(refused).toMatchObject({ action: { kind: 'refused', line: 3 } });
    expect(editorReducer(refused, { type: 'edit', text: 'y' })).toMatchObject({ action: { kind: 'idle' } });
  });

  it('takes the saved text as the engine’s after a save, and says when sending failed', () => {
    const edited = editorReducer(loaded(), { type: 'edit', text: `# c\n${definition.text}` });
    const saved = editorReducer(editorReducer(edited, { type: 'save' }), {
      type: 'saved',
      result: {
        state: 'ok',
        datasource: DATASOURCE,
        value: { state: 'saved', workflow: { ...definition, text: `# c\n${definition.text}` } },
      },
    });
    expect(saved).toMatchObject({ action: { kind: 'saved' }, savedText: `# c\n${definition.text}` });
    const failed = editorReducer(editorReducer(edited, { type: 'save' }), {
      type: 'saved',
      result: { state: 'failed', message: 'Grafana could not reach the engine' },
    });
    expect(failed).toMatchObject({ action: { kind: 'failed', message: 'Grafana could not reach the engine' } });
  });

  it('starts a new workflow from its name, which cannot be deleted before it is saved', () => {
    const created = editorReducer(EDITOR_LOADING, { type: 'create', name: 'nightly' });
    expect(created).toMatchObject({ phase: 'editing', name: 'nightly', savedText: '' });
    expect(created.phase === 'editing' && created.definition).toBe(undefined);
    expect(editorReducer(created, { type: 'delete' })).toBe(created);
  });
});

describe('nextReadView', () => {
  it('keeps what was shown when a refresh fails, and shows the error when nothing was', () => {
    const data = nextReadView({ phase: 'loading' }, { state: 'ok', value: 1, datasource: DATASOURCE });
    expect(data).toEqual({ phase: 'data', value: 1 });
    expect(nextReadView(data, { state: 'failed', message: 'down' })).toEqual({
      phase: 'data',
      value: 1,
      refreshError: 'down',
    });
    expect(nextReadView({ phase: 'loading' }, { state: 'failed', message: 'down' })).toMatchObject({
      phase: 'error',
      message: 'down',
    });
  });
});

describe('approval decisions', () => {
  const pending = parseApprovalList(approvalListJson(NOW));
  const decided = parseApproval(decidedApprovalJson(NOW, APPROVAL_IDS.restart, 'approved', 'admin', null), '/x');

  it('counts only the approvals not decided on the page', () => {
    expect(stillPending(pending, {})).toHaveLength(2);
    expect(stillPending(pending, { [APPROVAL_IDS.restart]: { phase: 'decided', approval: decided } })).toHaveLength(1);
    expect(stillPending(pending, { [APPROVAL_IDS.restart]: { phase: 'sending', decision: 'approve' } })).toHaveLength(
      2
    );
  });

  it('keeps showing an approval decided here after the engine stops listing it', () => {
    const [annotate] = pending;
    const shown = approvalsShown(annotate ? [annotate] : [], {
      [APPROVAL_IDS.restart]: { phase: 'decided', approval: decided },
    });
    expect(shown.map((approval) => [approval.stepId, approval.state])).toEqual([
      ['annotate', 'pending'],
      ['restart', 'approved'],
    ]);
  });

  it('turns the engine’s answer into the state shown', () => {
    expect(
      decisionState('reject', { state: 'ok', datasource: DATASOURCE, value: { state: 'refused', message: 'no user' } })
    ).toEqual({
      phase: 'failed',
      decision: 'reject',
      message: 'no user',
    });
    expect(decisionState('approve', { state: 'no-datasource' })).toMatchObject({ phase: 'failed' });
  });
});

describe('the URL state', () => {
  it('reads and writes the workflow, a new one, and the run, keeping other parameters', () => {
    expect(parseWorkflowsUrl(new URLSearchParams('workflow=nightly&new=1&run=r1'))).toEqual({
      workflow: { name: 'nightly', isNew: true },
      run: 'r1',
    });
    expect(parseWorkflowsUrl(new URLSearchParams(''))).toEqual({});
    const written = writeWorkflowsUrl(new URLSearchParams('orgId=1&new=1'), { workflow: { name: 'a', isNew: false } });
    expect(written.toString()).toBe('orgId=1&workflow=a');
  });
});

describe('draftReducer', () => {
  const drafted = (valid: boolean): DraftView =>
    draftReducer(
      { phase: 'drafting' },
      { type: 'drafted', result: { state: 'drafted', draft: parseWorkflowDraft(workflowDraftJson(valid)) } }
    );

  it('shows the draft for review, and marks the line its first error names until edited', () => {
    const view = drafted(false);
    expect(view).toMatchObject({ phase: 'drafted', save: { kind: 'idle' } });
    expect(view.phase === 'drafted' && draftErrorLine(view)).toBe(5);
    const edited = draftReducer(view, { type: 'edit', text: 'name: x\n' });
    expect(edited.phase === 'drafted' && draftErrorLine(edited)).toBeUndefined();
  });

  it('says no LLM in the engine’s words, and drops a late answer once discarded', () => {
    const noLlm = draftReducer(
      { phase: 'drafting' },
      { type: 'drafted', result: { state: 'no-llm', message: DRAFT_NO_LLM } }
    );
    expect(noLlm).toEqual({ phase: 'no-llm', message: DRAFT_NO_LLM });
    const discarded = draftReducer({ phase: 'drafting' }, { type: 'discard' });
    expect(draftReducer(discarded, { type: 'drafted', result: { state: 'failed', message: 'x' } })).toEqual({
      phase: 'idle',
    });
  });

  it('saves once at a time, keeps a refusal’s line, and ends saved', () => {
    const saving = draftReducer(drafted(true), { type: 'save' });
    expect(draftReducer(saving, { type: 'save' })).toBe(saving);
    expect(draftReducer(saving, { type: 'edit', text: 'y' })).toBe(saving);
    expect(draftReducer(saving, { type: 'discard' })).toBe(saving);
    const refused = draftReducer(saving, {
      type: 'saved',
      name: 'checkout-morning-check',
      result: {
        state: 'ok',
        datasource: DATASOURCE,
        value: { state: 'refused', message: 'body line 9: bad', line: 9 },
      },
    });
    expect(refused.phase === 'drafted' && draftErrorLine(refused)).toBe(9);
    const saved = draftReducer(draftReducer(refused, { type: 'save' }), {
      type: 'saved',
      name: 'checkout-morning-check',
      result: { state: 'ok', datasource: DATASOURCE, value: { state: 'saved', workflow: definition } },
    });
    expect(saved).toEqual({ phase: 'saved', name: 'checkout-morning-check' });
  });
});

describe('starting and cancelling runs', () => {
  it('gives the new run’s id, or the engine’s refusal as is', () => {
    expect(
      manualRunOutcome({ state: 'ok', datasource: DATASOURCE, value: { state: 'started', id: 'r1', dryRun: false } })
    ).toEqual({ id: 'r1' });
    const message = 'body/inputs/replicas must be <= 20';
    expect(manualRunOutcome({ state: 'ok', datasource: DATASOURCE, value: { state: 'refused', message } })).toEqual({
      phase: 'refused',
      message,
    });
    expect(manualRunOutcome({ state: 'no-datasource' })).toMatchObject({ phase: 'failed' });
  });

  it('says what a cancel came to', () => {
    const message = 'Workflow run r1 already ended (succeeded); only queued, running or waiting runs can be cancelled';
    expect(cancelView({ state: 'ok', datasource: DATASOURCE, value: { state: 'refused', message } })).toEqual({
      phase: 'refused',
      message,
    });
    expect(cancelView({ state: 'failed', message: 'down' })).toEqual({ phase: 'failed', message: 'down' });
  });
});
