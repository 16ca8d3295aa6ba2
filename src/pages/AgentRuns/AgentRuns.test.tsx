import React from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { BackendSrvRequest } from '@grafana/runtime';
import { testIds } from '../../components/testIds';
import {
  agentRunJson,
  agentRunSummariesJson,
  CHECKOUT_RUN_ID,
  RUN_IDS,
} from '../../datasource/testing/agentRunFixtures';
import type { FakeReply } from '../../datasource/testing/fakeEngineFetch';
import { fakeDatasourceLookup, intelOpsSettings } from '../../services/testing/fakeDatasources';
import { currentLocation, renderAt } from '../../testing/router';
import AgentRuns from './AgentRuns';

const NOW = Date.now();

// The engine's run routes: the list filtered by incident and kind, one run by id, 404 for unknown ids.
function engine(request: BackendSrvRequest): FakeReply {
  const path = request.url.replace(/.*\/engine/, '');
  const params = request.params ?? {};
  if (path === '/api/v1/runs') {
    const runs = agentRunSummariesJson(NOW).filter(
      (run) =>
        (params.incident === undefined || run.incidentId === params.incident) &&
        (params.kind === undefined || run.kind === params.kind)
    );
    return { status: 200, data: { runs } };
  }
  const id = path.replace('/api/v1/runs/', '');
  const run = agentRunJson(NOW, id);
  return run
    ? { status: 200, data: run }
    : { status: 404, data: { statusCode: 404, error: 'Not Found', message: `No agent run with id "${id}"` } };
}

function renderPage(reply: FakeReply | ((request: BackendSrvRequest) => FakeReply), search = '') {
  const lookup = fakeDatasourceLookup([{ settings: intelOpsSettings('ds', 'IntelOps', 'http://engine:8686'), reply }]);
  renderAt(`/a/intelops-aiops-app/agent-runs${search}`, {
    '/a/intelops-aiops-app/agent-runs': <AgentRuns lookup={lookup} />,
  });
  return lookup;
}

const location = currentLocation;

describe('Agent runs page', () => {
  it('says what it loads, lists the runs and opens one as a waterfall with its figures and links', async () => {
    const user = userEvent.setup();
    renderPage(engine);
    expect(screen.getByText('Loading the agent runs from the engine…')).toBeInTheDocument();

    const rows = await screen.findAllByTestId(testIds.agentRuns.row);
    expect(rows).toHaveLength(8);
    expect(screen.getByTestId(testIds.agentRuns.summary)).toHaveTextContent('8 runs, 1 failed, 13,350 LLM tokens');
    const cells = within(rows[2])
      .getAllByRole('cell')
      .map((cell) => cell.textContent);
    expect(cells.slice(1)).toEqual([
      'analyze',
      'inc-7f3a9c',
      '4.21 s',
      '3,532',
      'gpt-4o-mini',
      'ok',
      'confirmed checkout',
      '92%',
    ]);
    expect(within(rows[2]).getByRole('link', { name: 'inc-7f3a9c' })).toHaveAttribute(
      'href',
      '/a/intelops-aiops-app/incidents/inc-7f3a9c'
    );

    await user.click(within(rows[2]).getByRole('button', { name: /^Open the analyze run of inc-7f3a9c/ }));
    expect(location()).toBe(`/a/intelops-aiops-app/agent-runs?run=${CHECKOUT_RUN_ID}`);
    const run = await screen.findByTestId(testIds.agentRuns.run);
    expect(within(run).getByRole('heading', { name: /analyze run of inc-7f3a9c/ })).toBeInTheDocument();
    const facts = within(run).getByTestId(testIds.agentRuns.runFacts);
    expect(facts).toHaveTextContent('Tokens3,120 in · 412 out');
    expect(facts).toHaveTextContent('Estimated cost$0.00071');
    expect(facts).toHaveTextContent('Retrievalhit: “checkout latency after deploy”, 3 documents, best score 0.82');
    expect(facts).toHaveTextContent('Citations7, 1 dropped as hallucination');
    expect(facts).toHaveTextContent('Judgefaithful: 92% of its claims supported (gpt-4o-mini)');
    expect(facts).toHaveTextContent('Personconfirmed checkout (cause 1) by sre-alice');
    expect(within(run).getAllByTestId(testIds.agentTracePanel.row)).toHaveLength(8);
    expect(
      within(run)
        .getByRole('link', { name: /View in Tempo/ })
        .getAttribute('href')
    ).toContain(CHECKOUT_RUN_ID);
    expect(within(run).getByTestId(testIds.agentRuns.investigationLink)).toHaveAttribute(
      'href',
      '/a/intelops-aiops-app/incidents/inc-7f3a9c'
    );

    await user.click(within(run).getAllByTestId(testIds.agentTracePanel.row)[4]);
    expect(within(run).getByTestId(testIds.agentTracePanel.details)).toHaveTextContent('gen_ai.input.messages');

    await user.click(within(run).getByTestId(testIds.agentRuns.closeRun));
    expect(location()).toBe('/a/intelops-aiops-app/agent-runs');
    expect(screen.queryByTestId(testIds.agentRuns.run)).not.toBeInTheDocument();
  });

  it('reads the runs of the incident in the URL, and says the engine’s words for a run it does not have', async () => {
    const lookup = renderPage(engine, '?incident=inc-7f3a9c&run=gone');
    expect(await screen.findAllByTestId(testIds.agentRuns.row)).toHaveLength(3);
    expect(lookup.requests[0]?.params).toMatchObject({ incident: 'inc-7f3a9c', limit: 200 });
    expect(await screen.findByTestId(testIds.agentRuns.runError)).toHaveTextContent(
      'The engine at http://engine:8686 has no agent run "gone" (No agent run with id "gone")'
    );
  });

  it('shows a failed run’s error and its failing spans', async () => {
    renderPage(engine, `?run=${RUN_IDS.apiGatewayFailed}`);
    const run = await screen.findByTestId(testIds.agentRuns.run);
    expect(
      within(run).getByText('The LLM endpoint did not answer within 30 s (http://ollama:11434/v1)')
    ).toBeInTheDocument();
    expect(within(run).getAllByTestId(testIds.agentTracePanel.row)[0]).toHaveAccessibleName(
      /failed: The LLM endpoint did not answer within 30 s/
    );
  });

  it('says how runs get recorded when there are none, and how to widen the search when filters match none', async () => {
    const user = userEvent.setup();
    renderPage({ status: 200, data: { runs: [] } }, '?kind=judge');
    expect(await screen.findByText('No agent runs match these filters in the selected time range')).toBeInTheDocument();
    await user.click(
      within(screen.getByTestId(testIds.agentRuns.empty)).getByRole('button', { name: 'Clear filters' })
    );
    expect(location()).toBe('/a/intelops-aiops-app/agent-runs');
    expect(await screen.findByText('No agent runs in the selected time range')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.agentRuns.empty)).toHaveTextContent('POST /api/v1/incidents/{id}/analyze');
  });

  it('says what failed when the engine cannot be reached', async () => {
    renderPage({ status: 502, data: 'Bad Gateway' });
    await waitFor(() =>
      expect(screen.getByTestId(testIds.agentRuns.error)).toHaveTextContent(
        'Could not load the agent runsGrafana could not reach the engine at http://engine:8686'
      )
    );
  });
});
