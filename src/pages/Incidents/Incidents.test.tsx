import React from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testIds } from '../../components/testIds';
import type { FakeReply } from '../../datasource/testing/fakeEngineFetch';
import { incidentListJson } from '../../datasource/testing/incidentFixtures';
import type { DatasourceLookup } from '../../services/engineConnection';
import { fakeDatasourceLookup, intelOpsSettings } from '../../services/testing/fakeDatasources';
import { currentLocation, renderAt } from '../../testing/router';
import Incidents from './Incidents';

// EmptyState's illustration is slow in the scaffolded react-inlinesvg mock (see inlineSvgMock).

const NOW = Date.now();

function renderPage(lookup: DatasourceLookup, search = '') {
  return renderAt(`/a/intelops-aiops-app/incidents${search}`, {
    '/a/intelops-aiops-app/incidents': <Incidents lookup={lookup} />,
    '/a/intelops-aiops-app/incidents/:incidentId': <p>Investigation page</p>,
  });
}

function engineAnswering(reply: FakeReply) {
  return fakeDatasourceLookup([{ settings: intelOpsSettings('ds', 'IntelOps', 'http://engine:8686'), reply }]);
}

const location = currentLocation;

describe('Incidents page', () => {
  it('says what it is loading, then lists the incidents like an alert list', async () => {
    renderPage(engineAnswering({ status: 200, data: incidentListJson(NOW) }));
    expect(screen.getByText('Loading incidents from the engine…')).toBeInTheDocument();

    const table = await screen.findByTestId(testIds.incidents.table);
    const rows = within(table).getAllByTestId(testIds.incidents.row);
    expect(rows).toHaveLength(5);
    const first = within(rows[0]);
    expect(first.getByText('critical')).toBeInTheDocument();
    expect(first.getByRole('link', { name: 'HighLatency checkout p99 above 2 s' })).toHaveAttribute(
      'href',
      '/a/intelops-aiops-app/incidents/inc-7f3a9c'
    );
    const services = within(first.getAllByRole('cell')[2]);
    expect(['checkout', 'payments', 'cart'].every((s) => services.queryByText(s))).toBe(true);
    expect(first.getByText('42m')).toBeInTheDocument();
    expect(first.getByText('6')).toBeInTheDocument();
    expect(first.getByText('Open')).toBeInTheDocument();
    expect(within(rows[2]).getByText('Resolving')).toBeInTheDocument();
    expect(within(rows[3]).getByText('Resolved')).toBeInTheDocument();
    expect(within(rows[3]).getByText('38m')).toBeInTheDocument();
    // The top suspected cause of the latest analysis with its confidence; the others are not analysed yet.
    expect(screen.getByRole('columnheader', { name: 'Suspected cause' })).toBeInTheDocument();
    expect(first.getByTestId(testIds.incidents.cause)).toHaveTextContent(/^checkout\s*latency\s*87%$/);
    expect(within(rows[1]).getByTestId(testIds.incidents.cause)).toHaveTextContent(/^Not analysed$/);
    // Four services: three shown, the rest counted.
    expect(within(rows[4]).getByText('+1 more')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.incidents.summary)).toHaveTextContent('5 incidents (3 ongoing) from 16 alerts');
  });

  it('opens the investigation when a row is clicked', async () => {
    renderPage(engineAnswering({ status: 200, data: incidentListJson(NOW) }));
    const rows = await screen.findAllByTestId(testIds.incidents.row);
    await userEvent.click(within(rows[1]).getByText('orders-db'));
    expect(await screen.findByText('Investigation page')).toBeInTheDocument();
    expect(location()).toBe('/a/intelops-aiops-app/incidents/inc-2b81d0');
  });

  it('reads with the filters and time range in the URL', async () => {
    const lookup = engineAnswering({ status: 200, data: incidentListJson(NOW) });
    renderPage(lookup, '?from=1763931600000&to=1763935200000&severity=critical&service=checkout&status=open');
    await screen.findByTestId(testIds.incidents.table);
    expect(lookup.requests[0].params).toEqual({
      from: 1763931600000,
      to: 1763935200000,
      status: 'open',
      severity: 'critical',
      service: 'checkout',
    });
    expect(
      within(screen.getByTestId(testIds.incidents.severity).parentElement ?? document.body).getByText('critical')
    ).toBeInTheDocument();
  });

  it('says where to send alerts when the time range has no incidents', async () => {
    renderPage(engineAnswering({ status: 200, data: { incidents: [] } }));
    const empty = await screen.findByTestId(testIds.incidents.empty);
    expect(empty).toHaveTextContent('No incidents in the selected time range');
    expect(within(empty).getByText('http://engine:8686/api/v1/alerts/alertmanager')).toBeInTheDocument();
    expect(within(empty).getByText('http://engine:8686/api/v1/alerts/grafana')).toBeInTheDocument();
    expect(empty).not.toHaveTextContent(/not (available|ingest)/i);
    expect(within(empty).getByRole('link', { name: /inject a fault into the demo shop/i })).toHaveAttribute(
      'href',
      '/a/intelops-aiops-app/workflows?workflow=demo-shop-faults'
    );
  });

  it('offers to clear the filters when they match nothing, and clears them in the URL', async () => {
    renderPage(engineAnswering({ status: 200, data: { incidents: [] } }), '?severity=info&service=cart&refresh=1m');
    const empty = await screen.findByTestId(testIds.incidents.empty);
    expect(empty).toHaveTextContent('No incidents match these filters in the selected time range');
    await userEvent.click(within(empty).getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(location()).toBe('/a/intelops-aiops-app/incidents?refresh=1m'));
  });

  it('says what failed and what to do when the engine cannot be read', async () => {
    renderPage(engineAnswering({ status: 502, data: '' }));
    const error = await screen.findByTestId(testIds.incidents.error);
    expect(error).toHaveTextContent('Could not load the incidents');
    expect(error).toHaveTextContent(
      'Grafana could not reach the engine at http://engine:8686: check the URL and that the engine runs.'
    );
    expect(within(error).getByRole('link', { name: 'Datasource settings' })).toHaveAttribute(
      'href',
      '/connections/datasources/edit/ds'
    );
    expect(within(error).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('asks for an IntelOps datasource when there is none', async () => {
    renderPage(fakeDatasourceLookup([]));
    const error = await screen.findByTestId(testIds.incidents.error);
    expect(error).toHaveTextContent('No IntelOps datasource yet');
    expect(within(error).getByRole('link', { name: 'Add the IntelOps datasource' })).toBeInTheDocument();
  });

  it('keeps the time range picker and auto-refresh (30 s by default) above the list', async () => {
    renderPage(engineAnswering({ status: 200, data: incidentListJson(NOW) }));
    await screen.findByTestId(testIds.incidents.table);
    const toolbar = screen.getByTestId(testIds.incidents.filters);
    expect(within(toolbar).getByText('Last 6 hours')).toBeInTheDocument();
    expect(within(toolbar).getByText('30s')).toBeInTheDocument();
  });
});
