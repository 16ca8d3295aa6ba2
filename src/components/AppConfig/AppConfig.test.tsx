import React from 'react';
import { render, screen } from '@testing-library/react';
import { AppPlugin } from '@grafana/data';
import { fakeDatasourceLookup, intelOpsSettings } from '../../services/testing/fakeDatasources';
import { appPluginMeta } from '../../testing/pluginMeta';
import { testIds } from '../testIds';
import AppConfig from './AppConfig';

const mockLookup = fakeDatasourceLookup([
  { settings: intelOpsSettings('ds1', 'IntelOps', 'http://engine:8686'), reply: { status: 502, data: '' } },
]);

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => mockLookup,
}));

function appPlugin(enabled: boolean): AppPlugin {
  const plugin = new AppPlugin();
  plugin.meta = appPluginMeta(enabled);
  return plugin;
}

describe('AppConfig', () => {
  it('checks the engine connection once the app is enabled', async () => {
    render(<AppConfig plugin={appPlugin(true)} query={{}} />);
    expect(screen.getByTestId(testIds.appConfig.container)).toBeInTheDocument();
    expect(
      await screen.findByText(
        'Grafana could not reach the engine at http://engine:8686: check the URL and that the engine runs.'
      )
    ).toBeInTheDocument();
  });

  it('asks to enable the app first', () => {
    render(<AppConfig plugin={appPlugin(false)} query={{}} />);
    expect(screen.getByText('Enable the app to check the engine connection.')).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.engineConnection.container)).not.toBeInTheDocument();
  });
});
