import React from 'react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { BackendSrvRequest } from '@grafana/runtime';
import { testIds } from '../../components/testIds';
import {
  emptyEvalsJson,
  EVALS_SUMMARY,
  evalsJson,
  NO_DATA_SUMMARY,
  RUN_IDS,
} from '../../datasource/testing/agentRunFixtures';
import type { FakeReply } from '../../datasource/testing/fakeEngineFetch';
import { fakeDatasourceLookup, intelOpsSettings } from '../../services/testing/fakeDatasources';
import { currentLocation, renderAt } from '../../testing/router';
import Evals from './Evals';

const NOW = Date.now();

function renderPage(reply: FakeReply | ((request: BackendSrvRequest) => FakeReply), search = '') {
  const lookup = fakeDatasourceLookup([{ settings: intelOpsSettings('ds', 'IntelOps', 'http://engine:8686'), reply }]);
  renderAt(`/a/intelops-aiops-app/evals${search}`, {
    '/a/intelops-aiops-app/evals': <Evals lookup={lookup} />,
    '/a/intelops-aiops-app/agent-runs': <p>Agent runs page</p>,
  });
  return lookup;
}

describe('Evals page', () => {
  it('shows the verdict in words with its advice, the scorecard with thresholds, the trend and the worst runs', async () => {
    const user = userEvent.setup();
    const lookup = renderPage({ status: 200, data: evalsJson(NOW) }, '?from=now-7d&to=now');
    expect(screen.getByText('Loading the evals from the engine…')).toBeInTheDocument();

    const verdict = await screen.findByTestId(testIds.evalsPage.verdict);
    expect(within(verdict).getByRole('heading', { name: 'Needs attention' })).toBeInTheDocument();
    expect(verdict).toHaveTextContent(EVALS_SUMMARY);
    expect(screen.getAllByTestId(testIds.evalsPage.finding).map((item) => item.textContent)).toEqual([
      'P95 latency 3.42 s is over its threshold of 3.00 s: optimise the retrieval path',
      'Retrieval hit rate 61% is under its threshold of 70%: add indexes or improve tagging',
    ]);
    expect(screen.getByTestId(testIds.evalsPage.counts)).toHaveTextContent(
      '48 analyses · 61 runs of every kind, 2 failed · 12 judged by the LLM · 11 verdicts from people · 212 citations (9 dropped) · 44 retrievals'
    );
    const range = lookup.requests[0]?.params ?? {};
    expect(Date.parse(range.to) - Date.parse(range.from)).toBe(7 * 24 * 3_600_000);

    const tiles = screen.getAllByTestId(testIds.evalsPanel.tile);
    expect(tiles).toHaveLength(7);
    expect(tiles[6]).toHaveAccessibleName('Faithfulness: 86%, passing (bad below 80%)');
    expect(screen.getAllByTestId(testIds.evalsPanel.sparkline)).toHaveLength(5);

    const trend = within(screen.getByTestId(testIds.evalsPage.trend)).getAllByRole('row');
    expect(trend).toHaveLength(13);
    expect(
      within(trend[1])
        .getAllByRole('cell')
        .slice(1)
        .map((cell) => cell.textContent)
    ).toEqual(['5', '3.50 s', '0%', '40%', '6.0%', '100%']);

    const worst = within(screen.getByTestId(testIds.evalsPage.worst)).getAllByTestId(testIds.agentRuns.row);
    expect(worst).toHaveLength(3);
    await user.click(within(worst[0]).getByRole('button', { name: /^Open the analyze run of inc-5c02ee/ }));
    expect(currentLocation()).toBe(`/a/intelops-aiops-app/agent-runs?run=${RUN_IDS.apiGatewayFailed}`);
  });

  it('says there is nothing to evaluate and how analyses get there', async () => {
    renderPage({ status: 200, data: emptyEvalsJson(NOW) });
    const empty = await screen.findByTestId(testIds.evalsPage.empty);
    expect(empty).toHaveTextContent('No analyses to evaluate in the selected time range');
    expect(empty).toHaveTextContent(NO_DATA_SUMMARY);
  });

  it('says what failed with the engine’s own message', async () => {
    renderPage({ status: 500, data: { statusCode: 500, error: 'Internal Server Error', message: 'store closed' } });
    expect(await screen.findByTestId(testIds.evalsPage.error)).toHaveTextContent(
      'Could not load the evalsThe engine at http://engine:8686 answered 500 (store closed)'
    );
  });
});
