import React from 'react';
import { render, screen } from '@testing-library/react';
import { toDataFrame } from '@grafana/data';
import { testIds } from '../../components/testIds';
import { panelProps } from '../shared/testing/panelProps';
import type { EvalsOptions } from './types';
import { EvalsPanel } from './EvalsPanel';

const scores = toDataFrame({
  fields: [
    { name: 'metric', values: ['p95_latency_ms', 'retrieval_hit_rate', 'hallucination_rate'] },
    { name: 'value', values: [3400, 0.82, 0.02] },
  ],
});

describe('EvalsPanel', () => {
  it('shows six tiles coloured by their thresholds and the verdict', () => {
    render(<EvalsPanel {...panelProps<EvalsOptions>([scores], {})} />);

    const tiles = screen.getAllByTestId(testIds.evalsPanel.tile);
    expect(tiles.map((tile) => [tile.getAttribute('data-status'), tile.getAttribute('aria-label')])).toEqual([
      ['bad', 'P95 latency: 3.40 s, failing (bad above 3.00 s)'],
      ['unknown', 'Error rate: no data, not measured (bad above 5.0%)'],
      ['unknown', 'Time to first token: no data, not measured (bad above 1.50 s)'],
      ['good', 'Retrieval hit rate: 82%, passing (bad below 70%)'],
      ['good', 'Hallucination rate: 2.0%, passing (bad above 10%)'],
      ['unknown', 'Accuracy: no data, not measured (bad below 80%)'],
    ]);
    expect(screen.getByTestId(testIds.evalsPanel.verdict)).toHaveTextContent('Optimise the retrieval path.');
  });

  it('applies thresholds from the panel options', () => {
    render(<EvalsPanel {...panelProps<EvalsOptions>([scores], { thresholds: { p95LatencyMs: 4000 } })} />);
    expect(screen.getByTestId(testIds.evalsPanel.verdict)).toHaveTextContent('Stable.');
  });

  it('explains which data it needs when there is none', () => {
    render(<EvalsPanel {...panelProps<EvalsOptions>([], {})} />);
    expect(screen.getByTestId(testIds.evalsPanel.empty)).toHaveTextContent(/No eval results in this data/);
  });
});
