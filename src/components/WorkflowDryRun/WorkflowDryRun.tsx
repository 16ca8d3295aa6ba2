import React from 'react';
import { Alert, Badge, Stack, Text, useStyles2 } from '@grafana/ui';
import { TableHead } from '../TableHead/TableHead';
import { tableStyles } from '../tableStyles';
import { testIds } from '../testIds';
import { WorkflowStatus } from '../WorkflowStatus/WorkflowStatus';
import { dryRunResult } from '../../services/workflowsFormat';
import type { RunStep } from '../../services/workflowsRuns';
import type { DryRunView } from '../../pages/Workflows/useDryRun';
import { EngineLoading } from '../EngineReadStates/EngineReadStates';

const COLUMNS = [{ label: 'Step' }, { label: 'Action' }, { label: 'Status' }, { label: 'What it would do' }];

/** What each step of a dry run would do, and whether a person would have to approve it; nothing was done. */
export function WorkflowDryRun({ view }: { view: DryRunView }) {
  switch (view.phase) {
    case 'idle':
      return null;
    case 'starting':
      return <EngineLoading testId={testIds.workflows.dryRunResult} text={`Starting a dry run of ${view.workflow}…`} />;
    case 'failed':
      return (
        <div data-testid={testIds.workflows.dryRunResult}>
          <Alert severity="error" title={`The dry run of ${view.workflow} did not run`}>
            {view.message}
          </Alert>
        </div>
      );
    case 'running':
      return (
        <div data-testid={testIds.workflows.dryRunResult}>
          <Stack direction="column" gap={1}>
            <Text color="secondary">Dry run of {view.workflow} going on: steps appear as the engine renders them…</Text>
            {view.run && <DryRunSteps steps={view.run.steps} />}
          </Stack>
        </div>
      );
    case 'done':
      return (
        <div data-testid={testIds.workflows.dryRunResult}>
          <Stack direction="column" gap={1}>
            <Text element="h4" variant="h5">
              Dry run of {view.workflow}: <WorkflowStatus status={view.run.status} />
            </Text>
            <Text color="secondary" variant="bodySmall">
              Nothing was sent: each step was rendered with the run&apos;s context and checked, and the policy said
              whether it would wait for approval.
            </Text>
            <DryRunSteps steps={view.run.steps} />
          </Stack>
        </div>
      );
  }
}

function DryRunSteps({ steps }: { steps: RunStep[] }) {
  const styles = useStyles2(tableStyles, 'top');
  return (
    <div className={styles.scroller}>
      <table className={styles.table}>
        <caption className="sr-only">What each step would do</caption>
        <TableHead columns={COLUMNS} />
        <tbody>
          {steps.map((step) => {
            const result = dryRunResult(step);
            return (
              <tr key={step.id} data-testid={testIds.workflows.dryRunStep}>
                <td>{step.id}</td>
                <td>{step.action}</td>
                <td>
                  <WorkflowStatus status={step.status} />
                </td>
                <td>
                  {result ? (
                    <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
                      <span>{result.description}</span>
                      {result.needsApproval ? (
                        <Badge color="orange" icon="lock" text="would wait for approval" />
                      ) : (
                        <Badge color="darkgrey" text="runs unattended" />
                      )}
                    </Stack>
                  ) : (
                    (step.error ?? '')
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
