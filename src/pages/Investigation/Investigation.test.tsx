import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testIds } from '../../components/testIds';
import { checkoutIncidentJson, incidentListJson } from '../../datasource/testing/incidentFixtures';
import {
  checkoutEvidenceJson,
  partialEvidenceJson,
  uncollectedEvidenceJson,
} from '../../datasource/testing/perceptionFixtures';
import { changesJson, checkoutRcaJson, feedbackJson } from '../../datasource/testing/reasoningFixtures';
import type { DatasourceLookup } from '../../services/engineConnection';
import type { FakeReply } from '../../datasource/testing/fakeEngineFetch';
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

describe('Investigation page evidence', () => {
  const incidents = incidentListJson(NOW).incidents;
  // The engine as the contract says: GET reads what was collected, POST collects again.
  const evidenceEngine = (evidenceReply: (id: string, method: string) => { status: number; data: unknown }) =>
    fakeDatasourceLookup([
      {
        settings: intelOpsSettings('ds', 'IntelOps', 'http://engine:8686'),
        reply: (request) => {
          const match = /\/api\/v1\/incidents\/([^/]+)(\/evidence)?$/.exec(request.url);
          const incident = incidents.find((candidate) => candidate.id === match?.[1]);
          if (!match || !incident) {
            return { status: 404, data: { message: 'not found' } };
          }
          return match[2] ? evidenceReply(incident.id, request.method ?? 'GET') : { status: 200, data: incident };
        },
      },
    ]);

  it('lists the evidence by kind with score, service, time range and an Explore link', async () => {
    renderAt(
      evidenceEngine(() => ({ status: 200, data: checkoutEvidenceJson(NOW) })),
      'inc-7f3a9c'
    );
    const groups = await screen.findAllByTestId(testIds.evidence.group);
    expect(groups.map((group) => group.getAttribute('aria-label'))).toEqual([
      'Metric anomalies',
      'Log templates',
      'Traces',
    ]);
    const items = screen.getAllByTestId(testIds.evidence.item);
    expect(items).toHaveLength(5);
    expect(items[0]).toHaveTextContent('score0.86');
    expect(items[0]).toHaveTextContent('checkout p99 latency rose from 0.45 s to 2.3 s');
    expect(items[0]).toHaveTextContent('metric anomaly · checkout ·');
    const link = within(items[2] as HTMLElement).getByRole('link', { name: /Open in Explore/ });
    const url = new URL(link.getAttribute('href') ?? '', 'http://grafana.local');
    expect(url.pathname).toBe('/explore');
    expect(JSON.parse(url.searchParams.get('panes') ?? '{}').intelops.datasource).toBe('loki');
    expect(screen.getByTestId(testIds.evidence.collect)).toHaveTextContent('Collect again');
    expect(screen.getAllByTestId(testIds.evidence.source).map((source) => source.textContent)).toEqual([
      'Prometheus: read',
      'Loki: read',
      'Tempo: read',
    ]);
  });

  it('says no evidence was collected yet, and collects it on request', async () => {
    const lookup = evidenceEngine((id, method) =>
      method === 'POST'
        ? { status: 200, data: partialEvidenceJson(NOW, id) }
        : { status: 200, data: uncollectedEvidenceJson(id) }
    );
    renderAt(lookup, 'inc-2b81d0');
    const empty = await screen.findByTestId(testIds.evidence.empty);
    expect(empty).toHaveTextContent('No evidence collected yet');
    expect(screen.getByText('Not collected yet.')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId(testIds.evidence.collect));
    expect(await screen.findAllByTestId(testIds.evidence.item)).toHaveLength(1);
    expect(screen.queryByTestId(testIds.evidence.empty)).not.toBeInTheDocument();
    const sources = screen.getAllByTestId(testIds.evidence.source);
    expect(sources[1]).toHaveTextContent('Loki: not configured (no Loki URL set).Set its URL in Settings');
    expect(within(sources[1] as HTMLElement).getByRole('link', { name: 'Set its URL in Settings' })).toHaveAttribute(
      'href',
      '/a/intelops-aiops-app/settings'
    );
    expect(sources[2]).toHaveTextContent('Tempo: failed: Tempo at http://tempo:3200 answered 503');
    expect(lookup.requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual([
      '/api/datasources/proxy/uid/ds/engine/api/v1/incidents/inc-2b81d0/evidence',
    ]);
  });

  it('keeps the evidence and says why when collecting fails', async () => {
    renderAt(
      evidenceEngine((_, method) =>
        method === 'POST'
          ? { status: 504, data: { statusCode: 504, error: 'Gateway Timeout', message: 'Loki timed out after 30 s' } }
          : { status: 200, data: checkoutEvidenceJson(NOW) }
      ),
      'inc-7f3a9c'
    );
    await userEvent.click(await screen.findByTestId(testIds.evidence.collect));
    expect(await screen.findByTestId(testIds.evidence.collectError)).toHaveTextContent(
      'The engine at http://engine:8686 could not get an answer from its source: Loki timed out after 30 s'
    );
    expect(screen.getAllByTestId(testIds.evidence.item)).toHaveLength(5);
  });

  it('says what failed when the evidence cannot be read', async () => {
    renderAt(
      evidenceEngine(() => ({ status: 500, data: { statusCode: 500, error: 'Internal', message: 'store closed' } })),
      'inc-7f3a9c'
    );
    const error = await screen.findByTestId(testIds.evidence.error);
    expect(error).toHaveTextContent('Could not load the evidence');
    expect(error).toHaveTextContent(
      "The engine at http://engine:8686 answered 500 (store closed): check the engine's logs."
    );
  });
});

describe('Investigation page root causes', () => {
  // The engine as its routes answer: GET …/rca 404 until analysed, POST …/analyze ranks, changes around it.
  const reasoningEngine = (
    analysed: boolean,
    askReply: FakeReply = { status: 404, data: { message: 'no ask' } },
    rca: object = checkoutRcaJson(NOW)
  ) =>
    fakeDatasourceLookup([
      {
        settings: intelOpsSettings('ds', 'IntelOps', 'http://engine:8686'),
        reply: (request) => {
          const path = request.url.replace('/api/datasources/proxy/uid/ds/engine', '');
          if (path === '/api/v1/changes') {
            return { status: 200, data: changesJson(NOW) };
          }
          switch (`${request.method ?? 'GET'} ${path}`) {
            case 'GET /api/v1/incidents/inc-7f3a9c':
              return { status: 200, data: checkoutIncidentJson(NOW) };
            case 'GET /api/v1/incidents/inc-7f3a9c/evidence':
              return { status: 200, data: checkoutEvidenceJson(NOW) };
            case 'GET /api/v1/incidents/inc-7f3a9c/rca':
              return analysed
                ? { status: 200, data: rca }
                : {
                    status: 404,
                    data: {
                      statusCode: 404,
                      error: 'Not Found',
                      message: 'The analysis of incident "inc-7f3a9c" has not been run',
                    },
                  };
            case 'POST /api/v1/incidents/inc-7f3a9c/analyze':
              return { status: 200, data: checkoutRcaJson(NOW) };
            case 'POST /api/v1/incidents/inc-7f3a9c/ask':
              return askReply;
            case 'POST /api/v1/incidents/inc-7f3a9c/feedback':
              return { status: 200, data: feedbackJson(NOW, 'payments', 'reject') };
            default:
              return { status: 404, data: { message: `no route ${path}` } };
          }
        },
      },
    ]);

  it('shows the last analysis: three causes, method, timeline and the graph with the cause highlighted', async () => {
    renderAt(reasoningEngine(true), 'inc-7f3a9c');
    const section = await screen.findByTestId(testIds.rootCauses.section);
    const cards = await within(section).findAllByTestId(testIds.rootCausePanel.card);
    expect(cards.map((card) => card.getAttribute('aria-label'))).toEqual([
      'Root cause 1: checkout, confidence 87%',
      'Root cause 2: payments, confidence 46%',
      'Root cause 3: cart, confidence 12%',
    ]);
    // The chips resolve once the evidence is read.
    expect(
      await within(cards[0] as HTMLElement).findByText('checkout p99 latency rose from 0.45 s to 2.3 s')
    ).toBeInTheDocument();
    expect(within(section).getByTestId(testIds.rootCauses.method)).toHaveTextContent(
      'LLM gpt-4o-mini · 3120 prompt + 412 completion tokens · 1 invented cause dropped'
    );
    const nodes = within(section).getAllByTestId(testIds.rootCauses.graphNode);
    expect(
      nodes.filter((n) => n.getAttribute('data-role') === 'suspected cause').map((n) => n.getAttribute('data-service'))
    ).toEqual(['checkout']);
    await waitFor(() => expect(within(section).getAllByTestId(testIds.rootCauses.timelineEntry)).toHaveLength(10));
    expect(within(section).getAllByTestId(testIds.rootCauses.timelineEntry)[0]).toHaveTextContent(
      'feature flag: enable new-gateway-client for 10%'
    );
    expect(within(section).getByRole('link', { name: '1 log template in the Evidence below' })).toHaveAttribute(
      'href',
      '#intelops-incident-evidence'
    );
    expect(within(section).getByTestId(testIds.rootCauses.agentRuns)).toHaveAttribute(
      'href',
      '/a/intelops-aiops-app/agent-runs?incident=inc-7f3a9c'
    );
    expect(within(section).queryByTestId(testIds.rootCauses.agentTrace)).not.toBeInTheDocument();
  });

  it('links the analysis to its agent trace when the engine recorded one', async () => {
    const traced = { ...checkoutRcaJson(NOW), traceId: '4bf92f3577b34da6a3ce929d0e0e4736' };
    renderAt(reasoningEngine(true, undefined, traced), 'inc-7f3a9c');
    expect(await screen.findByTestId(testIds.rootCauses.agentTrace)).toHaveAttribute(
      'href',
      '/a/intelops-aiops-app/agent-runs?incident=inc-7f3a9c&run=4bf92f3577b34da6a3ce929d0e0e4736'
    );
  });

  it('analyses on request when there is no analysis yet, and takes feedback', async () => {
    const lookup = reasoningEngine(false);
    renderAt(lookup, 'inc-7f3a9c');
    const empty = await screen.findByTestId(testIds.rootCauses.empty);
    expect(empty).toHaveTextContent('No root-cause analysis yet');
    await userEvent.click(screen.getByTestId(testIds.rootCauses.analyze));
    expect(await screen.findAllByTestId(testIds.rootCausePanel.card)).toHaveLength(3);
    expect(screen.getByTestId(testIds.rootCauses.analyze)).toHaveTextContent('Analyze again');

    const second = within(screen.getAllByTestId(testIds.rootCausePanel.card)[1] as HTMLElement);
    await userEvent.click(second.getByRole('button', { name: 'Reject payments as the root cause' }));
    expect(await second.findByRole('status')).toHaveTextContent('Rejected');
    expect(lookup.requests.filter((r) => r.method === 'POST').map((r) => [r.url, r.data])).toEqual([
      ['/api/datasources/proxy/uid/ds/engine/api/v1/incidents/inc-7f3a9c/analyze', {}],
      [
        '/api/datasources/proxy/uid/ds/engine/api/v1/incidents/inc-7f3a9c/feedback',
        { service: 'payments', verdict: 'reject' },
      ],
    ]);
  });

  it('answers a question about the incident under the root causes, with its evidence chips', async () => {
    const lookup = reasoningEngine(true, {
      status: 200,
      data: {
        answer: 'checkout p99 rose first; the gateway flag came 3 minutes before.',
        evidence: ['ev_met_3f2a9b1c0d4e'],
        toolCalls: ['query_metrics'],
        model: 'gpt-4o-mini',
        usage: { promptTokens: 900, completionTokens: 40 },
        hallucinationsDropped: 0,
      },
    });
    renderAt(lookup, 'inc-7f3a9c');
    const box = await screen.findByTestId(testIds.incidentQuestion.section);
    expect(within(box).getByRole('heading', { name: 'Ask about this incident' })).toBeInTheDocument();
    await userEvent.type(within(box).getByTestId(testIds.incidentQuestion.input), 'What happened first?');
    await userEvent.click(within(box).getByTestId(testIds.incidentQuestion.ask));
    const turn = await within(box).findByTestId(testIds.incidentQuestion.turn);
    expect(turn).toHaveTextContent('checkout p99 rose first; the gateway flag came 3 minutes before.');
    expect(await within(turn).findByText('checkout p99 latency rose from 0.45 s to 2.3 s')).toBeInTheDocument();
    expect(within(turn).getByTestId(testIds.incidentQuestion.tools)).toHaveTextContent('Tools used: query_metrics');
    expect(lookup.requests.filter((r) => r.method === 'POST').map((r) => [r.url, r.data])).toEqual([
      [
        '/api/datasources/proxy/uid/ds/engine/api/v1/incidents/inc-7f3a9c/ask',
        { question: 'What happened first?', history: [] },
      ],
    ]);
  });

  it('says how to configure an LLM when the engine has none', async () => {
    renderAt(
      reasoningEngine(true, {
        status: 409,
        data: {
          statusCode: 409,
          error: 'Conflict',
          message: 'Questions need an LLM. No LLM is configured: set its base URL and model in the settings',
        },
      }),
      'inc-7f3a9c'
    );
    const box = await screen.findByTestId(testIds.incidentQuestion.section);
    await userEvent.type(within(box).getByTestId(testIds.incidentQuestion.input), 'Why?{Enter}');
    const info = await within(box).findByTestId(testIds.incidentQuestion.problem);
    expect(info).toHaveAttribute('data-state', 'no-llm');
    expect(info).toHaveTextContent('Set the LLM base URL and model on the IntelOps Settings page');
  });
});
