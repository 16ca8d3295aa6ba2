import { startHarness } from './harnessServer';

/** Bundles and serves the panel harness for tests/browser; Playwright passes HARNESS_URL to the workers. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const harness = await startHarness();
  process.env.HARNESS_URL = harness.url;
  return harness.stop;
}
