import React, { useId, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Field, Input, Stack, Text, useStyles2 } from '@grafana/ui';
import { EngineLoading, ReadErrorAlert } from '../EngineReadStates/EngineReadStates';
import { formatTime, formatTimeAgo } from '../IncidentTable/formatting';
import { testIds } from '../testIds';
import { WorkflowStatus } from '../WorkflowStatus/WorkflowStatus';
import type { Approval, Decision } from '../../services/workflowsRuns';
import { approvalsShown, type DecisionState, type DecisionStates } from '../../pages/Workflows/useApprovalDecisions';
import type { ReadView } from '../../pages/Workflows/useEngineRead';

interface Props {
  view: ReadView<Approval[]>;
  decisions: DecisionStates;
  onDecide: (id: string, decision: Decision, reason: string) => void;
  onOpenRun: (runId: string) => void;
  onReload: () => void;
  timeZone: string;
}

/** Side-effecting steps waiting for a person: what will be done, to what, since when and until when. */
export function WorkflowApprovals({ view, decisions, onDecide, onOpenRun, onReload, timeZone }: Props) {
  switch (view.phase) {
    case 'loading':
      return (
        <EngineLoading testId={testIds.workflows.approvalsLoading} text="Loading pending approvals from the engine…" />
      );
    case 'no-datasource':
      return null;
    case 'error':
      return (
        <div data-testid={testIds.workflows.approvalsError}>
          <ReadErrorAlert
            title="Could not load the approvals"
            message={view.message}
            datasource={view.datasource}
            onRetry={onReload}
          />
        </div>
      );
    case 'data': {
      const shown = approvalsShown(view.value, decisions);
      return (
        <Stack direction="column" gap={1.5}>
          {view.refreshError && (
            <Alert severity="warning" title="Could not refresh the approvals">
              {view.refreshError}
            </Alert>
          )}
          {shown.length === 0 ? (
            <div data-testid={testIds.workflows.approvalsEmpty}>
              <Text element="p" color="secondary">
                No step is waiting for approval. Steps with side effects that the engine&apos;s policy does not let run
                unattended, and steps marked approval: required, wait here for a person.
              </Text>
            </div>
          ) : (
            shown.map((approval) => (
              <ApprovalCard
                key={approval.id}
                approval={approval}
                decision={decisions[approval.id]}
                onDecide={onDecide}
                onOpenRun={onOpenRun}
                timeZone={timeZone}
              />
            ))
          )}
        </Stack>
      );
    }
  }
}

function DecisionText({ state, timeZone }: { state?: DecisionState; timeZone: string }) {
  if (state === undefined) {
    return null;
  }
  switch (state.phase) {
    case 'sending':
      return <Text color="secondary">{state.decision === 'approve' ? 'Approving…' : 'Rejecting…'}</Text>;
    case 'decided': {
      const { approval } = state;
      const when = approval.decidedAt ? ` at ${formatTime(Date.parse(approval.decidedAt), timeZone)}` : '';
      return (
        <Text color={approval.state === 'approved' ? 'success' : 'primary'}>
          {`${approval.state === 'approved' ? 'Approved' : 'Rejected'} by ${approval.decidedBy ?? 'you'}${when}`}
          {approval.reason ? `: “${approval.reason}”` : ''}
        </Text>
      );
    }
    case 'failed':
      return (
        <Alert severity="error" title={state.decision === 'approve' ? 'Not approved' : 'Not rejected'}>
          {state.message}
        </Alert>
      );
  }
}

function ApprovalCard({
  approval,
  decision,
  onDecide,
  onOpenRun,
  timeZone,
}: {
  approval: Approval;
  decision?: DecisionState;
  onDecide: Props['onDecide'];
  onOpenRun: Props['onOpenRun'];
  timeZone: string;
}) {
  const styles = useStyles2(getStyles);
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const requested = Date.parse(approval.requestedAt);
  const expires = Date.parse(approval.expiresAt);
  const pending = approval.state === 'pending' && decision?.phase !== 'decided';
  const sending = decision?.phase === 'sending';
  return (
    <article
      className={styles.card}
      aria-label={`Approval of ${approval.workflow} step ${approval.stepId}`}
      data-testid={testIds.workflows.approval}
    >
      <Stack direction="column" gap={1}>
        <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
          <WorkflowStatus status={decision?.phase === 'decided' ? decision.approval.state : approval.state} />
          <Text weight="medium">{approval.what}</Text>
        </Stack>
        <Text color="secondary" variant="bodySmall">
          {`Workflow ${approval.workflow}, step ${approval.stepId} · requested ${formatTime(requested, timeZone)} (${formatTimeAgo(requested, timeZone)}) · expires ${formatTime(expires, timeZone)}`}
        </Text>
        <div>
          <Button fill="text" size="sm" icon="eye" onClick={() => onOpenRun(approval.runId)}>
            Open the run
          </Button>
        </div>
        {pending && (
          <Stack direction="row" gap={1} alignItems="flex-end" wrap="wrap">
            <Field
              label="Reason"
              description="Kept in the run's audit trail"
              htmlFor={reasonId}
              className={styles.reason}
            >
              <Input
                id={reasonId}
                value={reason}
                onChange={(event) => setReason(event.currentTarget.value)}
                disabled={sending}
                width={48}
              />
            </Field>
            <div className={styles.buttons}>
              <Stack direction="row" gap={1}>
                <Button icon="check" onClick={() => onDecide(approval.id, 'approve', reason)} disabled={sending}>
                  Approve
                </Button>
                <Button
                  icon="times"
                  variant="destructive"
                  onClick={() => onDecide(approval.id, 'reject', reason)}
                  disabled={sending}
                >
                  Reject
                </Button>
              </Stack>
            </div>
          </Stack>
        )}
        <div role="status" data-testid={testIds.workflows.approvalStatus}>
          <DecisionText state={decision} timeZone={timeZone} />
        </div>
      </Stack>
    </article>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    card: css({
      padding: theme.spacing(1.5, 2),
      border: `1px solid ${theme.colors.border.weak}`,
      borderLeft: `3px solid ${theme.colors.warning.border}`,
      borderRadius: theme.shape.radius.default,
      background: theme.colors.background.secondary,
    }),
    reason: css({ marginBottom: 0 }),
    buttons: css({ paddingBottom: 0 }),
  };
}
