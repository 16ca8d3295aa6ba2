import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import type { BackendSrvRequest } from '@grafana/runtime';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testIds } from '../../components/testIds';
import type { FakeReply } from '../../datasource/testing/fakeEngineFetch';
import {
  approvalListJson,
  cancelledRunJson,
  DRAFT_NO_LLM,
  dryRunJson,
  runListJson,
  startedRunJson,
  workflowDraftJson,
  workflowJson,
  workflowListJson,
} from '../../datasource/testing/workflowFixtures';
import { fakeDatasourceLookup, intelOpsSettings } from '../../services/testing/fakeDatasources';
import Workflows from './Workflows';

const ids = testIds.workflows;

const STARTED = 'run-1-scale-service';

// Grafana's Combobox list watches its scroll edges; jsdom has no IntersectionObserver.
class NoIntersections {
  observe() {}
  unobserve() {}
  disconnect() {}
}
beforeAll(() => {
  Object.defineProperty(window, 'IntersectionObserver', { value: NoIntersections, configurable: true });
});

/** The engine's workflow routes; PUT refuses with `refuse` when given; `noLlm` answers drafts with 409. */
function engine(refuse?: string, noLlm = false) {
  const now = Date.now();
  const started = startedRunJson(now, STARTED, 'scale-service', { service: 'payments', replicas: 4 }, now);
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
        if (path === '/api/v1/workflows/draft') {
          return noLlm
            ? { status: 409, data: { statusCode: 409, error: 'Conflict', message: DRAFT_NO_LLM } }
            : { status: 200, data: workflowDraftJson(true) };
        }
        if (path === `/api/v1/workflow-runs/${STARTED}/cancel`) {
          return { status: 200, data: started && cancelledRunJson(started, now, 'admin', null) };
        }
        if (path === `/api/v1/workflow-runs/${STARTED}`) {
          return { status: 200, data: started };
        }
        if (request.method === 'POST' && path.endsWith('/scale-service/runs')) {
          return { status: 202, data: { id: STARTED, status: 'queued', dryRun: false } };
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
    expect(await screen.findAllByTestId(ids.row)).toHaveLength(4);
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

    // Its manual trigger takes inputs: the dry run asks for them first.
    await userEvent.click(screen.getByTestId(ids.dryRun));
    const form = screen.getByTestId(ids.runForm);
    await userEvent.type(within(form).getByLabelText(/^reason/), 'pods stuck');
    await userEvent.click(within(form).getByRole('button', { name: 'Dry run with these inputs' }));
    await waitFor(() =>
      expect(screen.getByTestId(ids.dryRunResult)).toHaveTextContent('Dry run of restart-payments: succeeded')
    );
    expect(screen.getAllByTestId(ids.dryRunStep)).toHaveLength(2);
    const post = lookup.requests.find((request) => request.method === 'POST');
    expect(post?.data).toEqual({ dryRun: true, inputs: { reason: 'pods stuck' } });
  });

  it('runs a workflow with inputs, opens the new run, and cancels it', async () => {
    const lookup = engine();
    renderPage(lookup, '/workflows?workflow=scale-service');
    await userEvent.click(await screen.findByTestId(ids.start));
    const form = screen.getByTestId(ids.runForm);
    await userEvent.click(within(form).getByTestId(ids.runFormSubmit));
    expect(within(form).getByText('service is required')).toBeInTheDocument();
    expect(lookup.requests.some((request) => request.method === 'POST')).toBe(false);
    // The Combobox's list is virtualised (nothing to click in jsdom): type the value and take it with Enter.
    await userEvent.type(within(form).getByRole('combobox', { name: /^service/ }), 'payments{Enter}');
    await userEvent.click(within(form).getByTestId(ids.runFormSubmit));
    const post = lookup.requests.find((request) => request.method === 'POST');
    expect(post?.data).toEqual({
      dryRun: false,
      inputs: { service: 'payments', replicas: 4, namespace: 'shop', notify: true },
    });

    await waitFor(() => expect(screen.getByTestId(ids.stepHold)).toHaveTextContent(/^Waits until .+ \(in 15 min\)$/));
    const run = screen.getByTestId(ids.run);
    expect(within(run).getByTestId(ids.runInputs)).toHaveTextContent('Inputs: service=payments · replicas=4');
    expect(screen.queryByTestId(ids.runForm)).not.toBeInTheDocument();
    await userEvent.click(within(run).getByTestId(ids.cancelRun));
    await userEvent.click(within(run).getByTestId(ids.cancelConfirm));
    await waitFor(() => expect(within(run).getByTestId(ids.cancelStatus)).toHaveTextContent('Cancelled'));
    const cancel = lookup.requests.find((request) => request.url.endsWith('/cancel'));
    expect(cancel?.data).toEqual({});
  });

  it('drafts a workflow from words, and says so when the engine has no LLM', async () => {
    renderPage(engine(undefined, true));
    await userEvent.click(await screen.findByTestId(ids.draftOpen));
    await userEvent.type(screen.getByLabelText(/^Describe the workflow/), 'post a summary to #ops');
    await userEvent.click(screen.getByTestId(ids.draftSubmit));
    await waitFor(() => expect(screen.getByTestId(ids.draftStatus)).toHaveTextContent(DRAFT_NO_LLM));
  });
});
