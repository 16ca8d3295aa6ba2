import { dirname } from 'node:path';
import { defineConfig } from '@playwright/test';
import type { PluginOptions } from '@grafana/plugin-e2e';

// Debian's Chromium: Playwright's own browser download does not work on these machines.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

const grafanaUrl = process.env.GRAFANA_URL;

// Printed once, by the main process (workers load this file too).
if (!grafanaUrl && process.env.TEST_WORKER_INDEX === undefined) {
  console.warn(
    [
      '',
      '*** In-Grafana tests (tests/grafana, @grafana/plugin-e2e) are SKIPPED: GRAFANA_URL is not set.',
      '*** Start Grafana with this plugin (e.g. `docker compose up`) and run `GRAFANA_URL=http://localhost:3000 npx playwright test`.',
      '',
    ].join('\n')
  );
}

const grafanaAdmin = {
  user: process.env.GRAFANA_ADMIN_USER ?? 'admin',
  password: process.env.GRAFANA_ADMIN_PASSWORD ?? 'admin',
};

const pluginE2eAuth = `${dirname(require.resolve('@grafana/plugin-e2e'))}/auth`;

export default defineConfig<PluginOptions>({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: 2,
  timeout: 30_000,
  reporter: process.env.CI ? 'list' : [['list'], ['html', { open: 'never' }]],
  use: {
    launchOptions: chromium,
    trace: 'retain-on-failure',
    baseURL: grafanaUrl,
    // Grafana's admin login for the in-Grafana tests (plugin-e2e logs in once and reuses the session).
    user: grafanaAdmin,
    grafanaAPICredentials: grafanaAdmin,
  },
  projects: [
    {
      name: 'browser',
      testDir: './tests/browser',
      // Twice the pixels: the screenshots in docs/screenshots stay sharp in the README.
      use: { viewport: { width: 1400, height: 900 }, deviceScaleFactor: 2 },
    },
    // Without GRAFANA_URL the in-Grafana tests are listed as skipped, with the reason, and need no login.
    ...(grafanaUrl
      ? [
          { name: 'auth', testDir: pluginE2eAuth, testMatch: [/.*\.js/] },
          {
            name: 'grafana',
            testDir: './tests/grafana',
            // A real Grafana: panel edits and provisioned dashboards take longer than the harness pages.
            timeout: 60_000,
            use: { storageState: 'playwright/.auth/admin.json' },
            dependencies: ['auth'],
          },
        ]
      : [{ name: 'grafana', testDir: './tests/grafana' }]),
  ],
  globalSetup: require.resolve('./tests/browser/globalSetup'),
});
