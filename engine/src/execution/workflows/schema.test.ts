import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { WORKFLOW_SCHEMA_FILE, workflowSchemaText } from './schema.ts';

describe('the published workflow JSON schema', () => {
  it('is the TypeBox schema as it is now (run `npm run schemas -w engine` after changing it)', async () => {
    assert.equal(await readFile(WORKFLOW_SCHEMA_FILE, 'utf8'), workflowSchemaText());
  });

  it('validates workflow YAML as an editor would', async () => {
    const schema: unknown = JSON.parse(await readFile(WORKFLOW_SCHEMA_FILE, 'utf8'));
    assert.ok(typeof schema === 'object' && schema !== null);
    const validate = new Ajv({ strict: true }).compile(schema);
    const good: unknown = parse('name: daily-report\ntriggers: [{ on: schedule, cron: "0 7 * * *" }]\nsteps:\n  - id: post\n    action: slack\n    with: { text: hi }\n    retries: 2\n');
    assert.equal(validate(good), true, JSON.stringify(validate.errors));
    const bad: unknown = parse('name: daily-report\ntriggers: [{ on: scheduled }]\nsteps: [{ id: post, action: slack, approval: maybe }]\n');
    assert.equal(validate(bad), false);
    assert.deepEqual(validate.errors?.map((error) => error.instancePath), ['/triggers/0/on']);
  });
});
