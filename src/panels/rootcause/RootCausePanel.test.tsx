import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { toDataFrame } from '@grafana/data';
import { config } from '@grafana/runtime';
import { testIds } from '../../components/testIds';
import { parseRcaResult } from '../../datasource/rootCauses';
import { rootCausesFrame } from '../../datasource/rootCausesFrame';
import { fakeEngineFetch } from '../../datasource/testing/fakeEngineFetch';
import { checkoutEvidenceJson } from '../../datasource/testing/perceptionFixtures';
import { checkoutRcaJson, feedbackJson, ordersRcaJson } from '../../datasource/testing/reasoningFixtures';
import { DEFAULT_UPSTREAM_UIDS } from '../../datasource/upstreams';
import { parseIncidentEvidence } from '../../services/evidence';
import { EngineFetchContext } from '../../services/rcaFeedback';
import { resolveEvidence } from '../../services/rootCauseCards';
import { panelProps } from '../shared/testing/panelProps';
import type { RootCauseOptions } from './types';
import { RootCausePanel } from './RootCausePanel';

const NOW = Date.parse('2026-11-23T22:00:00Z');
const META = {
  incidentId: 'inc-7f3a9c',
  engineUrl: '/api/datasources/proxy/uid/ds/engine',
  engineName: 'http://engine:8686',
};

function datasourceFrame(body: unknown) {
  const rca = parseRcaResult(body, '/x');
  const evidence = parseIncidentEvidence(checkoutEvidenceJson(NOW), '/x').evidence;
  return rootCausesFrame(
    { rca, refs: rca.causes.map((cause) => resolveEvidence(cause.evidence, evidence, DEFAULT_UPSTREAM_UIDS)) },
    META,
    'A'
  );
}

function renderPanel(frames: Array<ReturnType<typeof toDataFrame>>, reply = (status: number) => status) {
  const engine = fakeEngineFetch((request) => {
    const status = reply(200);
    const body = typeof request.data === 'object' && request.data !== null ? request.data : {};
    return status === 200
      ? {
          status,
          data: feedbackJson(NOW, Reflect.get(body, 'service'), Reflect.get(body, 'verdict'), Reflect.get(body, 'by')),
        }
      : { status, data: { statusCode: status, error: 'Bad Request', message: 'body/service is not a cause' } };
  });
  render(
    <EngineFetchContext.Provider value={engine.fetch}>
      <RootCausePanel {...panelProps<RootCauseOptions>(frames, { showEvidence: true })} />
    </EngineFetchContext.Provider>
  );
  return engine.requests;
}

describe('RootCausePanel', () => {
  beforeAll(() => Reflect.set(config.bootData.user, 'login', 'sre-alice'));

  it('shows one card per cause with confidence, explanation, evidence chips to Explore and actions', () => {
    renderPanel([datasourceFrame(checkoutRcaJson(NOW))]);

    const cards = screen.getAllByTestId(testIds.rootCausePanel.card);
    expect(cards).toHaveLength(3);
    const first = within(cards[0] as HTMLElement);
    expect(cards[0]).toHaveAccessibleName('Root cause 1: checkout, confidence 87%');
    expect(first.getByText('latency')).toBeInTheDocument();
    expect(first.getByRole('meter', { name: 'Confidence for checkout' })).toHaveAttribute('aria-valuenow', '87');
    expect(first.getByText(/^Deploy checkout v2.4.1 went out/)).toBeInTheDocument();
    const chips = first.getAllByTestId(testIds.rootCausePanel.evidence);
    expect(chips.map((chip) => chip.textContent)).toEqual([
      'metriccheckout p99 latency rose from 0.45 s to 2.3 s',
      'tracecheckout span p95 rose from 380 ms to 2900 ms',
      'changedeploy-checkout-4f2c',
    ]);
    const link = within(chips[0] as HTMLElement).getByRole('link');
    expect(new URL(link.getAttribute('href') ?? '', 'http://g').pathname).toBe('/explore');
    expect(within(chips[2] as HTMLElement).queryByRole('link')).not.toBeInTheDocument();
    expect(first.getByRole('list', { name: 'Actions for checkout' })).toHaveTextContent(
      'Roll back checkout to v2.4.0Follow the runbook'
    );
    expect(screen.getByTestId(testIds.rootCausePanel.method)).toHaveTextContent('LLM gpt-4o-mini');
    expect(screen.getByRole('note')).toHaveTextContent('1 cause the LLM gave was dropped');
  });

  it('says the dependency graph ranked the causes and why the LLM was not used', () => {
    renderPanel([datasourceFrame(ordersRcaJson(NOW))]);
    const method = screen.getByTestId(testIds.rootCausePanel.method);
    expect(method).toHaveTextContent('Ranked by the dependency graph — LLM not used: no LLM endpoint is configured');
    expect(method).toHaveAttribute('role', 'note');
  });

  it('posts a confirmation with the Grafana login and shows it was saved', async () => {
    const requests = renderPanel([datasourceFrame(checkoutRcaJson(NOW))]);
    const card = within(screen.getAllByTestId(testIds.rootCausePanel.card)[0] as HTMLElement);
    await userEvent.click(card.getByRole('button', { name: 'Confirm checkout as the root cause' }));

    expect(await card.findByRole('status')).toHaveTextContent('Confirmed');
    expect(card.getByRole('button', { name: 'Confirm checkout as the root cause' })).toHaveAttribute(
      'aria-pressed',
      'true'
    );
    expect(requests.map((r) => [r.method, r.url, r.data])).toEqual([
      [
        'POST',
        '/api/datasources/proxy/uid/ds/engine/api/v1/incidents/inc-7f3a9c/feedback',
        { service: 'checkout', verdict: 'confirm', by: 'sre-alice' },
      ],
    ]);
  });

  it('says why a verdict was not saved', async () => {
    renderPanel([datasourceFrame(checkoutRcaJson(NOW))], () => 400);
    const card = within(screen.getAllByTestId(testIds.rootCausePanel.card)[1] as HTMLElement);
    await userEvent.click(card.getByRole('button', { name: 'Reject payments as the root cause' }));
    expect(await card.findByRole('status')).toHaveTextContent(
      'Not saved: The engine refused the request: body/service is not a cause'
    );
  });

  it('has no feedback buttons for frames that do not name an incident', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'service', values: ['checkout'] },
        { name: 'confidence', values: [0.87] },
      ],
    });
    renderPanel([frame]);
    expect(screen.queryByTestId(testIds.rootCausePanel.feedback)).not.toBeInTheDocument();
  });

  it('hides evidence chips when the option is off', () => {
    render(
      <RootCausePanel
        {...panelProps<RootCauseOptions>([datasourceFrame(checkoutRcaJson(NOW))], { showEvidence: false })}
      />
    );
    expect(screen.queryAllByTestId(testIds.rootCausePanel.evidence)).toHaveLength(0);
  });

  it('says the incident is not analysed yet', () => {
    const frame = rootCausesFrame({ none: { kind: 'not-analysed', incidentId: 'inc-2b81d0' } }, META, 'A');
    renderPanel([frame]);
    const empty = screen.getByTestId(testIds.rootCausePanel.empty);
    expect(empty).toHaveTextContent('Not analysed yet');
    expect(empty).toHaveTextContent('incident inc-2b81d0 has no root-cause analysis');
  });

  it('explains what to query when there is no data', () => {
    renderPanel([]);
    expect(screen.getByTestId(testIds.rootCausePanel.empty)).toHaveTextContent(
      /No root causes in this data.*Root causes.*service.*confidence/
    );
  });
});
