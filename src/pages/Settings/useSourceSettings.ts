import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { DatasourceLookup, EngineDatasource } from '../../services/engineConnection';
import {
  type EngineSettings,
  type FieldErrors,
  hasFieldErrors,
  loadEngineSettings,
  type SaveOutcome,
  saveSourceSettings,
  type SourceField,
  type SourceSettingsValues,
  trimmedValues,
  validateSourceSettings,
} from '../../services/engineSettings';
import type { EngineRead } from '../../services/incidents';

/** Where a save stands; `refused` carries the engine's message when it named no field of the form. */
export type SaveState =
  | { state: 'idle' }
  | { state: 'saving' }
  | { state: 'saved' }
  | { state: 'refused'; message?: string }
  | { state: 'failed'; message: string };

/** What the "Data sources the engine reads" section shows. */
export type SourceSettingsView =
  | { phase: 'loading' }
  | { phase: 'no-datasource' }
  | { phase: 'error'; message: string; datasource?: EngineDatasource }
  | {
      phase: 'loaded';
      settings: EngineSettings;
      values: SourceSettingsValues;
      fieldErrors: FieldErrors;
      save: SaveState;
    };

export type SourceSettingsEvent =
  | { type: 'load' }
  | { type: 'loaded'; result: EngineRead<EngineSettings> }
  | { type: 'edit'; field: SourceField; value: string }
  | { type: 'submit' }
  | { type: 'saved'; result: EngineRead<SaveOutcome> };

export const SOURCE_SETTINGS_LOADING: SourceSettingsView = { phase: 'loading' };

function showing(settings: EngineSettings, save: SaveState): SourceSettingsView {
  return { phase: 'loaded', settings, values: settings.values, fieldErrors: {}, save };
}

function fromLoad(result: EngineRead<EngineSettings>): SourceSettingsView {
  switch (result.state) {
    case 'ok':
      return showing(result.value, { state: 'idle' });
    case 'no-datasource':
      return { phase: 'no-datasource' };
    case 'failed':
      return { phase: 'error', message: result.message, datasource: result.datasource };
  }
}

type Loaded = Extract<SourceSettingsView, { phase: 'loaded' }>;

function afterSave(view: Loaded, result: EngineRead<SaveOutcome>): SourceSettingsView {
  if (result.state === 'no-datasource') {
    return { ...view, save: { state: 'failed', message: 'No IntelOps datasource to save through.' } };
  }
  if (result.state === 'failed') {
    return { ...view, save: { state: 'failed', message: result.message } };
  }
  const outcome = result.value;
  return outcome.state === 'saved'
    ? showing(outcome.settings, { state: 'saved' })
    : { ...view, fieldErrors: outcome.fieldErrors, save: { state: 'refused', message: outcome.message } };
}

/** The form's states: checks run on submit, an edit clears its field's error and any message about the last save. */
export function sourceSettingsReducer(view: SourceSettingsView, event: SourceSettingsEvent): SourceSettingsView {
  switch (event.type) {
    case 'load':
      return SOURCE_SETTINGS_LOADING;
    case 'loaded':
      return fromLoad(event.result);
    case 'edit': {
      if (view.phase !== 'loaded' || view.save.state === 'saving') {
        return view;
      }
      const fieldErrors = Object.fromEntries(Object.entries(view.fieldErrors).filter(([key]) => key !== event.field));
      return { ...view, values: { ...view.values, [event.field]: event.value }, fieldErrors, save: { state: 'idle' } };
    }
    case 'submit': {
      if (view.phase !== 'loaded' || view.save.state === 'saving') {
        return view;
      }
      const fieldErrors = validateSourceSettings(view.values);
      return hasFieldErrors(fieldErrors)
        ? { ...view, fieldErrors, save: { state: 'idle' } }
        : { ...view, values: trimmedValues(view.values), fieldErrors, save: { state: 'saving' } };
    }
    case 'saved':
      return view.phase === 'loaded' ? afterSave(view, event.result) : view;
  }
}

/** Loads the engine's settings, and saves the upstream fields of the form back into them. */
export function useSourceSettings(lookup: DatasourceLookup) {
  const [view, dispatch] = useReducer(sourceSettingsReducer, SOURCE_SETTINGS_LOADING);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const reload = useCallback(() => {
    dispatch({ type: 'load' });
    loadEngineSettings(lookup).then((result) => {
      if (mounted.current) {
        dispatch({ type: 'loaded', result });
      }
    });
  }, [lookup]);

  useEffect(reload, [reload]);

  const edit = useCallback((field: SourceField, value: string) => dispatch({ type: 'edit', field, value }), []);

  const save = useCallback(() => {
    // The reducer decides whether this submit sends anything; running it here too tells the hook what it decided.
    const next = sourceSettingsReducer(view, { type: 'submit' });
    dispatch({ type: 'submit' });
    if (next.phase === 'loaded' && next.save.state === 'saving') {
      saveSourceSettings(lookup, next.settings.document, next.values).then((result) => {
        if (mounted.current) {
          dispatch({ type: 'saved', result });
        }
      });
    }
  }, [lookup, view]);

  return { view, edit, save, reload };
}
