import { invalidInput, quote } from '../../invalidInput.ts';
import type { Queryable } from '../../store/store.ts';
import { deleteStoredWorkflow, listStoredWorkflows, loadStoredWorkflow, saveStoredWorkflow } from '../../store/workflows.ts';
import type { Workflow } from '../types.ts';
import { loadWorkflowFolder } from './loadWorkflowFolder.ts';
import type { LoadedWorkflowFile, WorkflowFileError } from './loadWorkflowFolder.ts';
import { parseWorkflow } from './parseWorkflow.ts';
import type { Actions } from './parseWorkflow.ts';

/**
 * All workflows the engine knows: the folder's files (read-only through the API, reloaded on reload()) and those
 * saved through the API (in the store, shared by every replica). A name defined by a file cannot be saved.
 */

export interface WorkflowEntry {
  workflow: Workflow;
  /** The text as written, comments included. */
  text: string;
  /** When it was last saved through the API; undefined for files. */
  updatedAt?: Date;
}

/** A workflow that is there but does not load: a bad file, or a stored one that no longer checks (an action gone). */
export interface WorkflowLoadError {
  source: 'file' | 'api';
  /** The file, for source file. */
  file?: string;
  /** The workflow's name, for source api. */
  name?: string;
  message: string;
}

/** A stored workflow that does not check any more. */
export interface BrokenWorkflow {
  name: string;
  text: string;
  updatedAt: Date;
  error: string;
}

export type SaveOutcome = { kind: 'saved'; entry: WorkflowEntry; created: boolean } | { kind: 'file'; file: string };
export type DeleteOutcome = { kind: 'deleted' } | { kind: 'missing' } | { kind: 'file'; file: string };

export interface WorkflowCatalogOptions {
  store: Queryable;
  actions: Actions;
  /** The provisioning folder; none means API workflows only. */
  folder?: string;
}

export class WorkflowCatalog {
  readonly #store: Queryable;
  readonly #actions: Actions;
  readonly #folder: string | undefined;
  #files = new Map<string, LoadedWorkflowFile>();
  #fileErrors: WorkflowFileError[] = [];

  constructor(options: WorkflowCatalogOptions) {
    this.#store = options.store;
    this.#actions = options.actions;
    this.#folder = options.folder;
  }

  /** Reads the folder again; the errors say which files did not load. */
  async reload(): Promise<WorkflowFileError[]> {
    if (this.#folder === undefined) {
      return [];
    }
    const loaded = await loadWorkflowFolder(this.#folder, this.#actions);
    this.#files = new Map(loaded.workflows.map((entry) => [entry.workflow.name, entry]));
    this.#fileErrors = loaded.errors;
    return loaded.errors;
  }

  /** Every workflow that loads, files first then API ones by name, and what did not load; `db` reads in a caller's transaction. */
  async list(db: Queryable = this.#store): Promise<{ workflows: WorkflowEntry[]; errors: WorkflowLoadError[] }> {
    const workflows: WorkflowEntry[] = [...this.#files.values()];
    const errors: WorkflowLoadError[] = this.#fileErrors.map((error) => ({ source: 'file', file: error.file, message: error.message }));
    for (const stored of await listStoredWorkflows(db)) {
      const file = this.#files.get(stored.name);
      if (file !== undefined) {
        // Saved before the file appeared: the file wins, and the stored copy is shown as shadowed.
        errors.push({ source: 'api', name: stored.name, message: `workflow ${quote(stored.name)} saved through the API is shadowed by the file ${fileOf(file)}` });
        continue;
      }
      try {
        workflows.push({ workflow: parseWorkflow(stored.source, `workflow ${stored.name}`, this.#actions), text: stored.source, updatedAt: stored.updatedAt });
      } catch (error) {
        errors.push({ source: 'api', name: stored.name, message: error instanceof Error ? error.message : String(error) });
      }
    }
    return { workflows, errors };
  }

  /** One workflow by name, or its text and why it no longer loads (a stored one whose action is gone). */
  async get(name: string): Promise<WorkflowEntry | BrokenWorkflow | undefined> {
    const file = this.#files.get(name);
    if (file !== undefined) {
      return file;
    }
    const stored = await loadStoredWorkflow(this.#store, name);
    if (stored === undefined) {
      return undefined;
    }
    try {
      return { workflow: parseWorkflow(stored.source, `workflow ${stored.name}`, this.#actions), text: stored.source, updatedAt: stored.updatedAt };
    } catch (error) {
      return { name, text: stored.source, updatedAt: stored.updatedAt, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Checks and saves `text` as workflow `name`; the name in the text must be `name`. */
  async put(name: string, text: string, origin = 'body'): Promise<SaveOutcome> {
    const file = this.#files.get(name);
    if (file !== undefined) {
      return { kind: 'file', file: fileOf(file) };
    }
    const workflow = parseWorkflow(text, origin, this.#actions);
    if (workflow.name !== name) {
      throw invalidInput(`${origin}: name ${quote(workflow.name)} does not match the name in the path, ${quote(name)}`);
    }
    const saved = await saveStoredWorkflow(this.#store, name, text);
    return { kind: 'saved', entry: { workflow, text: saved.source, updatedAt: saved.updatedAt }, created: saved.created };
  }

  async delete(name: string): Promise<DeleteOutcome> {
    const file = this.#files.get(name);
    if (file !== undefined) {
      return { kind: 'file', file: fileOf(file) };
    }
    return (await deleteStoredWorkflow(this.#store, name)) ? { kind: 'deleted' } : { kind: 'missing' };
  }
}

function fileOf(entry: LoadedWorkflowFile): string {
  return entry.workflow.source.kind === 'file' ? entry.workflow.source.file : entry.workflow.name;
}
