import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { toDataFrame } from '@grafana/data';
import { testIds } from '../../components/testIds';
import { panelProps } from '../shared/testing/panelProps';
import type { AgentTraceOptions } from './types';
import { AgentTracePanel } from './AgentTracePanel';
import { parseAgentRun } from '../../datasource/agentRuns';
import { agentRunFrame, noAgentRunFrame } from '../../datasource/agentRunFrame';
import { agentRunJson, CHECKOUT_RUN_ID } from '../../datasource/testing/agentRunFixtures';

const NOW = Date.parse('2026-11-23T21:00:00Z');
const checkout = parseAgentRun(agentRunJson(NOW, CHECKOUT_RUN_ID), '/api/v1/runs/x');

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

  it('shows an LLM span’s prompt, completion and usage, and links the run to Tempo and its investigation', async () => {
    const user = userEvent.setup();
    render(
      <AgentTracePanel
        {...panelProps<AgentTraceOptions>([agentRunFrame(checkout, 'A', 'tempo')], { showService: false })}
      />
    );

    const rows = screen.getAllByTestId(testIds.agentTracePanel.row);
    expect(rows).toHaveLength(8);
    expect(rows[4]).toHaveTextContent('chat gpt-4o-mini1.70 s · 1840 tok');
    await user.click(rows[4]);
    const details = screen.getByTestId(testIds.agentTracePanel.details);
    expect(details).toHaveTextContent('Time to first token380 ms');
    expect(screen.getByTestId(testIds.agentTracePanel.attributes)).toHaveTextContent('gen_ai.usage.input_tokens1520');
    const [event] = screen.getAllByTestId(testIds.agentTracePanel.event);
    expect(event.querySelector('h4')).toHaveTextContent('gen_ai.client.inference.operation.details at +1.70 s');
    expect(event).toHaveTextContent('Grafana token [REDACTED]');
    // Messages in the GenAI schema are JSON: shown indented.
    expect(event.querySelector('pre')?.textContent).toContain('\n  {\n    "type": "text",');

    const tempo = screen.getByTestId(testIds.agentTracePanel.tempoLink);
    const url = new URL(tempo.getAttribute('href') ?? '', 'http://grafana');
    expect(url.pathname).toBe('/explore');
    expect(JSON.parse(url.searchParams.get('panes') ?? '{}').intelops.queries[0]).toEqual({
      refId: 'A',
      datasource: { type: 'tempo', uid: 'tempo' },
      queryType: 'traceql',
      query: CHECKOUT_RUN_ID,
    });
    expect(screen.getByRole('link', { name: /Investigation of inc-7f3a9c/ })).toHaveAttribute(
      'href',
      '/a/intelops-aiops-app/incidents/inc-7f3a9c'
    );
  });

  it('opens a tool span’s arguments and result', async () => {
    const user = userEvent.setup();
    render(
      <AgentTracePanel {...panelProps<AgentTraceOptions>([agentRunFrame(checkout, 'A')], { showService: false })} />
    );
    await user.click(screen.getAllByTestId(testIds.agentTracePanel.row)[5]);
    const attributes = screen.getByTestId(testIds.agentTracePanel.attributes);
    expect(attributes).toHaveTextContent('gen_ai.tool.namequery_prometheus');
    expect(attributes).toHaveTextContent('gen_ai.tool.call.arguments{ "query": "histogram_quantile(0.99');
    expect(attributes).toHaveTextContent('gen_ai.tool.call.result{"series":1,"last":2.31,"unit":"s"}');
  });

  it('takes the Tempo datasource from its option over the one the query names, and has no link without either', () => {
    const { unmount } = render(
      <AgentTracePanel
        {...panelProps<AgentTraceOptions>([agentRunFrame(checkout, 'A', 'tempo')], {
          showService: false,
          tempoDatasourceUid: 'tempo-eu',
        })}
      />
    );
    expect(screen.getByTestId(testIds.agentTracePanel.tempoLink).getAttribute('href')).toContain('tempo-eu');
    unmount();
    render(<AgentTracePanel {...panelProps<AgentTraceOptions>([frame], { showService: false })} />);
    expect(screen.queryByTestId(testIds.agentTracePanel.tempoLink)).not.toBeInTheDocument();
  });

  it('says why there is no run when the query found none', () => {
    const none = noAgentRunFrame('A', 'No agent run for incident inc-1 in the time range.');
    render(<AgentTracePanel {...panelProps<AgentTraceOptions>([none], { showService: true })} />);
    expect(screen.getByTestId(testIds.agentTracePanel.empty)).toHaveTextContent(
      'No agent runNo agent run for incident inc-1 in the time range.'
    );
  });
});
