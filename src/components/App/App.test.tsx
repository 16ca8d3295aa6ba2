import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { render, screen } from '@testing-library/react';
import { emptyEvalsJson } from '../../datasource/testing/agentRunFixtures';
import { ENGINE_STATUS } from '../../datasource/testing/fakeEngineFetch';
import { fakeDatasourceLookup, intelOpsSettings } from '../../services/testing/fakeDatasources';
import { appPluginMeta } from '../../testing/pluginMeta';
import { testIds } from '../testIds';
import App from './App';

// EmptyState's illustration is slow in the scaffolded react-inlinesvg mock (see inlineSvgMock).

const INCIDENT = {
  id: 'inc-1',
  title: 'Checkout is slow',
  severity: 'high',
  status: 'open',
  services: ['checkout'],
  alerts: [],
  startsAt: '2026-11-23T21:00:00Z',
  endsAt: null,
  tags: {},
  groupingReasons: [],
  alertCount: 1,
};

// The engine as the app reads it: its status, an empty incident list, and one incident.
const mockLookup = fakeDatasourceLookup([
  {
    settings: intelOpsSettings('ds1', 'IntelOps', 'http://engine:8686'),
    reply: (request) => {
      if (request.url.endsWith('/api/v1/incidents')) {
        return { status: 200, data: { incidents: [] } };
      }
      if (request.url.endsWith('/api/v1/incidents/inc-1')) {
        return { status: 200, data: INCIDENT };
      }
      if (request.url.endsWith('/api/v1/workflows')) {
        return { status: 200, data: { workflows: [], errors: [] } };
      }
      if (request.url.endsWith('/api/v1/workflow-runs')) {
        return { status: 200, data: { runs: [] } };
      }
      if (request.url.endsWith('/api/v1/approvals')) {
        return { status: 200, data: { approvals: [] } };
      }
      if (request.url.endsWith('/api/v1/runs')) {
        return { status: 200, data: { runs: [] } };
      }
      if (request.url.endsWith('/api/v1/evals')) {
        return { status: 200, data: emptyEvalsJson(Date.parse('2026-11-23T21:00:00Z')) };
      }
      return { status: 200, data: ENGINE_STATUS };
    },
  },
]);

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => mockLookup,
}));

const props: AppRootProps = {
  basename: '/a/intelops-aiops-app',
  meta: appPluginMeta(true),
  query: {},
  path: '',
  onNavChanged: jest.fn(),
};

function renderAt(path: string) {
  return render(
    <MemoryRouter
      initialEntries={[`/a/intelops-aiops-app${path}`]}
      future={{ v7_startTransition: true, v7_relativeSplatPath: true }}
    >
      {/* Grafana mounts the app's root page below /a/<plugin id>/. */}
      <Routes>
        <Route path="/a/intelops-aiops-app/*" element={<App {...props} />} />
      </Routes>
    </MemoryRouter>
  );
}

describe('App', () => {
  it.each([
    ['/investigation', testIds.pages.investigation, 'No incident selected'],
    ['/knowledge', testIds.pages.knowledge, 'No documents yet'],
  ])('renders %s with an honest empty state', async (path, testId, message) => {
    renderAt(path);
    expect(await screen.findByTestId(testId)).toBeInTheDocument();
    expect(screen.getByText(message)).toBeInTheDocument();
  });

  it.each([
    ['/agent-runs', testIds.pages.agentRuns, 'No agent runs in the selected time range'],
    ['/evals', testIds.pages.evals, 'No analyses to evaluate in the selected time range'],
  ])('reads %s from the engine, and says how runs get there when there are none', async (path, testId, message) => {
    renderAt(path);
    expect(await screen.findByTestId(testId)).toBeInTheDocument();
    expect(await screen.findByText(message)).toBeInTheDocument();
  });

  it('reads the workflows, runs and approvals from the engine, and says how to add workflows when there are none', async () => {
    renderAt('/workflows');
    expect(await screen.findByTestId(testIds.pages.workflows)).toBeInTheDocument();
    expect(await screen.findByTestId(testIds.workflows.listEmpty)).toHaveTextContent(
      "No workflows yet. Put YAML files in the engine's workflow folder (INTELOPS_WORKFLOWS_DIR)"
    );
    expect(await screen.findByTestId(testIds.workflows.approvalsEmpty)).toBeInTheDocument();
    expect(await screen.findByTestId(testIds.workflows.runsEmpty)).toBeInTheDocument();
  });

  it('lists incidents from the engine, and says where to send alerts when there are none', async () => {
    renderAt('/incidents');
    expect(await screen.findByTestId(testIds.pages.incidents)).toBeInTheDocument();
    expect(await screen.findByText('No incidents in the selected time range')).toBeInTheDocument();
    expect(screen.getByText('http://engine:8686/api/v1/alerts/alertmanager')).toBeInTheDocument();
  });

  it.each(['/incidents/inc-1', '/investigation/inc-1'])(
    'opens the investigation of one incident at %s',
    async (path) => {
      renderAt(path);
      expect(await screen.findByTestId(testIds.pages.investigation)).toBeInTheDocument();
      expect(await screen.findByRole('heading', { name: 'Checkout is slow' })).toBeInTheDocument();
    }
  );

  it('opens the incidents page for unknown paths', async () => {
    renderAt('/nowhere');
    expect(await screen.findByTestId(testIds.pages.incidents)).toBeInTheDocument();
  });

  it('checks the engine live on the settings page', async () => {
    renderAt('/settings');
    expect(await screen.findByTestId(testIds.pages.settings)).toBeInTheDocument();
    expect(await screen.findByText('Connected to IntelOps engine 0.1.0 (store: pglite)')).toBeInTheDocument();
  });
});
