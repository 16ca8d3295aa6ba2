import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { toDataFrame } from '@grafana/data';
import { testIds } from '../../components/testIds';
import { parseEvalsReport } from '../../datasource/evals';
import { evalsFrames } from '../../datasource/evalsFrame';
import {
  emptyEvalsJson,
  EVALS_SUMMARY,
  evalsJson,
  NO_DATA_SUMMARY,
  RUN_IDS,
} from '../../datasource/testing/agentRunFixtures';
import { panelProps } from '../shared/testing/panelProps';
import type { EvalsOptions } from './types';
import { EvalsPanel } from './EvalsPanel';

const scores = toDataFrame({
  fields: [
    { name: 'metric', values: ['p95_latency_ms', 'retrieval_hit_rate', 'hallucination_rate'] },
    { name: 'value', values: [3400, 0.82, 0.02] },
  ],
});

const NOW = Date.parse('2026-11-23T21:00:00Z');
const engineFrames = evalsFrames(parseEvalsReport(evalsJson(NOW)), 'A', 'tempo');

describe('EvalsPanel', () => {
  it('shows seven tiles coloured by their thresholds and the verdict', () => {
    render(<EvalsPanel {...panelProps<EvalsOptions>([scores], {})} />);

    const tiles = screen.getAllByTestId(testIds.evalsPanel.tile);
    expect(tiles.map((tile) => [tile.getAttribute('data-status'), tile.getAttribute('aria-label')])).toEqual([
      ['bad', 'P95 latency: 3.40 s, failing (bad above 3.00 s)'],
      ['unknown', 'Error rate: no data, not measured (bad above 5.0%)'],
      ['unknown', 'Time to first token: no data, not measured (bad above 2.00 s)'],
      ['good', 'Retrieval hit rate: 82%, passing (bad below 70%)'],
      ['good', 'Hallucination rate: 2.0%, passing (bad above 10%)'],
      ['unknown', 'Accuracy: no data, not measured (bad below 60%)'],
      ['unknown', 'Faithfulness: no data, not measured (bad below 80%)'],
    ]);
    expect(screen.getByTestId(testIds.evalsPanel.verdict)).toHaveTextContent('Optimise the retrieval path.');
    expect(screen.queryByTestId(testIds.evalsPanel.sparkline)).not.toBeInTheDocument();
  });

  it('applies thresholds from the panel options', () => {
    render(<EvalsPanel {...panelProps<EvalsOptions>([scores], { thresholds: { p95LatencyMs: 4000 } })} />);
    expect(screen.getByTestId(testIds.evalsPanel.verdict)).toHaveTextContent('Stable.');
  });

  it('shows the engine’s scorecard with its thresholds, verdict, trends and worst runs from the Evals query', () => {
    render(<EvalsPanel {...panelProps<EvalsOptions>(engineFrames, {})} />);

    const tiles = screen.getAllByTestId(testIds.evalsPanel.tile);
    expect(tiles.map((tile) => tile.getAttribute('data-status'))).toEqual([
      'bad',
      'good',
      'good',
      'bad',
      'good',
      'good',
      'good',
    ]);
    expect(tiles[3]).toHaveAccessibleName('Retrieval hit rate: 61%, failing (bad below 70%)');
    expect(screen.getByTestId(testIds.evalsPanel.verdict)).toHaveTextContent(EVALS_SUMMARY);
    // The trend's last bucket (3.50 s) is not the range's P95 (3.42 s).
    expect(tiles[0]).toHaveTextContent('3.42 s');
    expect(within(tiles[0]).getByRole('img')).toHaveAccessibleName(
      'P95 latency trend: from 2.10 s to 3.50 s over 12 points'
    );
    expect(within(tiles[2]).queryByRole('img')).not.toBeInTheDocument();

    const worst = screen.getAllByTestId(testIds.evalsPanel.worstRun);
    expect(worst.map((row) => row.textContent)).toEqual([
      'analyze of inc-5c02eefailed: The LLM endpoint did not answer within 30 s (http://ollama:11434/v1)',
      'analyze of inc-91aa47judged unfaithful (41% of its claims supported)',
      'analyze of inc-7f3a9ctook 4.21 s',
    ]);
    expect(within(worst[0]).getByRole('link')).toHaveAttribute(
      'href',
      `/a/intelops-aiops-app/agent-runs?run=${RUN_IDS.apiGatewayFailed}`
    );
  });

  it('judges by itself when a panel option changes a threshold the engine’s verdict was made with', () => {
    render(<EvalsPanel {...panelProps<EvalsOptions>(engineFrames, { thresholds: { p95LatencyMs: 5000 } })} />);
    expect(screen.getByTestId(testIds.evalsPanel.verdict)).toHaveTextContent('Add indexes or improve tagging.');
  });

  it('says there is nothing to evaluate, in the engine’s words, when no analysis ran', () => {
    render(<EvalsPanel {...panelProps<EvalsOptions>(evalsFrames(parseEvalsReport(emptyEvalsJson(NOW)), 'A'), {})} />);
    expect(screen.getByTestId(testIds.evalsPanel.empty)).toHaveTextContent('No analyses to evaluate');
    expect(screen.getByTestId(testIds.evalsPanel.empty)).toHaveTextContent(NO_DATA_SUMMARY);
  });

  it('explains which data it needs when there is none', () => {
    render(<EvalsPanel {...panelProps<EvalsOptions>([], {})} />);
    expect(screen.getByTestId(testIds.evalsPanel.empty)).toHaveTextContent(/No eval results in this data/);
  });
});
