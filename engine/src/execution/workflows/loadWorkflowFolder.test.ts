import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../../testing/temp.ts';
import type { TempDir } from '../../testing/temp.ts';
import { loadWorkflowFolder } from './loadWorkflowFolder.ts';
import { TEST_ACTIONS } from './testActions.ts';

const workflow = (name: string, action = 'slack') => `# ${name}
name: ${name}
triggers: [{ on: incident.created }]
steps:
  - id: post
    action: ${action}
    with: { channel: "#ops", text: "{{ incident.title }}" }
`;

describe('loadWorkflowFolder', () => {
  let dir: TempDir;

  before(async () => {
    dir = await tempDir('workflows');
    await writeFile(path.join(dir.path, 'a-notify.yaml'), workflow('notify'));
    await writeFile(path.join(dir.path, 'b-typo.yml'), workflow('typo', 'slak'));
    await writeFile(path.join(dir.path, 'c-broken.yaml'), 'name: [unclosed\n');
    await writeFile(path.join(dir.path, 'd-again.yaml'), workflow('notify'));
    await writeFile(path.join(dir.path, 'e-report.YAML'), workflow('report'));
    await writeFile(path.join(dir.path, 'notes.md'), '# not a workflow');
    await mkdir(path.join(dir.path, 'f-folder.yaml'));
    await writeFile(path.join(dir.path, 'g-large.yaml'), `# ${'x'.repeat(1024 * 1024 - 2)}\n`);
  });
  after(async () => {
    await dir.remove();
  });

  it('loads every good file, and says what is wrong with each bad one', async () => {
    const loaded = await loadWorkflowFolder(dir.path, TEST_ACTIONS);
    assert.deepEqual(
      loaded.workflows.map(({ workflow: { name, source } }) => [name, source]),
      [
        ['notify', { kind: 'file', file: path.join(dir.path, 'a-notify.yaml') }],
        ['report', { kind: 'file', file: path.join(dir.path, 'e-report.YAML') }],
      ]
    );
    assert.equal(loaded.workflows[0]?.text, workflow('notify'));
    assert.deepEqual(
      loaded.errors.map((error) => [path.basename(error.file), error.message]),
      [
        ['b-typo.yml', 'b-typo.yml line 6: steps/0/action "slak" is not an action (known: grafana_annotation, inspection, slack)'],
        ['c-broken.yaml', 'c-broken.yaml line 2, column 1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
        ['d-again.yaml', 'd-again.yaml: workflow name "notify" is already used by a-notify.yaml: names must be unique'],
        ['f-folder.yaml', 'f-folder.yaml: cannot be read: EISDIR: illegal operation on a directory, read'],
        ['g-large.yaml', `g-large.yaml: cannot be read: is ${1024 * 1024 + 1} bytes; a workflow file may have at most ${1024 * 1024}`],
      ]
    );
  });

  it('reports a folder it cannot read instead of failing', async () => {
    const missing = path.join(dir.path, 'missing');
    const loaded = await loadWorkflowFolder(missing, TEST_ACTIONS);
    assert.deepEqual(loaded.workflows, []);
    assert.equal(loaded.errors.length, 1);
    assert.match(loaded.errors[0]?.message ?? '', /^workflow folder .*missing cannot be read: ENOENT/);
  });
});
