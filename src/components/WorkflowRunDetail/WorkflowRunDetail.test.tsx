import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RUN_IDS, runJson, startedRunJson } from '../../datasource/testing/workflowFixtures';
import { parseRunDetail } from '../../services/workflowsRuns';
import type { CancelView } from '../../pages/Workflows/useRunCancel';
import { testIds } from '../testIds';
import { WorkflowRunDetail } from './WorkflowRunDetail';

const ids = testIds.workflows;
const NOW = Date.now();

function renderRun(body: unknown, cancel: CancelView = { phase: 'idle' }) {
  const onCancel = jest.fn();
  render(
    <WorkflowRunDetail
      view={{ phase: 'data', value: parseRunDetail(body, '/x') }}
      timeZone="utc"
      onReload={jest.fn()}
      onClose={jest.fn()}
      cancel={cancel}
      onCancel={onCancel}
    />
  );
  return onCancel;
}

const inputs = { service: 'checkout', replicas: 6 };

describe('WorkflowRunDetail', () => {
  it('shows a wait step as waiting until its time, and the inputs the person gave', () => {
    renderRun(startedRunJson(NOW, 'run-1-scale-service', 'scale-service', inputs, NOW - 60_000));
    expect(screen.getByTestId(ids.runInputs)).toHaveTextContent('Inputs: service=checkout · replicas=6');
    const settle = screen.getAllByTestId(ids.runStep)[1];
    expect(settle && within(settle).getByTestId(ids.stepHold)).toHaveTextContent(/^Waits until .+ \(in 14 min\)$/);
  });

  it('shows a failed attempt waiting for its retry', () => {
    const run = runJson(NOW, RUN_IDS.morningFailed);
    const retrying = {
      ...run,
      status: 'running',
      finishedAt: null,
      steps: run?.steps.map((step, index) =>
        index === 0
          ? { ...step, status: 'pending', attempt: 1, nextAttemptAt: new Date(NOW + 40_000).toISOString() }
          : step
      ),
    };
    renderRun(retrying);
    expect(screen.getByTestId(ids.stepHold)).toHaveTextContent(/^Retry 2 at .+ \(in 40 s\)$/);
  });

  it('cancels an open run with a reason after a second press', async () => {
    const onCancel = renderRun(startedRunJson(NOW, 'run-1-scale-service', 'scale-service', inputs, NOW));
    await userEvent.click(screen.getByTestId(ids.cancelRun));
    await userEvent.type(screen.getByLabelText(/^Reason for cancelling/), 'wrong service');
    await userEvent.click(screen.getByTestId(ids.cancelConfirm));
    expect(onCancel).toHaveBeenCalledWith('wrong service');
  });

  it('offers no cancel for a finished run, and shows the engine’s 409 as is', () => {
    const message = `Workflow run ${RUN_IDS.morningFailed} already ended (failed); only queued, running or waiting runs can be cancelled`;
    renderRun(runJson(NOW, RUN_IDS.morningFailed), { phase: 'refused', message });
    expect(screen.queryByTestId(ids.cancelRun)).not.toBeInTheDocument();
    expect(screen.getByTestId(ids.cancelStatus)).toHaveTextContent(`Not cancelled${message}`);
  });
});
