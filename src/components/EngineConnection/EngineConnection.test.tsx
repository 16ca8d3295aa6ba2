import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ENGINE_STATUS } from '../../datasource/testing/fakeEngineFetch';
import { fakeDatasourceLookup, intelOpsSettings } from '../../services/testing/fakeDatasources';
import { testIds } from '../testIds';
import { EngineConnection } from './EngineConnection';

describe('EngineConnection', () => {
  it('checks the engine through the datasource and shows the result', async () => {
    const lookup = fakeDatasourceLookup([
      {
        settings: intelOpsSettings('ds1', 'IntelOps', 'http://engine:8686'),
        reply: { status: 200, data: ENGINE_STATUS },
      },
    ]);
    render(<EngineConnection lookup={lookup} />);

    expect(screen.getByText('Checking the connection to the IntelOps engine…')).toBeInTheDocument();
    expect(await screen.findByText('Connected to IntelOps engine 0.1.0 (store: pglite)')).toBeInTheDocument();
    expect(screen.getByText('IntelOps → http://engine:8686')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Datasource settings' })).toHaveAttribute(
      'href',
      '/connections/datasources/edit/ds1'
    );
  });

  it('shows what failed in words, and checks again on request', async () => {
    const lookup = fakeDatasourceLookup([
      {
        settings: intelOpsSettings('ds1', 'IntelOps', 'http://engine:8686'),
        reply: { status: 400, data: 'Authentication to data source failed' },
      },
    ]);
    render(<EngineConnection lookup={lookup} />);

    const message = 'The engine rejected the token: set the engine token in the datasource settings.';
    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(screen.getByRole('alert')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId(testIds.engineConnection.recheck));
    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(lookup.requestedFilters).toHaveLength(2);
  });

  it('says how to add the datasource when there is none', async () => {
    render(<EngineConnection lookup={fakeDatasourceLookup([])} />);
    expect(await screen.findByText('No IntelOps datasource yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Add the IntelOps datasource' })).toHaveAttribute(
      'href',
      '/connections/datasources/intelops-aiops-datasource'
    );
  });
});
