import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { toDataFrame } from '@grafana/data';
import { testIds } from '../../components/testIds';
import { panelProps } from '../shared/testing/panelProps';
import type { RootCauseOptions } from './types';
import { RootCausePanel } from './RootCausePanel';

const frame = toDataFrame({
  fields: [
    { name: 'rank', values: [1, 2, 3] },
    { name: 'service', values: ['checkout', 'payments-db', 'cart'] },
    { name: 'indicator', values: ['p99 latency', 'connections', 'error rate'] },
    { name: 'confidence', values: [0.87, 0.41, 0.12] },
    { name: 'explanation', values: ['Deploy 4f2c doubled latency', 'Pool exhausted', 'Retries amplify errors'] },
    { name: 'evidence', values: [['metric:p99', 'change:deploy 4f2c'], ['log:too many clients'], []] },
    { name: 'method', values: ['graph:llm-unavailable', 'graph:llm-unavailable', 'graph:llm-unavailable'] },
  ],
});

describe('RootCausePanel', () => {
  it('shows one card per cause with its confidence, explanation and evidence', () => {
    render(<RootCausePanel {...panelProps<RootCauseOptions>([frame], { showEvidence: true })} />);

    const cards = screen.getAllByTestId(testIds.rootCausePanel.card);
    expect(cards).toHaveLength(3);
    const first = within(cards[0]);
    expect(first.getByText('checkout')).toBeInTheDocument();
    expect(first.getByText('p99 latency')).toBeInTheDocument();
    expect(first.getByText('87%')).toBeInTheDocument();
    expect(first.getByRole('meter', { name: 'Confidence for checkout' })).toHaveAttribute('aria-valuenow', '87');
    expect(first.getByText('Deploy 4f2c doubled latency')).toBeInTheDocument();
    expect(first.getAllByTestId(testIds.rootCausePanel.evidence).map((chip) => chip.textContent)).toEqual([
      'metricp99',
      'changedeploy 4f2c',
    ]);
    expect(cards[0]).toHaveAccessibleName('Root cause 1: checkout, confidence 87%');
  });

  it('says which method ranked the causes and that the LLM was unavailable', () => {
    render(<RootCausePanel {...panelProps<RootCauseOptions>([frame], { showEvidence: true })} />);
    expect(screen.getByTestId(testIds.rootCausePanel.method)).toHaveTextContent('Method: graph ranking');
    expect(screen.getByRole('note')).toHaveTextContent('LLM unavailable: showing the deterministic graph ranking.');
  });

  it('hides evidence chips when the option is off', () => {
    render(<RootCausePanel {...panelProps<RootCauseOptions>([frame], { showEvidence: false })} />);
    expect(screen.queryAllByTestId(testIds.rootCausePanel.evidence)).toHaveLength(0);
  });

  it('explains what to query when there is no data', () => {
    render(<RootCausePanel {...panelProps<RootCauseOptions>([], { showEvidence: true })} />);
    expect(screen.getByTestId(testIds.rootCausePanel.empty)).toHaveTextContent(
      /No root causes in this data.*service.*confidence/
    );
  });
});
