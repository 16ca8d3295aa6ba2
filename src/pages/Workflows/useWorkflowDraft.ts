import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { DatasourceLookup } from '../../services/engineConnection';
import type { EngineRead } from '../../services/incidents';
import { errorLine, type SaveOutcome, saveWorkflow } from '../../services/workflows';
import { type DraftResult, draftWorkflow, type WorkflowDraft, workflowNameOf } from '../../services/workflowsDraft';

/** What the last "Save workflow" of a draft came to; `refused` carries the engine's message and its line. */
export type DraftSave =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'refused'; message: string; line?: number }
  | { kind: 'failed'; message: string };

export type DraftView =
  | { phase: 'idle' }
  | { phase: 'drafting' }
  /** 409: no LLM is configured; the engine's message says how to set one. */
  | { phase: 'no-llm'; message: string }
  | { phase: 'failed'; message: string }
  /** The draft for review: `text` is what the person has (edited or not); nothing is saved yet. */
  | { phase: 'drafted'; draft: WorkflowDraft; text: string; save: DraftSave }
  | { phase: 'saved'; name: string };

export type DraftEvent =
  | { type: 'draft' }
  | { type: 'drafted'; result: DraftResult }
  | { type: 'edit'; text: string }
  | { type: 'save' }
  | { type: 'saved'; name: string; result: EngineRead<SaveOutcome> }
  | { type: 'discard' };

type Drafted = Extract<DraftView, { phase: 'drafted' }>;

function afterDraft(result: DraftResult): DraftView {
  switch (result.state) {
    case 'drafted':
      return { phase: 'drafted', draft: result.draft, text: result.draft.yaml, save: { kind: 'idle' } };
    case 'no-llm':
      return { phase: 'no-llm', message: result.message };
    case 'failed':
      return { phase: 'failed', message: result.message };
  }
}

function afterSave(view: Drafted, name: string, result: EngineRead<SaveOutcome>): DraftView {
  if (result.state !== 'ok') {
    const message = result.state === 'failed' ? result.message : 'No IntelOps datasource to send it through.';
    return { ...view, save: { kind: 'failed', message } };
  }
  const outcome = result.value;
  return outcome.state === 'saved'
    ? { phase: 'saved', name }
    : { ...view, save: { kind: 'refused', message: outcome.message, line: outcome.line } };
}

/** Drafting, review and saving: one request at a time; an edit clears the message about the last save. */
export function draftReducer(view: DraftView, event: DraftEvent): DraftView {
  const saving = view.phase === 'drafted' && view.save.kind === 'saving';
  switch (event.type) {
    case 'draft':
      return view.phase === 'drafting' || saving ? view : { phase: 'drafting' };
    case 'drafted':
      return view.phase === 'drafting' ? afterDraft(event.result) : view;
    case 'edit':
      return view.phase === 'drafted' && !saving ? { ...view, text: event.text, save: { kind: 'idle' } } : view;
    case 'save':
      return view.phase === 'drafted' && !saving ? { ...view, save: { kind: 'saving' } } : view;
    case 'saved':
      return view.phase === 'drafted' ? afterSave(view, event.name, event.result) : view;
    case 'discard':
      return saving ? view : { phase: 'idle' };
  }
}

/**
 * The line to mark in the draft: the save refusal's, else (while the text is as drafted) the line the draft's
 * first error names.
 */
export function draftErrorLine(view: Drafted): number | undefined {
  if (view.save.kind === 'refused') {
    return view.save.line;
  }
  const [first] = view.draft.errors;
  return view.text === view.draft.yaml && first !== undefined ? errorLine(first) : undefined;
}

/** Drafts a workflow with the engine's LLM and saves it under its `name:` only when the person asks. */
export function useWorkflowDraft(lookup: DatasourceLookup, onSaved: (name: string) => void) {
  const [view, dispatch] = useReducer(draftReducer, { phase: 'idle' });
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const draft = useCallback(
    (description: string) => {
      if (view.phase === 'drafting') {
        return;
      }
      dispatch({ type: 'draft' });
      draftWorkflow(lookup, description).then((result) => {
        if (mounted.current) {
          dispatch({ type: 'drafted', result });
        }
      });
    },
    [lookup, view.phase]
  );

  const edit = useCallback((text: string) => dispatch({ type: 'edit', text }), []);

  const save = useCallback(() => {
    const name = view.phase === 'drafted' ? workflowNameOf(view.text) : undefined;
    if (view.phase !== 'drafted' || view.save.kind === 'saving' || name === undefined) {
      return;
    }
    dispatch({ type: 'save' });
    saveWorkflow(lookup, name, view.text).then((result) => {
      if (!mounted.current) {
        return;
      }
      dispatch({ type: 'saved', name, result });
      if (result.state === 'ok' && result.value.state === 'saved') {
        onSaved(name);
      }
    });
  }, [lookup, view, onSaved]);

  const discard = useCallback(() => dispatch({ type: 'discard' }), []);

  return { view, draft, edit, save, discard };
}
