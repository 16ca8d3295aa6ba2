import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, Button, Text, useStyles2 } from '@grafana/ui';
import { EngineLoading, ReadErrorAlert } from '../EngineReadStates/EngineReadStates';
import { formatDuration, formatTime } from '../IncidentTable/formatting';
import { TableHead } from '../TableHead/TableHead';
import { tableStyles } from '../tableStyles';
import { testIds } from '../testIds';
import { WorkflowStatus } from '../WorkflowStatus/WorkflowStatus';
import { triggerText } from '../../services/workflowsFormat';
import type { RunSummary } from '../../services/workflowsRuns';
import type { ReadView } from '../../pages/Workflows/useEngineRead';

const COLUMNS = [
  { label: 'Started' },
  { label: 'Workflow' },
  { label: 'Trigger' },
  { label: 'Status' },
  { label: 'Took' },
  { label: 'Run' },
];

interface Props {
  view: ReadView<RunSummary[]>;
  selected?: string;
  onSelect: (id: string) => void;
  onReload: () => void;
  timeZone: string;
}

/** Recent runs, newest first, each opening its steps and audit trail. */
export function WorkflowRuns({ view, selected, onSelect, onReload, timeZone }: Props) {
  switch (view.phase) {
    case 'loading':
      return <EngineLoading testId={testIds.workflows.runsLoading} text="Loading recent runs from the engine…" />;
    case 'no-datasource':
      return null;
    case 'error':
      return (
        <div data-testid={testIds.workflows.runsError}>
          <ReadErrorAlert
            title="Could not load the runs"
            message={view.message}
            datasource={view.datasource}
            onRetry={onReload}
          />
        </div>
      );
    case 'data':
      return (
        <>
          {view.refreshError && (
            <Alert severity="warning" title="Could not refresh the runs">
              {view.refreshError}
            </Alert>
          )}
          {view.value.length === 0 ? (
            <div data-testid={testIds.workflows.runsEmpty}>
              <Text element="p" color="secondary">
                No runs yet. Workflows run when their trigger fires (an incident, its root causes, a change, a schedule)
                or by hand; a dry run shows what one would do without doing it.
              </Text>
            </div>
          ) : (
            <RunTable runs={view.value} selected={selected} onSelect={onSelect} timeZone={timeZone} />
          )}
        </>
      );
  }
}

function took(run: RunSummary): string {
  if (run.finishedAt === null) {
    return '';
  }
  return formatDuration(Date.parse(run.finishedAt) - Date.parse(run.createdAt));
}

function RunTable({
  runs,
  selected,
  onSelect,
  timeZone,
}: {
  runs: RunSummary[];
  selected?: string;
  onSelect: (id: string) => void;
  timeZone: string;
}) {
  const styles = useStyles2(tableStyles, 'middle');
  const own = useStyles2(getStyles);
  return (
    <div className={styles.scroller} data-testid={testIds.workflows.runs}>
      <table className={styles.table}>
        <caption className="sr-only">Recent workflow runs</caption>
        <TableHead columns={COLUMNS} />
        <tbody>
          {runs.map((run) => (
            <tr
              key={run.id}
              data-testid={testIds.workflows.runRow}
              className={run.id === selected ? own.selected : undefined}
              aria-current={run.id === selected ? 'true' : undefined}
            >
              <td className={own.nowrap}>{formatTime(Date.parse(run.createdAt), timeZone)}</td>
              <td>{run.workflow}</td>
              <td>{triggerText({ on: run.trigger })}</td>
              <td className={own.nowrap}>
                <WorkflowStatus status={run.status} /> {run.dryRun && <Badge color="blue" text="dry run" />}
              </td>
              <td>{took(run)}</td>
              <td>
                <Button
                  size="sm"
                  variant="secondary"
                  fill="outline"
                  onClick={() => onSelect(run.id)}
                  aria-label={`Open the run of ${run.workflow} started ${formatTime(Date.parse(run.createdAt), timeZone)}`}
                >
                  Open
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    selected: css({ background: theme.colors.action.selected }),
    nowrap: css({ whiteSpace: 'nowrap' }),
  };
}
