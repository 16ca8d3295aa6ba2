import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testIds } from '../../components/testIds';
import { IntelOpsDataSource } from '../datasource';
import { intelOpsSettings } from '../testing/instanceSettings';
import { EMPTY_EXPR, EMPTY_INCIDENT, EMPTY_SELECTOR } from '../queryValidation';
import { CHECKOUT_RUN_ID } from '../testing/agentRunFixtures';
import { QueryEditor } from './QueryEditor';

const datasource = new IntelOpsDataSource(intelOpsSettings('intelops', 'IntelOps', 'http://engine:8686'));

describe('QueryEditor', () => {
  it('shows the query type and what it reads from the engine', () => {
    render(<QueryEditor datasource={datasource} query={{ refId: 'A' }} onChange={jest.fn()} onRunQuery={jest.fn()} />);

    expect(screen.getByTestId(testIds.queryEditor.queryType)).toHaveValue('Status');
    expect(screen.getByText(/GET \/api\/v1\/status/)).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.queryEditor.service)).not.toBeInTheDocument();
  });

  it('offers the status, severity and service filters for the Incidents query', () => {
    render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'incidents', severity: ['critical'], service: '$service' }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.getByTestId(testIds.queryEditor.queryType)).toHaveValue('Incidents');
    expect(screen.getByText(/GET \/api\/v1\/incidents/)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.queryEditor.status)).toBeInTheDocument();
    expect(screen.getByText('critical')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.queryEditor.service)).toHaveValue('$service');
  });

  it('runs the query with the typed services when the field is left', async () => {
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'incidents' }}
        onChange={onChange}
        onRunQuery={onRunQuery}
      />
    );
    await userEvent.type(screen.getByTestId(testIds.queryEditor.service), 'checkout, $service');
    expect(onChange).not.toHaveBeenCalled();
    await userEvent.tab();
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'incidents', service: 'checkout, $service' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });
});

describe('QueryEditor for Log templates', () => {
  it('offers the stream selector, services and baseline, and asks for a selector inline', () => {
    render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'logTemplates' }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.getByTestId(testIds.queryEditor.queryType)).toHaveValue('Log templates');
    expect(screen.getByText(/POST \/api\/v1\/query\/log-templates/)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.queryEditor.selector)).toHaveValue('');
    expect(screen.getByText(EMPTY_SELECTOR)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.queryEditor.templateServices)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.queryEditor.baseline)).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.queryEditor.expr)).not.toBeInTheDocument();
  });

  it('runs the query with the typed selector when the field is left, and the message goes away', async () => {
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    const { rerender } = render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'logTemplates' }}
        onChange={onChange}
        onRunQuery={onRunQuery}
      />
    );
    await userEvent.click(screen.getByTestId(testIds.queryEditor.selector));
    await userEvent.paste('{service_name=~"$service"}');
    await userEvent.tab();
    const query = { refId: 'A', queryType: 'logTemplates' as const, selector: '{service_name=~"$service"}' };
    expect(onChange).toHaveBeenCalledWith(query);
    expect(onRunQuery).toHaveBeenCalledTimes(1);

    rerender(<QueryEditor datasource={datasource} query={query} onChange={onChange} onRunQuery={onRunQuery} />);
    expect(screen.queryByText(EMPTY_SELECTOR)).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.queryEditor.selector)).toHaveValue('{service_name=~"$service"}');
  });

  it('names a baseline it cannot read', () => {
    render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'logTemplates', selector: '{app="shop"}', baseline: 'yesterday' }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.getByText('"yesterday" is not a duration: write one such as 1h or 1d.')).toBeInTheDocument();
  });
});

describe('QueryEditor for Anomalies', () => {
  it('offers PromQL, step and baseline, and asks for PromQL inline', () => {
    render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'anomalies', step: '1m' }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.getByTestId(testIds.queryEditor.queryType)).toHaveValue('Anomalies');
    expect(screen.getByTestId(testIds.queryEditor.expr).tagName).toBe('TEXTAREA');
    expect(screen.getByText(EMPTY_EXPR)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.queryEditor.step)).toHaveValue('1m');
    expect(screen.queryByTestId(testIds.queryEditor.selector)).not.toBeInTheDocument();
  });

  it('sends the PromQL and the step when their fields are left', async () => {
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'anomalies' }}
        onChange={onChange}
        onRunQuery={onRunQuery}
      />
    );
    await userEvent.click(screen.getByTestId(testIds.queryEditor.expr));
    await userEvent.paste('sum(rate(http_requests_total[5m]))');
    await userEvent.tab();
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      queryType: 'anomalies',
      expr: 'sum(rate(http_requests_total[5m]))',
    });
    await userEvent.type(screen.getByTestId(testIds.queryEditor.step), '30s');
    await userEvent.tab();
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'anomalies', step: '30s' });
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });
});

describe('QueryEditor for root causes', () => {
  it('asks for an incident id or a service, and runs once one is given', async () => {
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'rootCauses' }}
        onChange={onChange}
        onRunQuery={onRunQuery}
      />
    );
    expect(screen.getByTestId(testIds.queryEditor.queryType)).toHaveValue('Root causes');
    expect(screen.getByText(EMPTY_INCIDENT)).toBeInTheDocument();
    await userEvent.type(screen.getByTestId(testIds.queryEditor.incidentService), '$service');
    await userEvent.tab();
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'rootCauses', service: '$service' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('offers the same fields for the dependency graph', () => {
    render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'incidentGraph', incidentId: 'inc-7f3a9c' }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.getByTestId(testIds.queryEditor.incidentId)).toHaveValue('inc-7f3a9c');
    expect(screen.getByText(/Node graph panel/)).toBeInTheDocument();
    expect(screen.queryByText(EMPTY_INCIDENT)).not.toBeInTheDocument();
  });
});

describe('QueryEditor for agent runs', () => {
  it('filters the Agent runs list by incident and kind, and runs when one changes', async () => {
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'agentRuns', kind: 'analyze' }}
        onChange={onChange}
        onRunQuery={onRunQuery}
      />
    );
    expect(screen.getByTestId(testIds.queryEditor.queryType)).toHaveValue('Agent runs');
    expect(screen.getByText(/GET \/api\/v1\/runs\)/)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.queryEditor.runKind)).toHaveValue('analyze');
    expect(screen.queryByTestId(testIds.queryEditor.runId)).not.toBeInTheDocument();
    await userEvent.type(screen.getByTestId(testIds.queryEditor.runIncident), '$incident');
    await userEvent.tab();
    expect(onChange).toHaveBeenCalledWith({
      refId: 'A',
      queryType: 'agentRuns',
      kind: 'analyze',
      incidentId: '$incident',
    });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('takes a run id for the Agent run query, and names a kind the engine does not know', async () => {
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'agentRun', kind: 'analyse' }}
        onChange={onChange}
        onRunQuery={onRunQuery}
      />
    );
    expect(screen.getByTestId(testIds.queryEditor.runId)).toHaveAttribute('placeholder', 'newest run');
    expect(
      screen.getByText('"analyse" is not a kind of agent run: pick one of analyze, ask, draft, judge, workflow.')
    ).toBeInTheDocument();
    await userEvent.type(screen.getByTestId(testIds.queryEditor.runId), CHECKOUT_RUN_ID);
    await userEvent.tab();
    expect(onChange).toHaveBeenCalledWith({
      refId: 'A',
      queryType: 'agentRun',
      kind: 'analyse',
      runId: CHECKOUT_RUN_ID,
    });
  });

  it('describes the Evals query, which needs nothing but the time range', () => {
    render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'evals' }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.getByTestId(testIds.queryEditor.queryType)).toHaveValue('Evals');
    expect(screen.getByText(/IntelOps evals panel \(GET \/api\/v1\/evals\)/)).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.queryEditor.runIncident)).not.toBeInTheDocument();
  });
});
