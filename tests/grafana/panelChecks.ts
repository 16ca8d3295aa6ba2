import { expect, type Panel } from '@grafana/plugin-e2e';
import type { Locator, Response } from '@playwright/test';
import { testIds } from '../../src/components/testIds';
import agentTracePanel from '../../src/panels/agenttrace/plugin.json';
import evalsPanel from '../../src/panels/evals/plugin.json';
import rootCausePanel from '../../src/panels/rootcause/plugin.json';

// Each IntelOps panel draws either its view or its no-data state once the data is in.
const PANEL_VIEWS: Record<string, { container: string; empty: string }> = {
  [rootCausePanel.id]: testIds.rootCausePanel,
  [agentTracePanel.id]: testIds.agentTracePanel,
  [evalsPanel.id]: testIds.evalsPanel,
};

export const INTELOPS_PANEL_IDS = Object.keys(PANEL_VIEWS);

/** What a panel of this type draws once its data is in: an IntelOps panel's view, any other panel's content box. */
export function drawnContent(panel: Panel, panelType: string): Locator {
  const view = PANEL_VIEWS[panelType];
  if (view) {
    return panel.locator.getByTestId(view.container).or(panel.locator.getByTestId(view.empty));
  }
  return panel.getByGrafanaSelector(panel.ctx.selectors.components.Panels.Panel.content, { root: panel.locator });
}

/**
 * Waits for the panel's engine answer (2xx through Grafana's proxy), for the panel to finish loading and to draw
 * `drawn` (when given), then asserts Grafana marks no panel error: a failed query shows its message in the panel's
 * status.
 */
export async function expectPanelWithoutError(panel: Panel, answer: Promise<Response>, drawn?: Locator) {
  const response = await answer;
  expect(response.status(), `${response.url()} answered ${response.status()}`).toBeLessThan(300);
  // The loading bar's selector takes no id; its type asks for one.
  const loadingBar = panel.getByGrafanaSelector(panel.ctx.selectors.components.Panels.Panel.loadingBar(''), {
    root: panel.locator,
  });
  await expect(loadingBar).toHaveCount(0, { timeout: 15_000 });
  if (drawn) {
    await expect(drawn).toBeVisible();
  }
  await expect(panel.getErrorIcon()).toHaveCount(0);
}
