import { expect, test } from '@playwright/test';
import { testIds } from '../../src/components/testIds';
import {
  BROKEN_WORKFLOW_MESSAGE,
  DRAFT_CRON_ERROR,
  DRAFT_DESCRIPTION,
  DRAFT_NO_LLM,
} from '../../src/datasource/testing/workflowFixtures';
import { accessibilityViolations, openAppPage, savePageScreenshot } from './appPage';

const ids = testIds.workflows;

test.describe('Workflows page in Chromium', () => {
  test('lists workflows with their load errors, runs with step status, and pending approvals (dark)', async ({
    page,
  }) => {
    const errors = await openAppPage(page, 'dark', 'storm', '/workflows');
    const rows = page.getByTestId(ids.row);
    await expect(rows).toHaveCount(4);
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

    // Its manual trigger takes inputs: the dry run asks for them in the run form first.
    await editor.getByTestId(ids.dryRun).click();
    const form = editor.getByTestId(ids.runForm);
    await expect(form.getByRole('heading', { name: 'Dry run restart-payments' })).toBeVisible();
    await form.getByLabel('reason').fill('payments pods are stuck');
    const dry = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/restart-payments/runs'));
    await form.getByRole('button', { name: 'Dry run with these inputs' }).click();
    expect((await dry).postDataJSON()).toEqual({ dryRun: true, inputs: { reason: 'payments pods are stuck' } });
    await expect(editor.getByTestId(ids.runForm)).toHaveCount(0);
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

  test('runs a workflow with inputs from its form, follows the waiting run, and cancels it (light)', async ({
    page,
  }) => {
    const errors = await openAppPage(page, 'light', 'storm', '/workflows?workflow=scale-service');
    const editor = page.getByTestId(ids.editor);
    await editor.getByTestId(ids.start).click();
    const form = editor.getByTestId(ids.runForm);
    await expect(form.getByRole('heading', { name: 'Run scale-service' })).toBeVisible();
    await expect(form.getByLabel('replicas')).toHaveValue('4');
    await expect(form.getByLabel('namespace')).toHaveValue('shop');
    await expect(form.getByRole('switch', { name: 'notify' })).toBeChecked();
    await expect(form).toContainText('The change ticket, for the audit trail · pattern: ^[A-Z]+-[0-9]+$');

    // Required fields are checked before anything is sent.
    await form.getByLabel('replicas').fill('');
    await form.getByTestId(ids.runFormSubmit).click();
    await expect(form).toContainText('service is required');
    await expect(form).toContainText('replicas is required');

    await form.getByRole('combobox', { name: 'service' }).click();
    await page.getByRole('option', { name: 'payments' }).click();
    await form.getByLabel('replicas').fill('6');
    await form.getByLabel('ticket').fill('ops 1234');
    await form.getByLabel('labels').fill('{"team": "payments"}');
    // The engine checks the pattern: its 400 names the input, shown as is at it.
    await form.getByTestId(ids.runFormSubmit).click();
    const message = 'body/inputs/ticket must match pattern "^[A-Z]+-[0-9]+$"';
    await expect(form.getByTestId(ids.runFormProblem)).toContainText(message);
    await expect(form.getByLabel('ticket')).toHaveAttribute('aria-invalid', 'true');
    await form.scrollIntoViewIfNeeded();
    await savePageScreenshot(page, 'workflows-run-form-light');
    expect(await accessibilityViolations(page)).toEqual([]);

    await form.getByLabel('ticket').fill('OPS-1234');
    const post = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/scale-service/runs'));
    await form.getByTestId(ids.runFormSubmit).click();
    expect((await post).postDataJSON()).toEqual({
      dryRun: false,
      inputs: {
        service: 'payments',
        replicas: 6,
        namespace: 'shop',
        ticket: 'OPS-1234',
        notify: true,
        labels: { team: 'payments' },
      },
    });
    await expect(page).toHaveURL(/run=run-\d+-scale-service/);
    await expect(editor).toContainText(/Run run-\d+-scale-service started: its steps are under Recent runs/);

    const run = page.getByTestId(ids.run);
    await expect(run.getByRole('heading', { name: 'Run of scale-service' })).toBeVisible();
    await expect(run.getByTestId(ids.runInputs)).toHaveText(
      'Inputs: service=payments · replicas=6 · namespace=shop · ticket=OPS-1234 · notify=true · labels={"team":"payments"}'
    );
    const steps = run.getByTestId(ids.runStep);
    await expect(steps.nth(0).getByRole('cell').nth(2)).toHaveText('succeeded');
    await expect(steps.nth(1).getByTestId(ids.stepHold)).toHaveText(
      /^Waits until \d{4}-\d\d-\d\d [\d:]{8} \(in 15 min\)$/
    );
    await expect(run.getByTestId(ids.audit)).toContainText('step waiting');
    await run.scrollIntoViewIfNeeded();
    await savePageScreenshot(page, 'workflows-run-waiting-light');

    await run.getByTestId(ids.cancelRun).click();
    await run.getByLabel('Reason for cancelling').fill('wrong service');
    const cancel = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/cancel'));
    await run.getByTestId(ids.cancelConfirm).click();
    expect((await cancel).postDataJSON()).toEqual({ reason: 'wrong service' });
    await expect(run.getByTestId(ids.cancelStatus)).toHaveText(
      'Cancelled: no further step starts, and its pending approvals are withdrawn.'
    );
    await expect(run.getByTestId(ids.runStep).getByRole('cell', { name: 'cancelled', exact: true })).toHaveCount(3);
    await expect(run.getByTestId(ids.cancelRun)).toHaveCount(0);
    await expect(run.getByTestId(ids.audit)).toContainText(/run cancelled.*from=running · reason=wrong service/);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors, 'errors thrown in the page').toEqual([]);
  });

  test('a run that ended meanwhile answers the cancel with the engine’s 409, as is', async ({ page }) => {
    await openAppPage(page, 'dark', 'slow', '/workflows');
    await page
      .getByTestId(ids.runRow)
      .nth(1)
      .getByRole('button', { name: /^Open the run of restart-payments/ })
      .click({ timeout: 10_000 });
    const run = page.getByTestId(ids.run);
    await run.getByTestId(ids.cancelRun).click({ timeout: 10_000 });
    await run.getByTestId(ids.cancelConfirm).click();
    await expect(run.getByTestId(ids.cancelStatus)).toContainText(
      'already ended (succeeded); only queued, running or waiting runs can be cancelled',
      { timeout: 10_000 }
    );
  });

  test('drafts a workflow from words for review, and saves it only when asked (dark)', async ({ page }) => {
    const errors = await openAppPage(page, 'dark', 'storm', '/workflows');
    await page.getByTestId(ids.draftOpen).click();
    const draft = page.getByTestId(ids.draft);
    await draft.getByLabel('Describe the workflow').fill(DRAFT_DESCRIPTION);
    const puts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT') {
        puts.push(r.url());
      }
    });
    const post = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/workflows/draft'));
    await draft.getByTestId(ids.draftSubmit).click();
    expect((await post).postDataJSON()).toEqual({ description: DRAFT_DESCRIPTION });

    await expect(draft.getByTestId(ids.draftStatus)).toContainText('A draft, not saved');
    await expect(draft.getByTestId(ids.draftStatus)).toContainText('Drafted by gpt-4o-mini (5610 tokens)');
    const text = draft.getByLabel('Drafted definition (YAML)');
    await expect(text).toHaveValue(/^name: checkout-morning-check\n/);
    const steps = draft.getByTestId(ids.draftStep);
    await expect(steps).toHaveCount(2);
    await expect(steps.nth(0)).toContainText('Inspect the last 1h: checkout p95 latency (s) (prometheus, last < 0.5)');
    await expect(steps.nth(0)).toContainText('runs unattended');
    await expect(steps.nth(1)).toContainText('side effect: the policy decides');
    await expect(draft).toContainText('Saves it as checkout-morning-check; the engine checks it first.');
    await draft.scrollIntoViewIfNeeded();
    await savePageScreenshot(page, 'workflows-draft');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(puts, 'nothing saved before Save workflow').toEqual([]);

    // Edited before saving: the text as edited is what is saved.
    await text.fill((await text.inputValue()).replace('cron: "0 8 * * *"', 'cron: "0 7 * * 1-5"'));
    const put = page.waitForRequest((r) => r.method() === 'PUT');
    await draft.getByTestId(ids.draftSave).click();
    const sent = await put;
    expect(sent.url()).toMatch(/\/engine\/api\/v1\/workflows\/checkout-morning-check$/);
    expect(sent.postData()).toContain('cron: "0 7 * * 1-5"');
    await expect(draft.getByTestId(ids.draftStatus)).toHaveText(
      'Saved as workflow checkout-morning-check: it is open in the editor below.'
    );
    await expect(page).toHaveURL(/workflow=checkout-morning-check/);
    await expect(page.getByTestId(ids.editor).getByLabel('Definition (YAML or JSON)')).toHaveValue(
      /cron: "0 7 \* \* 1-5"/
    );
    expect(errors, 'errors thrown in the page').toEqual([]);
  });

  test('marks the line a draft’s error names, and says when the engine has no LLM (light)', async ({ page }) => {
    await openAppPage(page, 'light', 'storm', '/workflows');
    await page.getByTestId(ids.draftOpen).click();
    const draft = page.getByTestId(ids.draft);
    await draft.getByLabel('Describe the workflow').fill('every weekday at 8 check checkout latency and tell #ops');
    await draft.getByTestId(ids.draftSubmit).click();
    await expect(draft.getByTestId(ids.draftErrors)).toContainText(DRAFT_CRON_ERROR);
    await expect(draft.getByTestId(ids.errorLine)).toHaveText('5');
    await expect(draft.getByTestId(ids.draftStatus)).toContainText('its first draft did not check');
    expect(await accessibilityViolations(page)).toEqual([]);

    await openAppPage(page, 'light', 'quiet', '/workflows');
    await page.getByTestId(ids.draftOpen).click();
    const bare = page.getByTestId(ids.draft);
    await bare.getByLabel('Describe the workflow').fill(DRAFT_DESCRIPTION);
    await bare.getByTestId(ids.draftSubmit).click();
    await expect(bare.getByTestId(ids.draftStatus)).toContainText(DRAFT_NO_LLM);
    await expect(bare.getByRole('link', { name: 'Set the LLM in Settings' })).toHaveAttribute(
      'href',
      '/a/intelops-aiops-app/settings'
    );
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
