import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvalidInput } from '../invalidInput.ts';
import { tempDir } from '../testing/temp.ts';
import type { TempDir } from '../testing/temp.ts';
import { cmdbFromYamlTexts, loadCmdbFiles, mergeCmdb } from './cmdbFiles.ts';

const DEMO_CMDB = path.resolve(import.meta.dirname, '../../../deploy/cmdb');

/** The message of the InvalidInput `run` throws. */
function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof InvalidInput, String(error));
    return error.message;
  }
  assert.fail('expected an InvalidInput');
}

describe('loadCmdbFiles', () => {
  let dir: TempDir;
  before(async () => {
    dir = await tempDir('cmdb-files');
  });
  after(() => dir.remove());

  it('reads every YAML file of a folder, in name order, services split across files and documents', async () => {
    await writeFile(path.join(dir.path, 'b-orders.yml'), 'services:\n  - name: checkout\n    dependsOn: [payment]\n---\nname: payment\nteam: money\n');
    await writeFile(path.join(dir.path, 'a-web.yaml'), 'services:\n  - name: web\n    dependsOn: [checkout, search]\n');
    await writeFile(path.join(dir.path, 'notes.txt'), 'not: [yaml');
    const { cmdb, warnings } = await loadCmdbFiles(dir.path);
    assert.deepEqual(
      cmdb.services.map((service) => service.name),
      ['web', 'checkout', 'payment']
    );
    assert.deepEqual(warnings, ['"search" is not in the CMDB but "web" depends on it: it is kept as a service without details']);
  });

  it('loads the demo shop shipped in deploy/cmdb without warnings', async () => {
    const { cmdb, warnings } = await loadCmdbFiles(DEMO_CMDB);
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      cmdb.services.map((service) => service.name).sort(),
      ['ad', 'cart', 'checkout', 'currency', 'email', 'frontend', 'payment', 'productcatalog', 'recommendation', 'redis', 'shipping']
    );
    for (const service of cmdb.services) {
      assert.ok(service.owner !== undefined && service.team !== undefined && service.tier !== undefined && service.capability !== undefined, service.name);
    }
    assert.deepEqual(cmdb.services.find((service) => service.name === 'cart')?.dependsOn, ['redis']);
  });

  it('names the folder when it cannot be read, and warns when it holds no YAML', async () => {
    await assert.rejects(loadCmdbFiles(path.join(dir.path, 'missing')), (error: unknown) => error instanceof InvalidInput && error.message.startsWith(`CMDB folder ${path.join(dir.path, 'missing')} cannot be read: ENOENT`));
    const empty = await tempDir('cmdb-empty');
    try {
      assert.deepEqual(await loadCmdbFiles(empty.path), { cmdb: { services: [] }, warnings: [`CMDB folder ${empty.path} holds no .yaml or .yml files`] });
    } finally {
      await empty.remove();
    }
  });
});

describe('cmdbFromYamlTexts errors', () => {
  it('gives file, line and field path of a schema error', () => {
    const text = 'services:\n  - name: web\n  - name: db\n    tier: 3\n';
    assert.equal(failure(() => cmdbFromYamlTexts([{ file: 'cmdb/shop.yaml', text }])), 'cmdb/shop.yaml line 4: services/1/tier must be string');
  });

  it('names an unknown key with the keys allowed, at the key’s line', () => {
    const text = 'services:\n  - name: web\n\n    dependson: [db]\n';
    assert.equal(
      failure(() => cmdbFromYamlTexts([{ file: 'shop.yaml', text }])),
      'shop.yaml line 4: services/0 has unknown key "dependson" (allowed: name, owner, team, tier, capability, customerFacing, dependsOn, labels, aliases)'
    );
    assert.equal(failure(() => cmdbFromYamlTexts([{ file: 'shop.yaml', text: 'service:\n  - name: web\n' }])), 'shop.yaml line 1: (top level) has unknown key "service" (allowed: services)');
  });

  it('reports a missing name and a label of the wrong type', () => {
    assert.equal(failure(() => cmdbFromYamlTexts([{ file: 'a.yaml', text: 'services:\n  - team: web\n' }])), 'a.yaml line 2: services/0 must have the key "name"');
    assert.equal(
      failure(() => cmdbFromYamlTexts([{ file: 'a.yaml', text: 'services:\n  - name: web\n    labels:\n      service_name: [web]\n' }])),
      'a.yaml line 4: services/0/labels/service_name must be string'
    );
  });

  it('gives line and column of a YAML syntax error', () => {
    assert.equal(
      failure(() => cmdbFromYamlTexts([{ file: 'a.yaml', text: 'services:\n  - name: web\n    dependsOn: [db\n' }])),
      'a.yaml line 4, column 1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'
    );
    assert.equal(failure(() => cmdbFromYamlTexts([{ file: 'a.yaml', text: 'services:\n  - name: a\n    name: b\n' }])), 'a.yaml line 3, column 5: not valid YAML: Map keys must be unique');
    assert.equal(failure(() => cmdbFromYamlTexts([{ file: 'a.yaml', text: '- name: web\n' }])), 'a.yaml line 1: a CMDB file holds a mapping with "services: [...]" or one service (name, owner, dependsOn…)');
  });

  it('names both files of a duplicate service', () => {
    assert.equal(
      failure(() =>
        cmdbFromYamlTexts([
          { file: 'a.yaml', text: 'services:\n  - name: web\n  - name: db\n' },
          { file: 'b.yaml', text: '# the database\nservices:\n  - name: db\n' },
        ])
      ),
      'b.yaml line 3 (services/0/name) "db" is already the name of a.yaml line 3 (services/1): service names must be unique'
    );
  });

  it('refuses an alias naming another service, and one alias for two services', () => {
    assert.equal(
      failure(() => cmdbFromYamlTexts([{ file: 'a.yaml', text: 'services:\n  - name: web\n  - name: db\n    aliases: [postgres, web]\n' }])),
      'a.yaml line 4 (services/1/aliases/1) "web" is the name of a.yaml line 2 (services/0): an alias must name one service only'
    );
    assert.equal(
      failure(() => cmdbFromYamlTexts([{ file: 'a.yaml', text: 'name: web\naliases: [www]\n' }, { file: 'b.yaml', text: 'name: proxy\naliases: [www]\n' }])),
      'b.yaml line 2 (aliases/0) "www" is already an alias at a.yaml line 2 (aliases/0): an alias must name one service only'
    );
  });

  it('warns about self dependencies with file and line', () => {
    const { cmdb, warnings } = cmdbFromYamlTexts([{ file: 'a.yaml', text: 'services:\n  - name: web\n    dependsOn: [web]\n' }]);
    assert.deepEqual(cmdb.services[0]?.dependsOn, []);
    assert.deepEqual(warnings, ['a.yaml line 2 (services/0) ("web") depends on itself; that dependency is ignored']);
  });
});

describe('mergeCmdb', () => {
  it('takes the files as the base and the stored CMDB on top, per service', () => {
    const files = {
      services: [
        { name: 'web', team: 'files', aliases: ['www', 'frontend'] },
        { name: 'db', team: 'files' },
      ],
    };
    const stored = { services: [{ name: 'db', team: 'api' }, { name: 'frontend-v2', aliases: ['frontend'] }] };
    assert.deepEqual(mergeCmdb(files, stored), {
      services: [
        { name: 'web', team: 'files', aliases: ['www'] },
        { name: 'db', team: 'api' },
        { name: 'frontend-v2', aliases: ['frontend'] },
      ],
    });
    assert.deepEqual(mergeCmdb(undefined, undefined), { services: [] });
    assert.deepEqual(mergeCmdb(files, undefined), files);
  });
});
