import type { EditorTarget } from './useWorkflowEditor';

/** What the page shows, kept in the URL so a link opens the same workflow and run: ?workflow=…&new=1&run=…. */
export interface WorkflowsUrlState {
  workflow?: EditorTarget;
  run?: string;
}

export function parseWorkflowsUrl(params: URLSearchParams): WorkflowsUrlState {
  const name = params.get('workflow') ?? '';
  const run = params.get('run') ?? '';
  return {
    ...(name === '' ? {} : { workflow: { name, isNew: params.get('new') === '1' } }),
    ...(run === '' ? {} : { run }),
  };
}

/** `params` with the page's keys replaced by `state`; other keys (Grafana's own) are kept. */
export function writeWorkflowsUrl(params: URLSearchParams, state: WorkflowsUrlState): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of ['workflow', 'new', 'run']) {
    next.delete(key);
  }
  if (state.workflow) {
    next.set('workflow', state.workflow.name);
    if (state.workflow.isNew) {
      next.set('new', '1');
    }
  }
  if (state.run) {
    next.set('run', state.run);
  }
  return next;
}
