import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Workflow } from '../types.ts';
import { parseWorkflow } from './parseWorkflow.ts';
import type { Actions } from './parseWorkflow.ts';

/** Workflows provisioned as files: every *.yaml and *.yml of one folder; a bad file never stops the others. */

export interface WorkflowFileError {
  file: string;
  message: string;
}

export interface LoadedWorkflowFile {
  workflow: Workflow;
  /** The file's text, comments included. */
  text: string;
}

export interface WorkflowFolder {
  workflows: LoadedWorkflowFile[];
  errors: WorkflowFileError[];
}

// Far more than any workflow needs; stops a stray large file from being read whole.
const MAX_FILE_BYTES = 1024 * 1024;

export async function loadWorkflowFolder(dir: string, actions: Actions): Promise<WorkflowFolder> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => /\.ya?ml$/i.test(name)).sort();
  } catch (error) {
    return { workflows: [], errors: [{ file: dir, message: `workflow folder ${dir} cannot be read: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const workflows: LoadedWorkflowFile[] = [];
  const errors: WorkflowFileError[] = [];
  const files = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const text = await readText(file, name);
      const workflow = parseWorkflow(text, name, actions, { kind: 'file', file });
      const earlier = files.get(workflow.name);
      if (earlier !== undefined) {
        throw new Error(`${name}: workflow name ${JSON.stringify(workflow.name)} is already used by ${path.basename(earlier)}: names must be unique`);
      }
      files.set(workflow.name, file);
      workflows.push({ workflow, text });
    } catch (error) {
      errors.push({ file, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { workflows, errors };
}

async function readText(file: string, name: string): Promise<string> {
  try {
    const size = (await stat(file)).size;
    if (size > MAX_FILE_BYTES) {
      throw new Error(`is ${size} bytes; a workflow file may have at most ${MAX_FILE_BYTES}`);
    }
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${name}: cannot be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
