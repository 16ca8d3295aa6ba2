import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { parseEngineSettings } from '../../services/engineSettings';
import { engineSettingsJson } from '../../services/testing/engineSettingsJson';
import type { SaveState, SourceSettingsView } from '../../pages/Settings/useSourceSettings';
import { testIds } from '../testIds';
import { SourceSettings } from './SourceSettings';

const settings = parseEngineSettings(engineSettingsJson());

function loaded(patch: Partial<Extract<SourceSettingsView, { phase: 'loaded' }>> = {}): SourceSettingsView {
  return { phase: 'loaded', settings, values: settings.values, fieldErrors: {}, save: { state: 'idle' }, ...patch };
}

function renderView(view: SourceSettingsView) {
  const calls = { change: jest.fn(), save: jest.fn(), reload: jest.fn() };
  render(<SourceSettings view={view} onChange={calls.change} onSave={calls.save} onReload={calls.reload} />);
  return calls;
}

describe('SourceSettings', () => {
  it('says what it loads, and why loading failed with a retry', async () => {
    renderView({ phase: 'loading' });
    expect(screen.getByTestId(testIds.sourceSettings.loading)).toHaveTextContent("Loading the engine's settings…");

    const { reload } = renderView({
      phase: 'error',
      message: 'Grafana could not reach the engine at http://engine:8686: check the URL and that the engine runs.',
      datasource: { uid: 'ds', name: 'IntelOps', engineUrl: 'http://engine:8686' },
    });
    expect(screen.getByText("Could not load the engine's settings")).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Datasource settings' })).toHaveAttribute(
      'href',
      '/connections/datasources/edit/ds'
    );
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('shows each upstream field under its label, with the credentials note', () => {
    renderView(loaded());
    expect(screen.getByRole('heading', { name: 'Data sources the engine reads' })).toBeInTheDocument();
    expect(screen.getByLabelText(/^Prometheus URL/)).toHaveValue('http://prometheus:9090');
    expect(screen.getByLabelText(/^Loki URL/)).toHaveValue('');
    expect(screen.getByLabelText(/^Loki URL/)).toHaveAttribute('placeholder', 'http://loki:3100');
    expect(screen.getByLabelText(/^Loki tenant \(X-Scope-OrgID\)/)).toHaveValue('');
    expect(screen.getByLabelText(/^Tempo URL/)).toHaveValue('http://tempo:3200');
    expect(screen.getByText(/Credentials are not settings/)).toHaveTextContent('INTELOPS_PROMETHEUS_AUTH');
  });

  it('enables Save only for a change, and reports edits and submits', async () => {
    const unchanged = renderView(loaded());
    expect(screen.getByTestId(testIds.sourceSettings.save)).toBeDisabled();
    await userEvent.type(screen.getByTestId(testIds.sourceSettings.lokiUrl), 'h');
    expect(unchanged.change).toHaveBeenCalledWith('lokiUrl', 'h');
  });

  it('submits a changed form with the button or Enter', async () => {
    const calls = renderView(loaded({ values: { ...settings.values, lokiUrl: 'http://loki:3100' } }));
    const save = screen.getByTestId(testIds.sourceSettings.save);
    expect(save).toBeEnabled();
    await userEvent.click(save);
    await userEvent.type(screen.getByTestId(testIds.sourceSettings.lokiUrl), '{Enter}');
    expect(calls.save).toHaveBeenCalledTimes(2);
  });

  it('disables the form while saving', () => {
    renderView(loaded({ values: { ...settings.values, lokiUrl: 'http://loki:3100' }, save: { state: 'saving' } }));
    expect(screen.getByTestId(testIds.sourceSettings.save)).toBeDisabled();
    expect(screen.getByTestId(testIds.sourceSettings.save)).toHaveTextContent('Saving…');
    expect(screen.getByTestId(testIds.sourceSettings.lokiUrl)).toBeDisabled();
  });

  it('shows field errors on their field, and the outcome of the save', () => {
    renderView(loaded({ fieldErrors: { tempoUrl: 'The engine refused this URL: it must match format "uri".' } }));
    const tempo = screen.getByTestId(testIds.sourceSettings.tempoUrl);
    expect(tempo).toHaveAccessibleDescription(/The engine refused this URL: it must match format "uri"\./);
    expect(screen.getByTestId(testIds.sourceSettings.status)).toBeEmptyDOMElement();
  });

  it.each<[SaveState, string]>([
    [{ state: 'saved' }, 'Saved in the engine'],
    [{ state: 'refused', message: 'The engine refused the settings: body/grouping/maxHops must be <= 6' }, 'maxHops'],
    [{ state: 'failed', message: 'The engine rejected the token' }, 'Could not save the settingsThe engine rejected'],
  ])('says how the save went: %p', (save, text) => {
    renderView(loaded({ save }));
    expect(screen.getByTestId(testIds.sourceSettings.status)).toHaveTextContent(text);
  });
});
