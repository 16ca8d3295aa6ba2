import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import type { BackendSrvRequest } from '@grafana/runtime';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testIds } from '../../components/testIds';
import type { FakeReply } from '../../datasource/testing/fakeEngineFetch';
import {
  approvalListJson,
  dryRunJson,
  runListJson,
  workflowJson,
  workflowListJson,
} from '../../datasource/testing/workflowFixtures';
import { fakeDatasourceLookup, intelOpsSettings } from '../../services/testing/fakeDatasources';
import Workflows from './Workflows';

const ids = testIds.workflows;

/** The engine's workflow routes; PUT refuses with `refuse` when given. */
function engine(refuse?: string) {
  const now = Date.now();
  return fakeDatasourceLookup([
    {
      settings: intelOpsSettings('ds', 'IntelOps', 'http://engine:8686'),
      reply: (request: BackendSrvRequest): FakeReply => {
        const path = request.url.replace('/api/datasources/proxy/uid/ds/engine', '');
        if (request.method === 'PUT') {
          return refuse
            ? { status: 400, data: { statusCode: 400, error: 'Bad Request', message: refuse } }
            : { status: 200, data: { ...workflowJson(now, 'restart-payments'), text: request.data } };
        }
        if (request.method === 'POST' && path.endsWith('/runs')) {
          return { status: 202, data: { id: 'dry-1', status: 'queued', dryRun: true } };
        }
        if (path === '/api/v1/workflow-runs/dry-1') {
          return { status: 200, data: dryRunJson(now, 'dry-1', 'restart-payments', now, true) };
        }
        if (path === '/api/v1/workflows') {
          return { status: 200, data: workflowListJson(now) };
        }
        if (path.startsWith('/api/v1/workflows/')) {
          return { status: 200, data: workflowJson(now, decodeURIComponent(path.split('/')[4] ?? '')) };
        }
        if (path === '/api/v1/workflow-runs') {
          return { status: 200, data: runListJson(now) };
        }
        return { status: 200, data: approvalListJson(now) };
      },
    },
  ]);
}

function renderPage(lookup: ReturnType<typeof engine>, url = '/workflows') {
  return render(
    <MemoryRouter initialEntries={[url]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Workflows lookup={lookup} />
    </MemoryRouter>
  );
}

describe('Workflows page', () => {
  it('lists the workflows, the pending approvals as a badge, and the recent runs', async () => {
    renderPage(engine());
    expect(await screen.findAllByTestId(ids.row)).toHaveLength(3);
    expect(screen.getByTestId(ids.pendingBadge)).toHaveTextContent('2 pending approvals');
    expect(await screen.findAllByTestId(ids.runRow)).toHaveLength(5);
    expect(screen.getByTestId(ids.loadErrors)).toHaveTextContent('nightly-report.yaml line 9');
  });

  it('opens a workflow from the list, shows a refusal at its line, and dry-runs the saved version', async () => {
    const lookup = engine('body line 21: steps/1/action "remedation" is not an action');
    renderPage(lookup);
    const list = await screen.findByTestId(ids.list);
    await userEvent.click(within(list).getByRole('button', { name: 'restart-payments' }));
    const text = await screen.findByLabelText('Definition (YAML or JSON)');
    expect(text).toHaveValue(workflowJson(0, 'restart-payments')?.text);

    await userEvent.type(text, '#');
    await userEvent.click(screen.getByTestId(ids.save));
    await waitFor(() => expect(screen.getByTestId(ids.status)).toHaveTextContent('The engine refused it at line 21'));
    expect(screen.getByTestId(ids.errorLine)).toHaveTextContent('21');
    expect(text).toHaveAttribute('aria-invalid', 'true');
    const put = lookup.requests.find((request) => request.method === 'PUT');
    expect(put?.headers).toEqual({ 'Content-Type': 'application/yaml' });

    await userEvent.click(screen.getByTestId(ids.dryRun));
    await waitFor(() =>
      expect(screen.getByTestId(ids.dryRunResult)).toHaveTextContent('Dry run of restart-payments: succeeded')
    );
    expect(screen.getAllByTestId(ids.dryRunStep)).toHaveLength(2);
  });
});
