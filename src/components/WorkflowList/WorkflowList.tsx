import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Field, Input, Stack, Text, useStyles2 } from '@grafana/ui';
import { EngineLoading, NoDatasourceAlert, ReadErrorAlert } from '../EngineReadStates/EngineReadStates';
import { TableHead } from '../TableHead/TableHead';
import { tableStyles } from '../tableStyles';
import { testIds } from '../testIds';
import { WORKFLOW_NAME, type WorkflowList as List } from '../../services/workflows';
import { loadErrorText, sourceText, triggerText } from '../../services/workflowsFormat';
import type { ReadView } from '../../pages/Workflows/useEngineRead';

const COLUMNS = [
  { label: 'Workflow' },
  { label: 'Description' },
  { label: 'Triggers' },
  { label: 'Steps' },
  { label: 'Defined in' },
];

interface Props {
  view: ReadView<List>;
  selected?: string;
  onSelect: (name: string) => void;
  onCreate: (name: string) => void;
  onReload: () => void;
  /** Where the engine reads its workflow folder from, for the empty state. */
  engineUrl: string;
}

/** The workflows the engine knows, the files that did not load, and a way to start a new one. */
export function WorkflowList({ view, selected, onSelect, onCreate, onReload, engineUrl }: Props) {
  switch (view.phase) {
    case 'loading':
      return <EngineLoading testId={testIds.workflows.listLoading} text="Loading the workflows from the engine…" />;
    case 'no-datasource':
      return (
        <div data-testid={testIds.workflows.listError}>
          <NoDatasourceAlert>
            Workflows live in the engine, reached through an IntelOps datasource: add one first.
          </NoDatasourceAlert>
        </div>
      );
    case 'error':
      return (
        <div data-testid={testIds.workflows.listError}>
          <ReadErrorAlert
            title="Could not load the workflows"
            message={view.message}
            datasource={view.datasource}
            onRetry={onReload}
          />
        </div>
      );
    case 'data':
      return (
        <Stack direction="column" gap={2}>
          {view.refreshError && (
            <Alert severity="warning" title="Could not refresh the workflows">
              {view.refreshError}
            </Alert>
          )}
          <LoadErrors errors={view.value.errors} />
          {view.value.workflows.length === 0 ? (
            <div data-testid={testIds.workflows.listEmpty}>
              <Text element="p" color="secondary">
                No workflows yet. Put YAML files in the engine&apos;s workflow folder (INTELOPS_WORKFLOWS_DIR) or create
                one here: the engine at {engineUrl} checks each against its schema and says which line is wrong.
              </Text>
            </div>
          ) : (
            <WorkflowTable list={view.value} selected={selected} onSelect={onSelect} />
          )}
          <NewWorkflow names={view.value.workflows.map((workflow) => workflow.name)} onCreate={onCreate} />
        </Stack>
      );
  }
}

function WorkflowTable({
  list,
  selected,
  onSelect,
}: {
  list: List;
  selected?: string;
  onSelect: (name: string) => void;
}) {
  const styles = useStyles2(tableStyles, 'top');
  const own = useStyles2(getStyles);
  return (
    <div className={styles.scroller} data-testid={testIds.workflows.list}>
      <table className={styles.table}>
        <caption className="sr-only">Workflows</caption>
        <TableHead columns={COLUMNS} />
        <tbody>
          {list.workflows.map((workflow) => (
            <tr
              key={workflow.name}
              data-testid={testIds.workflows.row}
              className={workflow.name === selected ? own.selected : undefined}
              aria-current={workflow.name === selected ? 'true' : undefined}
            >
              <td>
                <Button variant="primary" fill="text" size="sm" onClick={() => onSelect(workflow.name)}>
                  {workflow.name}
                </Button>
              </td>
              <td>{workflow.description ?? ''}</td>
              <td>{workflow.triggers.map(triggerText).join(', ')}</td>
              <td>{workflow.steps}</td>
              <td className={own.source}>{sourceText(workflow.source)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LoadErrors({ errors }: { errors: List['errors'] }) {
  if (errors.length === 0) {
    return null;
  }
  return (
    <div data-testid={testIds.workflows.loadErrors}>
      <Alert
        severity="warning"
        title={`${errors.length} workflow${errors.length === 1 ? '' : 's'} did not load; the others run`}
      >
        <ul>
          {errors.map((error) => (
            <li key={`${error.file ?? error.name ?? ''}:${error.message}`}>{loadErrorText(error)}</li>
          ))}
        </ul>
      </Alert>
    </div>
  );
}

/** The problem with a new name, or undefined when the engine would take it. */
export function newNameProblem(name: string, existing: string[]): string | undefined {
  if (name === '') {
    return undefined;
  }
  if (!WORKFLOW_NAME.test(name)) {
    return 'Use lower-case letters, digits and dashes (at most 63), starting with a letter or digit.';
  }
  return existing.includes(name) ? `A workflow named ${name} exists: open it from the list.` : undefined;
}

function NewWorkflow({ names, onCreate }: { names: string[]; onCreate: (name: string) => void }) {
  const [name, setName] = useState('');
  const trimmed = name.trim();
  const problem = newNameProblem(trimmed, names);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (trimmed !== '' && problem === undefined) {
      onCreate(trimmed);
      setName('');
    }
  };
  return (
    <form onSubmit={submit} aria-label="New workflow">
      <Field
        label="New workflow"
        description="Its name, used in the API and in runs. The engine checks the definition against engine/schemas/workflow.schema.json."
        invalid={problem !== undefined}
        error={problem}
      >
        <Input
          value={name}
          placeholder="nightly-report"
          onChange={(event) => setName(event.currentTarget.value)}
          data-testid={testIds.workflows.newName}
          width={40}
          addonAfter={
            <Button
              type="submit"
              icon="plus"
              variant="secondary"
              disabled={trimmed === '' || problem !== undefined}
              data-testid={testIds.workflows.create}
            >
              Create
            </Button>
          }
        />
      </Field>
    </form>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    selected: css({ background: theme.colors.action.selected }),
    source: css({ color: theme.colors.text.secondary, wordBreak: 'break-all' }),
  };
}
