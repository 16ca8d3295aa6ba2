import React, { useEffect, useId, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, Button, Field, IconButton, Input, Stack, Text, useStyles2 } from '@grafana/ui';
import { EngineLoading, ReadErrorAlert } from '../EngineReadStates/EngineReadStates';
import { formatTime } from '../IncidentTable/formatting';
import { TableHead } from '../TableHead/TableHead';
import { tableStyles } from '../tableStyles';
import { testIds } from '../testIds';
import { WorkflowStatus } from '../WorkflowStatus/WorkflowStatus';
import {
  auditDetailText,
  auditEventText,
  dryRunResult,
  inputsText,
  jsonText,
  stepHold,
  stepHoldText,
} from '../../services/workflowsFormat';
import { isOpenRun, type RunDetail, type RunStep } from '../../services/workflowsRuns';
import type { ReadView } from '../../pages/Workflows/useEngineRead';
import type { CancelView } from '../../pages/Workflows/useRunCancel';

const STEP_COLUMNS = [
  { label: 'Step' },
  { label: 'Action' },
  { label: 'Status' },
  { label: 'Attempts' },
  { label: 'Finished' },
  { label: 'Output or error' },
];
const AUDIT_COLUMNS = [{ label: 'When' }, { label: 'Who' }, { label: 'What' }, { label: 'Step' }, { label: 'Detail' }];

interface Props {
  view: ReadView<RunDetail>;
  timeZone: string;
  onReload: () => void;
  onClose: () => void;
  /** Cancelling this run: what the last request came to. */
  cancel: CancelView;
  onCancel: (reason: string) => void;
}

/** One run: its steps with outputs or errors, its approvals and its audit trail (secrets redacted by the engine). */
export function WorkflowRunDetail({ view, timeZone, onReload, onClose, cancel, onCancel }: Props) {
  switch (view.phase) {
    case 'loading':
      return <EngineLoading testId={testIds.workflows.run} text="Loading the run from the engine…" />;
    case 'no-datasource':
      return null;
    case 'error':
      return (
        <div data-testid={testIds.workflows.run}>
          <ReadErrorAlert
            title="Could not load the run"
            message={view.message}
            datasource={view.datasource}
            onRetry={onReload}
          />
        </div>
      );
    case 'data':
      return (
        <Run
          run={view.value}
          refreshError={view.refreshError}
          timeZone={timeZone}
          onClose={onClose}
          cancel={cancel}
          onCancel={onCancel}
        />
      );
  }
}

function time(value: string | null, timeZone: string): string {
  return value === null ? '' : formatTime(Date.parse(value), timeZone);
}

function Run({
  run,
  refreshError,
  timeZone,
  onClose,
  cancel,
  onCancel,
}: {
  run: RunDetail;
  refreshError?: string;
  timeZone: string;
  onClose: () => void;
  cancel: CancelView;
  onCancel: (reason: string) => void;
}) {
  const styles = useStyles2(getStyles);
  const headingId = `run-${run.id}`;
  return (
    <section className={styles.section} aria-labelledby={headingId} data-testid={testIds.workflows.run}>
      <Stack direction="column" gap={2}>
        <Stack direction="row" justifyContent="space-between" alignItems="center">
          <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
            <Text element="h3" variant="h4" id={headingId}>
              Run of {run.workflow}
            </Text>
            <WorkflowStatus status={run.status} />
            {run.dryRun && <Badge color="blue" text="dry run" />}
          </Stack>
          <IconButton name="times" aria-label="Close the run" onClick={onClose} />
        </Stack>
        <Text color="secondary" variant="bodySmall">
          {`Triggered by ${run.trigger} at ${time(run.createdAt, timeZone)}`}
          {run.finishedAt
            ? `, finished ${time(run.finishedAt, timeZone)}`
            : isOpenRun(run.status)
              ? ', still going on'
              : ''}
          {` · run ${run.id}`}
        </Text>
        {Object.keys(run.inputs).length > 0 && (
          <Text variant="bodySmall" data-testid={testIds.workflows.runInputs}>
            {`Inputs: ${inputsText(run.inputs)}`}
          </Text>
        )}
        {refreshError && (
          <Alert severity="warning" title="Could not refresh the run">
            {refreshError}
          </Alert>
        )}
        <CancelRun key={run.id} open={isOpenRun(run.status)} view={cancel} onCancel={onCancel} />
        <Steps steps={run.steps} timeZone={timeZone} />
        {run.approvals.length > 0 && (
          <div>
            <Text element="h4" variant="h5">
              Approvals
            </Text>
            <ul className={styles.list}>
              {run.approvals.map((approval) => (
                <li key={approval.id}>
                  <WorkflowStatus status={approval.state} /> {approval.stepId}: {approval.what}
                  {approval.decidedBy &&
                    ` — ${approval.state} by ${approval.decidedBy} at ${time(approval.decidedAt, timeZone)}`}
                  {approval.reason && ` (“${approval.reason}”)`}
                </li>
              ))}
            </ul>
          </div>
        )}
        <Audit run={run} timeZone={timeZone} />
      </Stack>
    </section>
  );
}

function StepResult({ step }: { step: RunStep }) {
  const styles = useStyles2(getStyles);
  if (step.error) {
    return <Text color="error">{step.error}</Text>;
  }
  const dry = dryRunResult(step);
  if (dry) {
    return <span>{`Would: ${dry.description}${dry.needsApproval ? ' (waits for approval)' : ''}`}</span>;
  }
  const output = jsonText(step.output);
  if (output === '') {
    return null;
  }
  return (
    <details>
      <summary>Output</summary>
      <pre className={styles.json}>{output}</pre>
    </details>
  );
}

/** How often "in 12 min" is said again. */
const CLOCK_MS = 10_000;

/** The time now, read again every `everyMs`: what a wait's "in 12 min" counts from. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** A step's status; a pending step with a time to go on says when: a wait step's end, or its next retry. */
function StepStatus({ step, timeZone, now }: { step: RunStep; timeZone: string; now: number }) {
  const hold = stepHold(step);
  if (hold === undefined) {
    return <WorkflowStatus status={step.status} />;
  }
  return (
    <span data-testid={testIds.workflows.stepHold}>
      <Badge
        color={hold.kind === 'wait' ? 'blue' : 'orange'}
        icon={hold.kind === 'wait' ? 'clock-nine' : 'sync'}
        text={stepHoldText(hold, now, (ms) => formatTime(ms, timeZone))}
      />
    </span>
  );
}

/** Stops an open run: an optional reason for the audit trail, then a second press to confirm. */
function CancelRun({ open, view, onCancel }: { open: boolean; view: CancelView; onCancel: (reason: string) => void }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const sending = view.phase === 'sending';
  const status = (
    <div role="status" data-testid={testIds.workflows.cancelStatus}>
      <CancelStatus view={view} />
    </div>
  );
  if (!open) {
    return status;
  }
  if (!asking) {
    return (
      <Stack direction="column" gap={1}>
        <div>
          <Button
            variant="destructive"
            fill="outline"
            icon="ban"
            size="sm"
            onClick={() => setAsking(true)}
            data-testid={testIds.workflows.cancelRun}
          >
            Cancel run
          </Button>
        </div>
        {status}
      </Stack>
    );
  }
  return (
    <Stack direction="column" gap={1}>
      <Stack direction="row" gap={1} alignItems="flex-end" wrap="wrap">
        <Field label="Reason for cancelling" description="Optional; kept in the run's audit trail" htmlFor={reasonId}>
          <Input
            id={reasonId}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            disabled={sending}
            width={48}
          />
        </Field>
        <Stack direction="row" gap={1}>
          <Button
            variant="destructive"
            icon="ban"
            onClick={() => onCancel(reason)}
            disabled={sending}
            data-testid={testIds.workflows.cancelConfirm}
          >
            {sending ? 'Cancelling…' : 'Cancel the run'}
          </Button>
          <Button variant="secondary" onClick={() => setAsking(false)} disabled={sending}>
            Keep it running
          </Button>
        </Stack>
      </Stack>
      {status}
    </Stack>
  );
}

function CancelStatus({ view }: { view: CancelView }) {
  switch (view.phase) {
    case 'idle':
    case 'sending':
      return null;
    case 'cancelled':
      return <Text color="success">Cancelled: no further step starts, and its pending approvals are withdrawn.</Text>;
    case 'refused':
      return (
        <Alert severity="warning" title="Not cancelled">
          {view.message}
        </Alert>
      );
    case 'failed':
      return (
        <Alert severity="error" title="Not sent">
          {view.message}
        </Alert>
      );
  }
}

function Steps({ steps, timeZone }: { steps: RunStep[]; timeZone: string }) {
  const table = useStyles2(tableStyles, 'top');
  const now = useNow(CLOCK_MS);
  return (
    <div className={table.scroller}>
      <table className={table.table}>
        <caption className="sr-only">Steps of the run</caption>
        <TableHead columns={STEP_COLUMNS} />
        <tbody>
          {steps.map((step) => (
            <tr key={step.id} data-testid={testIds.workflows.runStep}>
              <td>{step.id}</td>
              <td>{step.action}</td>
              <td>
                <StepStatus step={step} timeZone={timeZone} now={now} />
              </td>
              <td>{step.attempt}</td>
              <td>{time(step.finishedAt, timeZone)}</td>
              <td>
                <StepResult step={step} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Audit({ run, timeZone }: { run: RunDetail; timeZone: string }) {
  const table = useStyles2(tableStyles, 'top');
  const styles = useStyles2(getStyles);
  return (
    <div data-testid={testIds.workflows.audit}>
      <Text element="h4" variant="h5">
        Audit trail
      </Text>
      <div className={table.scroller}>
        <table className={table.table}>
          <caption className="sr-only">Audit trail of the run</caption>
          <TableHead columns={AUDIT_COLUMNS} />
          <tbody>
            {run.audit.map((entry, index) => (
              <tr key={`${entry.at}-${index}`}>
                <td className={styles.nowrap}>{time(entry.at, timeZone)}</td>
                <td>{entry.actor}</td>
                <td className={styles.nowrap}>{auditEventText(entry.event)}</td>
                <td>{entry.stepId ?? ''}</td>
                <td className={styles.detail}>{auditDetailText(entry.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    section: css({
      padding: theme.spacing(2),
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
    }),
    list: css({ paddingLeft: theme.spacing(2), li: { marginTop: theme.spacing(0.5) } }),
    json: css({
      maxHeight: 240,
      overflow: 'auto',
      fontSize: theme.typography.bodySmall.fontSize,
      margin: theme.spacing(0.5, 0, 0),
    }),
    nowrap: css({ whiteSpace: 'nowrap' }),
    detail: css({
      color: theme.colors.text.secondary,
      fontSize: theme.typography.bodySmall.fontSize,
      wordBreak: 'break-word',
    }),
  };
}
