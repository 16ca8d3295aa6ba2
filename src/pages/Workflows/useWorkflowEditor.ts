import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { DatasourceLookup, EngineDatasource } from '../../services/engineConnection';
import type { EngineRead } from '../../services/incidents';
import {
  type DeleteOutcome,
  deleteWorkflow,
  loadWorkflow,
  type SaveOutcome,
  saveWorkflow,
  type WorkflowDefinition,
} from '../../services/workflows';
import { newWorkflowText } from '../../services/workflowsFormat';

/** What the last Save or Delete came to; `refused` carries the engine's message and the line it names. */
export type EditorAction =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved' }
  | { kind: 'deleting' }
  | { kind: 'deleted' }
  | { kind: 'refused'; message: string; line?: number }
  | { kind: 'failed'; message: string };

export type EditorView =
  | { phase: 'loading' }
  | { phase: 'no-datasource' }
  | { phase: 'error'; message: string; datasource?: EngineDatasource }
  | {
      phase: 'editing';
      name: string;
      /** As the engine has it; undefined for a workflow not saved yet. */
      definition?: WorkflowDefinition;
      text: string;
      /** The text the engine has: the editor has changes when `text` differs. */
      savedText: string;
      action: EditorAction;
    };

export type EditorEvent =
  | { type: 'load' }
  | { type: 'loaded'; result: EngineRead<WorkflowDefinition> }
  | { type: 'create'; name: string }
  | { type: 'edit'; text: string }
  | { type: 'save' }
  | { type: 'saved'; result: EngineRead<SaveOutcome> }
  | { type: 'delete' }
  | { type: 'deleted'; result: EngineRead<DeleteOutcome> };

export const EDITOR_LOADING: EditorView = { phase: 'loading' };

type Editing = Extract<EditorView, { phase: 'editing' }>;

function busy(view: Editing): boolean {
  return view.action.kind === 'saving' || view.action.kind === 'deleting';
}

function failure(result: Exclude<EngineRead<unknown>, { state: 'ok' }>): EditorAction {
  return {
    kind: 'failed',
    message: result.state === 'failed' ? result.message : 'No IntelOps datasource to send it through.',
  };
}

function afterSave(view: Editing, result: EngineRead<SaveOutcome>): EditorView {
  if (result.state !== 'ok') {
    return { ...view, action: failure(result) };
  }
  const outcome = result.value;
  if (outcome.state === 'refused') {
    return { ...view, action: { kind: 'refused', message: outcome.message, line: outcome.line } };
  }
  // The engine keeps the text as sent: what it answers is what the editor holds, unless edited meanwhile.
  return { ...view, definition: outcome.workflow, savedText: outcome.workflow.text, action: { kind: 'saved' } };
}

function afterDelete(view: Editing, result: EngineRead<DeleteOutcome>): EditorView {
  if (result.state !== 'ok') {
    return { ...view, action: failure(result) };
  }
  const outcome = result.value;
  return outcome.state === 'deleted'
    ? { ...view, definition: undefined, action: { kind: 'deleted' } }
    : { ...view, action: { kind: 'refused', message: outcome.message, line: outcome.line } };
}

function fromLoad(result: EngineRead<WorkflowDefinition>): EditorView {
  switch (result.state) {
    case 'ok':
      return {
        phase: 'editing',
        name: result.value.name,
        definition: result.value,
        text: result.value.text,
        savedText: result.value.text,
        action: { kind: 'idle' },
      };
    case 'no-datasource':
      return { phase: 'no-datasource' };
    case 'failed':
      return { phase: 'error', message: result.message, datasource: result.datasource };
  }
}

/** The editor's states: one Save or Delete at a time; an edit clears the message about the last one. */
export function editorReducer(view: EditorView, event: EditorEvent): EditorView {
  switch (event.type) {
    case 'load':
      return EDITOR_LOADING;
    case 'loaded':
      return fromLoad(event.result);
    case 'create':
      return {
        phase: 'editing',
        name: event.name,
        text: newWorkflowText(event.name),
        savedText: '',
        action: { kind: 'idle' },
      };
    case 'edit':
      return view.phase === 'editing' && !busy(view) ? { ...view, text: event.text, action: { kind: 'idle' } } : view;
    case 'save':
      return view.phase === 'editing' && !busy(view) ? { ...view, action: { kind: 'saving' } } : view;
    case 'saved':
      return view.phase === 'editing' ? afterSave(view, event.result) : view;
    case 'delete':
      return view.phase === 'editing' && !busy(view) && view.definition
        ? { ...view, action: { kind: 'deleting' } }
        : view;
    case 'deleted':
      return view.phase === 'editing' ? afterDelete(view, event.result) : view;
  }
}

/** A workflow picked from the list, or a new one by the name a person gave. */
export type EditorTarget = { name: string; isNew: boolean };

interface Callbacks {
  /** After the engine saved or deleted it: the list reads the workflows again. */
  onChanged: (name: string, change: 'saved' | 'deleted') => void;
}

/** Loads a workflow's text, and saves or deletes it in the engine. */
export function useWorkflowEditor(
  lookup: DatasourceLookup,
  target: EditorTarget | undefined,
  { onChanged }: Callbacks
) {
  const [view, dispatch] = useReducer(editorReducer, EDITOR_LOADING);
  const mounted = useRef(true);
  const name = target?.name;
  const isNew = target?.isNew ?? false;

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const reload = useCallback(() => {
    if (name === undefined) {
      return undefined;
    }
    if (isNew) {
      dispatch({ type: 'create', name });
      return undefined;
    }
    let current = true;
    dispatch({ type: 'load' });
    loadWorkflow(lookup, name).then((result) => {
      if (current && mounted.current) {
        dispatch({ type: 'loaded', result });
      }
    });
    return () => {
      current = false;
    };
  }, [lookup, name, isNew]);

  useEffect(reload, [reload]);

  const edit = useCallback((text: string) => dispatch({ type: 'edit', text }), []);

  const save = useCallback(() => {
    const next = editorReducer(view, { type: 'save' });
    if (next.phase !== 'editing' || next.action.kind !== 'saving') {
      return;
    }
    dispatch({ type: 'save' });
    saveWorkflow(lookup, next.name, next.text).then((result) => {
      if (mounted.current) {
        dispatch({ type: 'saved', result });
        if (result.state === 'ok' && result.value.state === 'saved') {
          onChanged(next.name, 'saved');
        }
      }
    });
  }, [lookup, view, onChanged]);

  const remove = useCallback(() => {
    const next = editorReducer(view, { type: 'delete' });
    if (next.phase !== 'editing' || next.action.kind !== 'deleting') {
      return;
    }
    dispatch({ type: 'delete' });
    deleteWorkflow(lookup, next.name).then((result) => {
      if (mounted.current) {
        dispatch({ type: 'deleted', result });
        if (result.state === 'ok' && result.value.state === 'deleted') {
          onChanged(next.name, 'deleted');
        }
      }
    });
  }, [lookup, view, onChanged]);

  return { view, edit, save, remove, reload };
}
