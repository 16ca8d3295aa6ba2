import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';

const SRC = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(path);
    }
    return /\.(ts|tsx|js|jsx)$/.test(entry.name) ? [path] : [];
  });
}

// Browser code = everything under src/ that webpack may bundle; tests and test helpers are not bundled.
const browserFiles = sourceFiles(SRC).filter(
  (path) => !/\.test\.(ts|tsx)$/.test(path) && !path.split(/[\\/]/).includes('testing')
);

describe('the engine token stays out of browser code', () => {
  it('finds the browser sources it checks', () => {
    expect(browserFiles.map((path) => relative(SRC, path))).toEqual(
      expect.arrayContaining(['module.tsx', join('datasource', 'datasource.ts'), join('datasource', 'module.ts')])
    );
  });

  it('only the ConfigEditor touches secureJsonData or the engine token', () => {
    const offenders = browserFiles
      .filter((path) => !path.endsWith(join('datasource', 'components', 'ConfigEditor.tsx')))
      .filter((path) => /secureJsonData|engineToken/i.test(readFileSync(path, 'utf8')))
      .map((path) => relative(SRC, path));
    expect(offenders).toEqual([]);
  });

  it('no browser code sets an Authorization header itself', () => {
    const offenders = browserFiles
      .filter((path) => /authorization|bearer /i.test(readFileSync(path, 'utf8')))
      .map((path) => relative(SRC, path));
    expect(offenders).toEqual([]);
  });

  it('the token reaches the engine only through the plugin.json route, from secureJsonData', () => {
    const pluginJson = JSON.parse(readFileSync(join(SRC, 'datasource', 'plugin.json'), 'utf8'));
    expect(pluginJson.routes).toEqual([
      {
        path: 'engine',
        method: '*',
        url: '{{ .JsonData.engineUrl }}',
        headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.engineToken }}' }],
      },
    ]);
  });
});
