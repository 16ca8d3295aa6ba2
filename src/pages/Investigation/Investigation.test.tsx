import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { render, screen, within } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import { checkoutIncidentJson } from '../../datasource/testing/incidentFixtures';
import type { DatasourceLookup } from '../../services/engineConnection';
import { fakeDatasourceLookup, intelOpsSettings } from '../../services/testing/fakeDatasources';
import Investigation from './Investigation';

const NOW = Date.now();

function renderAt(lookup: DatasourceLookup, id: string) {
  return render(
    <MemoryRouter
      initialEntries={[`/a/intelops-aiops-app/incidents/${id}`]}
      future={{ v7_startTransition: true, v7_relativeSplatPath: true }}
    >
      <Routes>
        <Route path="/a/intelops-aiops-app/incidents/:incidentId" element={<Investigation lookup={lookup} />} />
      </Routes>
    </MemoryRouter>
  );
}

const engine = fakeDatasourceLookup([
  {
    settings: intelOpsSettings('ds', 'IntelOps', 'http://engine:8686'),
    reply: (request) =>
      request.url.endsWith('/api/v1/incidents/inc-7f3a9c')
        ? { status: 200, data: checkoutIncidentJson(NOW) }
        : { status: 404, data: { message: 'No incident with id "gone"' } },
  },
]);

describe('Investigation page', () => {
  it('shows the incident header: severity, status, services, start, duration and alert count', async () => {
    renderAt(engine, 'inc-7f3a9c');
    expect(screen.getByText('Loading the incident from the engine…')).toBeInTheDocument();
    const header = await screen.findByTestId(testIds.investigation.header);
    expect(within(header).getByRole('heading', { name: 'HighLatency checkout p99 above 2 s' })).toBeInTheDocument();
    expect(within(header).getByText('critical')).toBeInTheDocument();
    expect(within(header).getByText('Open')).toBeInTheDocument();
    expect(header).toHaveTextContent('Servicescheckout, payments, cart');
    expect(header).toHaveTextContent('Ongoing for42m');
    expect(header).toHaveTextContent('Alerts6');
    expect(header).toHaveTextContent('Tagsenv=prod, team=shop');
  });

  it('explains why each alert joined the incident', async () => {
    renderAt(engine, 'inc-7f3a9c');
    const rows = await screen.findAllByTestId(testIds.investigation.alertRow);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toHaveTextContent('Started the incident');
    expect(rows[1]).toHaveTextContent('Same service score 1.00Same service checkout as HighLatency, 1 min apart');
    expect(rows[2]).toHaveTextContent('Topology score 0.86checkout calls payments (1 hop), 2 min apart');
    expect(rows[5]).toHaveTextContent('Similar text score 0.74Title 74% similar to PaymentsLatency');
    expect(screen.getByTestId(testIds.investigation.grouping)).toHaveTextContent(
      'Joined by topology (2 alerts), same service (1 alert), same alert (1 alert), similar text (1 alert).'
    );
  });

  it('says when the engine has no such incident', async () => {
    renderAt(engine, 'gone');
    const error = await screen.findByTestId(testIds.investigation.error);
    expect(error).toHaveTextContent(
      'The engine at http://engine:8686 has no incident "gone" (No incident with id "gone"): open one from the incidents list.'
    );
    expect(screen.getByRole('link', { name: /All incidents/ })).toHaveAttribute(
      'href',
      '/a/intelops-aiops-app/incidents'
    );
  });
});
