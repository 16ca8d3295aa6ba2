import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SCALE_SERVICE_INPUTS } from '../../datasource/testing/workflowFixtures';
import { inputFields } from '../../services/workflowInputs';
import { testIds } from '../testIds';
import { WorkflowRunForm } from './WorkflowRunForm';

const fields = inputFields(SCALE_SERVICE_INPUTS);

function renderForm(props: Partial<React.ComponentProps<typeof WorkflowRunForm>> = {}) {
  const onSubmit = jest.fn();
  render(
    <WorkflowRunForm
      workflow="scale-service"
      fields={fields}
      mode="run"
      sending={false}
      onSubmit={onSubmit}
      onCancel={jest.fn()}
      {...props}
    />
  );
  return onSubmit;
}

describe('WorkflowRunForm', () => {
  it('asks for each input with its description, hint, default and required mark', () => {
    renderForm();
    expect(screen.getByRole('heading', { name: 'Run scale-service' })).toBeInTheDocument();
    expect(screen.getByLabelText(/^replicas/)).toHaveValue(4);
    expect(
      screen.getByText('How many pods it should run · a whole number, at least 1, at most 20')
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/^namespace/)).toHaveValue('shop');
    expect(screen.getByText('pattern: ^[a-z0-9-]+$')).toBeInTheDocument();
    expect(screen.getByRole('switch', { name: /notify/ })).toBeChecked();
    expect(screen.getByLabelText(/^labels/)).toHaveValue('');
    expect(screen.getByText('Extra labels for the Rundeck job · JSON object')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: /service/ })).toBeInTheDocument();
    // Grafana's Field marks required inputs with an asterisk after the label.
    const labels = Array.from(document.querySelectorAll('label')).map((label) => label.textContent);
    expect(labels.filter((label) => label?.includes(' *')).map((label) => label?.split(' *')[0])).toEqual([
      'service',
      'replicas',
    ]);
  });

  it('sends nothing until required and number fields are right, then the typed inputs', async () => {
    const onSubmit = renderForm({ fields: fields.filter((field) => field.name !== 'service') });
    await userEvent.clear(screen.getByLabelText(/^replicas/));
    await userEvent.click(screen.getByTestId(testIds.workflows.runFormSubmit));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('replicas is required')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(/^replicas/), '30');
    await userEvent.click(screen.getByTestId(testIds.workflows.runFormSubmit));
    expect(screen.getByText('replicas must be at most 20')).toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText(/^replicas/));
    await userEvent.type(screen.getByLabelText(/^replicas/), '6');
    await userEvent.click(screen.getByRole('switch', { name: /notify/ }));
    await userEvent.type(screen.getByLabelText(/^labels/), '{{"team": "pay"}');
    await userEvent.click(screen.getByTestId(testIds.workflows.runFormSubmit));
    expect(onSubmit).toHaveBeenCalledWith({ replicas: 6, namespace: 'shop', notify: false, labels: { team: 'pay' } });
  });

  it('shows the engine’s refusal as is, at the input it names', () => {
    const message = 'body/inputs/ticket must match pattern "^[A-Z]+-[0-9]+$"';
    renderForm({ problem: { message, refused: true } });
    expect(screen.getByTestId(testIds.workflows.runFormProblem)).toHaveTextContent(
      `The engine refused the run${message}`
    );
    expect(screen.getByLabelText(/^ticket/)).toHaveAttribute('aria-invalid', 'true');
  });

  it('is a dry run with these inputs, or a bare run for a workflow without inputs', () => {
    const { unmount } = render(
      <WorkflowRunForm
        workflow="scale-service"
        fields={fields}
        mode="dry-run"
        sending={false}
        onSubmit={jest.fn()}
        onCancel={jest.fn()}
      />
    );
    expect(screen.getByTestId(testIds.workflows.runFormSubmit)).toHaveTextContent('Dry run with these inputs');
    unmount();
    renderForm({ fields: [] });
    expect(screen.getByText('This workflow takes no inputs.')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.workflows.runFormSubmit)).toHaveTextContent('Run now');
  });
});
