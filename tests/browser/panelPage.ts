import { expect, type Locator, type Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const SCREENSHOT_DIR = resolve(__dirname, '..', '..', 'docs', 'screenshots');

function harnessUrl(): string {
  const url = process.env.HARNESS_URL;
  if (!url) {
    throw new Error('HARNESS_URL is not set: the Playwright globalSetup (tests/browser/globalSetup.ts) did not run');
  }
  return url;
}

/** Opens the harness with one panel in both themes and returns the panel in the given theme. */
export async function openPanel(page: Page, panel: string, data: string, theme: 'dark' | 'light'): Promise<Locator> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${harnessUrl()}/?panel=${panel}&data=${data}`);
  const themed = page.locator(`[data-theme="${theme}"]`);
  await expect(themed).toBeVisible();
  expect(errors, 'errors thrown in the page').toEqual([]);
  return themed;
}

/** docs/screenshots/<name>.png: both themes side by side, as the README shows them. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.locator('#harness').screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled' });
}
