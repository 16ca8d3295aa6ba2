import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { toDataFrame } from '@grafana/data';
import { testIds } from '../../components/testIds';
import { panelProps } from '../shared/testing/panelProps';
import type { AgentTraceOptions } from './types';
import { AgentTracePanel } from './AgentTracePanel';

const frame = toDataFrame({
  fields: [
    { name: 'traceID', values: ['abc123', 'abc123', 'abc123'] },
    { name: 'spanID', values: ['root', 'ret', 'llm'] },
    { name: 'parentSpanID', values: [null, 'root', 'root'] },
    { name: 'operationName', values: ['investigate', 'search runbooks', 'chat gpt-4o-mini'] },
    { name: 'serviceName', values: ['engine', 'engine', 'engine'] },
    { name: 'startTime', values: [1000, 1010, 1200] },
    { name: 'duration', values: [1400, 150, 1100] },
    { name: 'kind', values: ['action', 'retrieval', 'llm'] },
    { name: 'tokens', values: [null, null, 640] },
  ],
});

describe('AgentTracePanel', () => {
  it('draws one row per span with its latency and tokens, and a legend of kinds', () => {
    render(<AgentTracePanel {...panelProps<AgentTraceOptions>([frame], { showService: true })} />);

    const rows = screen.getAllByTestId(testIds.agentTracePanel.row);
    expect(rows.map((row) => row.textContent)).toEqual([
      'investigateengine1.40 s',
      'search runbooksengine150 ms',
      'chat gpt-4o-miniengine1.10 s · 640 tok',
    ]);
    expect(screen.getByText(/3 spans · 1.40 s/)).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Span kinds' })).toHaveTextContent('retrievalLLMaction');
  });

  it('is usable by keyboard: arrows move between rows, Enter opens the span details', async () => {
    const user = userEvent.setup();
    render(<AgentTracePanel {...panelProps<AgentTraceOptions>([frame], { showService: false })} />);
    const rows = screen.getAllByTestId(testIds.agentTracePanel.row);

    await user.tab();
    expect(rows[0]).toHaveFocus();
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(rows[2]).toHaveFocus();
    await user.keyboard('{Enter}');

    expect(rows[2]).toHaveAttribute('aria-pressed', 'true');
    const details = screen.getByTestId(testIds.agentTracePanel.details);
    expect(details).toHaveTextContent('Operationchat gpt-4o-mini');
    expect(details).toHaveTextContent('Tokens640');
    expect(details).toHaveTextContent('Starts at+200 ms');

    await user.keyboard('{Enter}');
    expect(screen.queryByTestId(testIds.agentTracePanel.details)).not.toBeInTheDocument();
  });

  it('explains which frame it needs when there is no data', () => {
    render(<AgentTracePanel {...panelProps<AgentTraceOptions>([], { showService: true })} />);
    expect(screen.getByTestId(testIds.agentTracePanel.empty)).toHaveTextContent(/No agent run in this data/);
  });
});
