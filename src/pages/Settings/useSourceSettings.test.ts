import { parseEngineSettings } from '../../services/engineSettings';
import { engineSettingsJson } from '../../services/testing/engineSettingsJson';
import { SOURCE_SETTINGS_LOADING, sourceSettingsReducer, type SourceSettingsView } from './useSourceSettings';

const settings = parseEngineSettings(engineSettingsJson());
const datasource = { uid: 'ds', name: 'IntelOps', engineUrl: 'http://engine:8686' };
const shown: SourceSettingsView = {
  phase: 'loaded',
  settings,
  values: settings.values,
  fieldErrors: {},
  save: { state: 'idle' },
};

function edited(field: 'lokiUrl' | 'tempoUrl', value: string): SourceSettingsView {
  return sourceSettingsReducer(shown, { type: 'edit', field, value });
}

describe('sourceSettingsReducer', () => {
  it('goes from loading to the form, or to the error in words', () => {
    expect(
      sourceSettingsReducer(SOURCE_SETTINGS_LOADING, {
        type: 'loaded',
        result: { state: 'ok', value: settings, datasource },
      })
    ).toEqual(shown);
    expect(
      sourceSettingsReducer(SOURCE_SETTINGS_LOADING, {
        type: 'loaded',
        result: { state: 'failed', message: 'down', datasource },
      })
    ).toEqual({ phase: 'error', message: 'down', datasource });
    expect(
      sourceSettingsReducer(SOURCE_SETTINGS_LOADING, { type: 'loaded', result: { state: 'no-datasource' } })
    ).toEqual({ phase: 'no-datasource' });
    expect(sourceSettingsReducer(shown, { type: 'load' })).toBe(SOURCE_SETTINGS_LOADING);
  });

  it('sends on submit only when every field passes, trimmed', () => {
    const bad = sourceSettingsReducer(edited('lokiUrl', 'loki:3100'), { type: 'submit' });
    expect(bad).toMatchObject({
      save: { state: 'idle' },
      fieldErrors: { lokiUrl: 'Start the URL with http:// or https://, for example http://loki:3100.' },
    });
    const good = sourceSettingsReducer(edited('lokiUrl', ' http://loki:3100 '), { type: 'submit' });
    expect(good).toMatchObject({ save: { state: 'saving' }, fieldErrors: {}, values: { lokiUrl: 'http://loki:3100' } });
    // A second submit or an edit while saving changes nothing.
    expect(sourceSettingsReducer(good, { type: 'submit' })).toBe(good);
    expect(sourceSettingsReducer(good, { type: 'edit', field: 'lokiUrl', value: 'x' })).toBe(good);
  });

  it('checks the LLM and annotation fields on submit too, and trims them', () => {
    const bad = sourceSettingsReducer(
      sourceSettingsReducer(shown, { type: 'edit', field: 'grafanaUrl', value: 'grafana:3000' }),
      { type: 'submit' }
    );
    expect(bad).toMatchObject({
      save: { state: 'idle' },
      fieldErrors: { grafanaUrl: 'Start the URL with http:// or https://, for example http://grafana:3000.' },
    });
    const good = sourceSettingsReducer(
      sourceSettingsReducer(shown, { type: 'edit', field: 'llmModel', value: ' gpt-4o-mini ' }),
      { type: 'submit' }
    );
    expect(good).toMatchObject({ save: { state: 'saving' }, values: { llmModel: 'gpt-4o-mini' } });
  });

  it('an edit clears its own field error and the message about the last save', () => {
    const bad = sourceSettingsReducer(
      sourceSettingsReducer(edited('lokiUrl', 'loki'), { type: 'edit', field: 'tempoUrl', value: 'tempo' }),
      { type: 'submit' }
    );
    expect(Object.keys(bad.phase === 'loaded' ? bad.fieldErrors : {})).toEqual(['lokiUrl', 'tempoUrl']);
    const fixing = sourceSettingsReducer(bad, { type: 'edit', field: 'lokiUrl', value: 'http://loki:3100' });
    expect(fixing).toMatchObject({ fieldErrors: { tempoUrl: expect.any(String) } });
    expect(fixing.phase === 'loaded' && fixing.fieldErrors.lokiUrl).toBeUndefined();
  });

  it('shows what the engine saved, as the new starting point', () => {
    const saving = sourceSettingsReducer(edited('lokiUrl', 'http://loki:3100'), { type: 'submit' });
    const stored = parseEngineSettings({ ...engineSettingsJson(), loki: { url: 'http://loki:3100' } });
    const saved = sourceSettingsReducer(saving, {
      type: 'saved',
      result: { state: 'ok', value: { state: 'saved', settings: stored }, datasource },
    });
    expect(saved).toEqual({
      phase: 'loaded',
      settings: stored,
      values: stored.values,
      fieldErrors: {},
      save: { state: 'saved' },
    });
    expect(sourceSettingsReducer(saved, { type: 'edit', field: 'tempoUrl', value: '' })).toMatchObject({
      save: { state: 'idle' },
    });
  });

  it("keeps the typed values and puts the engine's refusal on its field, or says it", () => {
    const saving = sourceSettingsReducer(edited('tempoUrl', 'http://tempo:3200/100%'), { type: 'submit' });
    const onField = sourceSettingsReducer(saving, {
      type: 'saved',
      result: { state: 'ok', value: { state: 'refused', fieldErrors: { tempoUrl: 'refused' } }, datasource },
    });
    expect(onField).toMatchObject({
      values: { tempoUrl: 'http://tempo:3200/100%' },
      fieldErrors: { tempoUrl: 'refused' },
      save: { state: 'refused' },
    });
    const failed = sourceSettingsReducer(saving, {
      type: 'saved',
      result: { state: 'failed', message: 'Grafana could not reach the engine', datasource },
    });
    expect(failed).toMatchObject({
      values: { tempoUrl: 'http://tempo:3200/100%' },
      save: { state: 'failed', message: 'Grafana could not reach the engine' },
    });
  });
});
