// What Grafana loads: dist/ after `npm run build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { APP_ID, DATASOURCE_ID, PANEL_IDS, repoRoot } from './repo.ts';

const dist = join(repoRoot, 'dist');

type PluginJson = {
  id: string;
  type: string;
  backend?: boolean;
  info: { logos: { small: string; large: string } };
  includes?: Array<{ type: string; path?: string; name: string }>;
  dependencies?: { grafanaDependency?: string };
  routes?: Array<{ path: string; url: string; headers?: Array<{ name: string; content: string }> }>;
};

const readPlugin = (relativePath: string): PluginJson => JSON.parse(readFileSync(join(dist, relativePath), 'utf8'));

test('dist/ exists (run `npm run build` first)', { skip: existsSync(dist) ? false : 'dist/ not built' }, () => {});

test('the app includes the nested datasource and three panels, each loadable', () => {
  const app = readPlugin('plugin.json');
  assert.equal(app.id, APP_ID);
  assert.equal(app.type, 'app');
  assert.ok(!app.backend, 'the app has no Go backend');
  assert.equal(app.dependencies?.grafanaDependency, '>=12.3.0');
  assert.ok(existsSync(join(dist, 'module.js')));

  const nested = (app.includes ?? []).filter((i) => i.type === 'datasource' || i.type === 'panel');
  const found = nested.map((include) => {
    assert.ok(include.path, `include ${include.name} has no path`);
    const plugin = readPlugin(include.path);
    const folder = dirname(include.path);
    assert.equal(plugin.type, include.type, `${include.path} has type ${plugin.type}`);
    assert.ok(existsSync(join(dist, folder, 'module.js')), `${folder}/module.js is missing`);
    for (const logo of new Set([plugin.info.logos.small, plugin.info.logos.large])) {
      assert.ok(existsSync(join(dist, folder, logo)), `${folder}/${logo} is missing`);
    }
    return plugin.id;
  });
  assert.deepEqual(found.sort(), [DATASOURCE_ID, ...PANEL_IDS].sort());
});

test('the datasource reaches the engine only through a data-proxy route with the secret token', () => {
  const app = readPlugin('plugin.json');
  const include = (app.includes ?? []).find((i) => i.type === 'datasource');
  assert.ok(include?.path);
  const datasource = readPlugin(include.path);
  const route = datasource.routes?.find((r) => r.path === 'engine');
  assert.ok(route, 'no "engine" route');
  assert.equal(route.url, '{{ .JsonData.engineUrl }}');
  const auth = route.headers?.find((h) => h.name === 'Authorization');
  assert.equal(auth?.content, 'Bearer {{ .SecureJsonData.engineToken }}');
});
