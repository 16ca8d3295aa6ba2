import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DRAFT_CRON_ERROR, DRAFT_NO_LLM, workflowDraftJson } from '../../datasource/testing/workflowFixtures';
import { parseWorkflowDraft } from '../../services/workflowsDraft';
import type { DraftView } from '../../pages/Workflows/useWorkflowDraft';
import { testIds } from '../testIds';
import { draftNameProblem, WorkflowDraft } from './WorkflowDraft';

const ids = testIds.workflows;

function renderDraft(view: DraftView, existing: string[] = []) {
  const handlers = { onDraft: jest.fn(), onEdit: jest.fn(), onSave: jest.fn(), onDiscard: jest.fn() };
  render(<WorkflowDraft view={view} existing={existing} {...handlers} />);
  return handlers;
}

function drafted(valid: boolean): DraftView {
  const draft = parseWorkflowDraft(workflowDraftJson(valid));
  return { phase: 'drafted', draft, text: draft.yaml, save: { kind: 'idle' } };
}

describe('WorkflowDraft', () => {
  it('opens from its button and sends the description', async () => {
    const { onDraft } = renderDraft({ phase: 'idle' });
    await userEvent.click(screen.getByTestId(ids.draftOpen));
    expect(screen.getByTestId(ids.draftSubmit)).toBeDisabled();
    await userEvent.type(screen.getByLabelText(/^Describe the workflow/), '  post a summary to #ops ');
    await userEvent.click(screen.getByTestId(ids.draftSubmit));
    expect(onDraft).toHaveBeenCalledWith('post a summary to #ops');
  });

  it('shows a valid draft for review: not saved, what each step would do, and Save under its name', async () => {
    const { onSave } = renderDraft(drafted(true));
    expect(screen.getByTestId(ids.draftStatus)).toHaveTextContent('A draft, not saved');
    expect(screen.getByLabelText('Drafted definition (YAML)')).toHaveValue(workflowDraftJson(true).yaml);
    expect(screen.getAllByTestId(ids.draftStep).map((row) => row.textContent)).toEqual([
      expect.stringMatching(/^checkinspectionInspect the last 1h: .*runs unattended$/),
      expect.stringMatching(/^postslackPost to Slack .*side effect: the policy decides$/),
    ]);
    expect(screen.getByText('Saves it as checkout-morning-check; the engine checks it first.')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId(ids.draftSave));
    expect(onSave).toHaveBeenCalled();
  });

  it('marks the line a draft’s error names, and never saves over a workflow', () => {
    renderDraft(drafted(false), ['checkout-morning-check']);
    expect(screen.getByTestId(ids.draftErrors)).toHaveTextContent(DRAFT_CRON_ERROR);
    expect(screen.getByTestId(ids.errorLine)).toHaveTextContent('5');
    expect(screen.getByTestId(ids.draftSave)).toBeDisabled();
    expect(screen.getByText(/A workflow named checkout-morning-check exists/)).toBeInTheDocument();
  });

  it('says no LLM is configured in the engine’s words, with the way to Settings', () => {
    renderDraft({ phase: 'no-llm', message: DRAFT_NO_LLM });
    expect(screen.getByTestId(ids.draftStatus)).toHaveTextContent(DRAFT_NO_LLM);
    expect(screen.getByRole('link', { name: /Set the LLM in Settings/ })).toHaveAttribute(
      'href',
      '/a/intelops-aiops-app/settings'
    );
  });

  it('names what keeps a draft from being saved', () => {
    expect(draftNameProblem(undefined, [])).toMatch(/no name: field/);
    expect(draftNameProblem('Bad Name', [])).toMatch(/not one the engine takes/);
    expect(draftNameProblem('fine', ['other'])).toBeUndefined();
  });
});
