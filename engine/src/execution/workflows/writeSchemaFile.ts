import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WORKFLOW_SCHEMA_FILE, workflowSchemaText } from './schema.ts';

// Writes engine/schemas/workflow.schema.json from the TypeBox schema, for editors that validate workflow YAML.
await mkdir(path.dirname(WORKFLOW_SCHEMA_FILE), { recursive: true });
await writeFile(WORKFLOW_SCHEMA_FILE, workflowSchemaText());
process.stdout.write(`wrote ${WORKFLOW_SCHEMA_FILE}\n`);
