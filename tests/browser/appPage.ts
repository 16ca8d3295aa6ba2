import { expect, type Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SCREENSHOT_DIR } from './panelPage';

export type Theme = 'dark' | 'light';

/** What the engine double answers, by datasource uid (see engineDouble.ts). */
export type EngineScene = 'storm' | 'slow' | 'quiet' | 'down';

export const APP = '/a/intelops-aiops-app';

export function pageUrl(theme: Theme, engine: EngineScene, path: string): string {
  const base = process.env.HARNESS_URL;
  if (!base) {
    throw new Error('HARNESS_URL is not set: the Playwright globalSetup (tests/browser/globalSetup.ts) did not run');
  }
  return `${base}/${theme}/${engine}${APP}${path}`;
}

/** Opens an app page in the harness (real plugin code, Grafana UI, the browser's router) and fails on page errors. */
export async function openAppPage(page: Page, theme: Theme, engine: EngineScene, path: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(pageUrl(theme, engine, path));
  await expect(page.locator(`#harness[data-theme="${theme}"]`)).toBeVisible();
  return errors;
}

/** docs/screenshots/<name>.png of the page as a person sees it in the viewport. */
export async function savePageScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled' });
}

// axe-core as @axe-core/playwright pins it; injected directly because that package types a newer Playwright's Page.
const AXE_SCRIPT = require.resolve('axe-core/axe.min.js', {
  paths: [dirname(require.resolve('@axe-core/playwright'))],
});

/** axe's WCAG violations inside `selector`, as "rule: element, element" lines; empty when none. */
export async function accessibilityViolations(page: Page, selector = '#harness'): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  return page.evaluate(async (context) => {
    const results = await window.axe.run(context);
    return results.violations.map((v) => `${v.id}: ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  }, selector);
}

declare global {
  interface Window {
    axe: typeof import('axe-core');
  }
}
