import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testIds } from '../../components/testIds';
import { IntelOpsDataSource } from '../datasource';
import { intelOpsSettings } from '../testing/instanceSettings';
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
