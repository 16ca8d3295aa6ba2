import { expect, test } from '@playwright/test';
import { testIds } from '../../src/components/testIds';
import { BROKEN_WORKFLOW_MESSAGE } from '../../src/datasource/testing/workflowFixtures';
import { accessibilityViolations, openAppPage, savePageScreenshot } from './appPage';

const ids = testIds.workflows;

test.describe('Workflows page in Chromium', () => {
  test('lists workflows with their load errors, runs with step status, and pending approvals (dark)', async ({
    page,
  }) => {
    const errors = await openAppPage(page, 'dark', 'storm', '/workflows');
    const rows = page.getByTestId(ids.row);
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0).getByRole('cell')).toHaveText([
      'checkout-response',
      'Tell #ops about checkout incidents, inspect latency and annotate the dashboards',
      'incident created, manual',
      '3',
      'file /etc/intelops/workflows/checkout-response.yaml',
    ]);
    await expect(rows.nth(2).getByRole('cell').nth(2)).toHaveText('schedule 0 7 * * 1-5 (Europe/Berlin)');
    await expect(page.getByTestId(ids.loadErrors)).toContainText(BROKEN_WORKFLOW_MESSAGE);
    await expect(page.getByTestId(ids.pendingBadge)).toHaveText('2 pending approvals');

    const approvals = page.getByTestId(ids.approval);
    await expect(approvals).toHaveCount(2);
    await expect(approvals.nth(1)).toContainText(
      'Run remediation: POST https://rundeck.internal/api/41/job/restart-payments/run with a JSON body with secret RUNDECK_TOKEN in headers'
    );
    await expect(approvals.nth(1)).toContainText(
      /Workflow restart-payments, step restart · requested .* \(12 minutes ago\) · expires /
    );

    const runs = page.getByTestId(ids.runRow);
    await expect(runs).toHaveCount(5);
    await expect(runs.nth(4).getByRole('cell').nth(3)).toHaveText('failed');
    await runs
      .nth(4)
      .getByRole('button', { name: /^Open the run of morning-inspection/ })
      .click();
    await expect(page).toHaveURL(/run=e2c4a6b8/);
    const run = page.getByTestId(ids.run);
    await expect(run.getByRole('heading', { name: 'Run of morning-inspection' })).toBeVisible();
    await expect(run.getByTestId(ids.runStep)).toHaveCount(2);
    await expect(run.getByTestId(ids.runStep).nth(0)).toContainText(
      'needs Prometheus, which is not configured (Settings → Prometheus URL)'
    );
    await expect(run.getByTestId(ids.runStep).nth(1).getByRole('cell').nth(2)).toHaveText('pending');
    await expect(run.getByTestId(ids.audit).getByRole('row')).toHaveCount(5);
    await expect(run.getByTestId(ids.audit)).toContainText('run failed');

    await page.setViewportSize({ width: 1400, height: 2600 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await savePageScreenshot(page, 'workflows');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors, 'errors thrown in the page').toEqual([]);
  });

  test('saves a workflow, shows a refusal at its line, and dry-runs it (light)', async ({ page }) => {
    const errors = await openAppPage(page, 'light', 'storm', '/workflows?workflow=restart-payments');
    const editor = page.getByTestId(ids.editor);
    const text = editor.getByLabel('Definition (YAML or JSON)');
    await expect(text).toHaveValue(/^name: restart-payments\n/);
    await expect(editor.getByTestId(ids.save)).toBeDisabled();

    // A typo in an action: the engine names line 21; the editor marks it and selects it.
    const original = await text.inputValue();
    await text.fill(original.replace('action: remediation', 'action: remedation'));
    const put = page.waitForRequest(
      (r) => r.method() === 'PUT' && r.url().endsWith('/engine/api/v1/workflows/restart-payments')
    );
    await editor.getByTestId(ids.save).click();
    const sent = await put;
    expect(sent.headers()['content-type']).toBe('application/yaml');
    expect(sent.postData()).toContain('action: remedation');
    await expect(editor.getByTestId(ids.status)).toContainText('The engine refused it at line 21');
    await expect(editor.getByTestId(ids.status)).toContainText('steps/1/action "remedation" is not an action');
    await expect(editor.getByTestId(ids.errorLine)).toHaveText('21');
    await expect(text).toHaveAttribute('aria-invalid', 'true');
    await expect(text).toBeFocused();
    const selected = await text.evaluate((el: HTMLTextAreaElement) =>
      el.value.slice(el.selectionStart, el.selectionEnd)
    );
    expect(selected).toBe('    action: remedation');
    await editor.scrollIntoViewIfNeeded();
    await savePageScreenshot(page, 'workflows-editor-light');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Fixed: saved, with its comment kept as typed.
    await text.fill(`# restarts need a person\n${original}`);
    await expect(editor.getByTestId(ids.errorLine)).toHaveCount(0);
    await editor.getByTestId(ids.save).click();
    await expect(editor.getByTestId(ids.status)).toHaveText('Saved in the engine.');
    await expect(editor.getByTestId(ids.save)).toBeDisabled();

    await editor.getByTestId(ids.dryRun).click();
    const result = editor.getByTestId(ids.dryRunResult);
    await expect(result).toContainText('Dry run of restart-payments: succeeded');
    const steps = result.getByTestId(ids.dryRunStep);
    await expect(steps).toHaveCount(2);
    await expect(steps.nth(0)).toContainText(
      'Inspect the last 15m: payments error rate (prometheus, last < 0.05)runs unattended'
    );
    await expect(steps.nth(1)).toContainText(
      'Run remediation: POST https://rundeck.internal/api/41/job/restart-payments/run'
    );
    await expect(steps.nth(1)).toContainText('would wait for approval');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors, 'errors thrown in the page').toEqual([]);
  });

  test('keeps a file-defined workflow read-only, and follows a dry run while it goes on', async ({ page }) => {
    await openAppPage(page, 'dark', 'slow', '/workflows');
    await expect(page.getByTestId(ids.listLoading)).toHaveText('Loading the workflows from the engine…');
    await page.getByTestId(ids.list).getByRole('button', { name: 'checkout-response' }).click();
    const editor = page.getByTestId(ids.editor);
    await expect(editor).toContainText('/etc/intelops/workflows/checkout-response.yaml is read-only here', {
      timeout: 10_000,
    });
    await expect(editor.getByLabel('Definition (YAML or JSON)')).toHaveAttribute('readonly', '');
    await expect(editor.getByTestId(ids.save)).toHaveCount(0);
    await expect(editor.getByTestId(ids.remove)).toHaveCount(0);
    await editor.getByTestId(ids.dryRun).click();
    await expect(editor.getByTestId(ids.dryRun)).toHaveText('Dry run going…');
    const result = editor.getByTestId(ids.dryRunResult);
    await expect(result).toContainText('Dry run of checkout-response going on', { timeout: 10_000 });
    await expect(result).toContainText('Dry run of checkout-response: succeeded', { timeout: 15_000 });
    await expect(result.getByTestId(ids.dryRunStep)).toHaveCount(3);
  });

  test('approves with a reason, and shows the engine’s 403 as is when Grafana sends no user', async ({ page }) => {
    await openAppPage(page, 'dark', 'storm', '/workflows');
    const restart = page.getByRole('article', { name: 'Approval of restart-payments step restart' });
    await restart.getByLabel('Reason').fill('payments pods are stuck, restart approved by on-call');
    const post = page.waitForRequest((r) => r.method() === 'POST' && r.url().includes('/approvals/'));
    await restart.getByRole('button', { name: 'Approve' }).click();
    expect((await post).postDataJSON()).toEqual({ reason: 'payments pods are stuck, restart approved by on-call' });
    await expect(restart.getByTestId(ids.approvalStatus)).toContainText(
      /^Approved by admin at .*: “payments pods are stuck, restart approved by on-call”$/
    );
    await expect(restart.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    await expect(page.getByTestId(ids.pendingBadge)).toHaveText('1 pending approval');

    await openAppPage(page, 'dark', 'slow', '/workflows');
    const annotate = page.getByRole('article', { name: 'Approval of checkout-response step annotate' });
    await annotate.getByRole('button', { name: 'Reject' }).click({ timeout: 10_000 });
    await expect(annotate.getByRole('button', { name: 'Reject' })).toBeDisabled();
    await expect(annotate.getByTestId(ids.approvalStatus)).toContainText(
      'Approving or rejecting needs the Grafana user who decides, and the X-Grafana-User header is missing',
      { timeout: 10_000 }
    );
    await expect(page.getByTestId(ids.pendingBadge)).toHaveText('2 pending approvals');
  });

  test('says what the page is for when the engine has no workflows, and what failed when it is down', async ({
    page,
  }) => {
    await openAppPage(page, 'light', 'quiet', '/workflows');
    await expect(page.getByTestId(ids.listEmpty)).toContainText(
      "No workflows yet. Put YAML files in the engine's workflow folder"
    );
    await expect(page.getByTestId(ids.approvalsEmpty)).toContainText('No step is waiting for approval.');
    await expect(page.getByTestId(ids.runsEmpty)).toContainText('No runs yet.');
    await expect(page.getByTestId(ids.pendingBadge)).toBeEmpty();
    expect(await accessibilityViolations(page)).toEqual([]);

    await openAppPage(page, 'dark', 'down', '/workflows');
    await expect(page.getByTestId(ids.listError)).toContainText('Could not load the workflows');
    await expect(page.getByTestId(ids.listError)).toContainText(
      'Grafana could not reach the engine at http://engine:8686'
    );
    await expect(page.getByTestId(ids.runsError)).toContainText('Could not load the runs');
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
