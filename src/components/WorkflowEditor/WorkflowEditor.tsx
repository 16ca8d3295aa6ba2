import React, { useId } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, ConfirmButton, Stack, Text, useStyles2 } from '@grafana/ui';
import { EngineLoading, ReadErrorAlert } from '../EngineReadStates/EngineReadStates';
import { formatTime } from '../IncidentTable/formatting';
import { testIds } from '../testIds';
import { sourceText } from '../../services/workflowsFormat';
import type { EditorAction, EditorView } from '../../pages/Workflows/useWorkflowEditor';
import { YamlEditor } from './YamlEditor';

interface Props {
  view: EditorView;
  timeZone: string;
  onEdit: (text: string) => void;
  onSave: () => void;
  onDelete: () => void;
  onDryRun: () => void;
  /** Opens the run form; undefined when the workflow has no manual trigger (it cannot be run by hand). */
  onRun?: () => void;
  onReload: () => void;
  /** A dry run of this workflow is being started or followed. */
  dryRunning: boolean;
  /** The dry run's result, under the buttons. */
  children?: React.ReactNode;
}

/** One workflow's YAML with Save, Delete and Dry run; the engine's refusal is shown at the line it names. */
export function WorkflowEditor(props: Props) {
  const { view, onReload } = props;
  switch (view.phase) {
    case 'loading':
      return <EngineLoading testId={testIds.workflows.editorLoading} text="Loading the workflow from the engine…" />;
    case 'no-datasource':
      return null;
    case 'error':
      return (
        <div data-testid={testIds.workflows.editorError}>
          <ReadErrorAlert
            title="Could not load the workflow"
            message={view.message}
            datasource={view.datasource}
            onRetry={onReload}
          />
        </div>
      );
    case 'editing':
      return <Editing {...props} view={view} />;
  }
}

function Editing({
  view,
  timeZone,
  onEdit,
  onSave,
  onDelete,
  onDryRun,
  onRun,
  dryRunning,
  children,
}: Props & { view: Extract<EditorView, { phase: 'editing' }> }) {
  const styles = useStyles2(getStyles);
  const textId = useId();
  const statusId = useId();
  const { definition, action } = view;
  const fromFile = definition?.source.kind === 'file';
  const busy = action.kind === 'saving' || action.kind === 'deleting';
  const changed = view.text !== view.savedText;
  const errorLine = action.kind === 'refused' ? action.line : undefined;
  return (
    <section className={styles.section} aria-labelledby={`${textId}-heading`} data-testid={testIds.workflows.editor}>
      <Stack direction="column" gap={1.5}>
        <div>
          <Text element="h3" variant="h4" id={`${textId}-heading`}>
            {definition ? `Workflow ${view.name}` : `New workflow ${view.name}`}
          </Text>
          <Text color="secondary" variant="bodySmall">
            {definition
              ? `${sourceText(definition.source)}${definition.updatedAt ? `, saved ${formatTime(Date.parse(definition.updatedAt), timeZone)}` : ''}`
              : 'Not saved yet: Save sends it to the engine, which checks it before keeping it.'}
          </Text>
        </div>
        {fromFile && definition?.source.kind === 'file' && (
          <Alert severity="info" title="Defined by a file of the engine's workflow folder">
            {definition.source.file} is read-only here: change it in the folder and the engine reads it again. A dry run
            shows what it would do.
          </Alert>
        )}
        {definition?.error && (
          <Alert severity="warning" title="This saved workflow no longer loads">
            {definition.error}
          </Alert>
        )}
        <label htmlFor={textId} className={styles.label}>
          Definition (YAML or JSON)
        </label>
        <YamlEditor
          id={textId}
          value={view.text}
          onChange={onEdit}
          readOnly={fromFile || busy}
          errorLine={errorLine}
          describedBy={action.kind === 'refused' ? statusId : undefined}
        />
        <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
          {!fromFile && (
            <Button
              onClick={onSave}
              disabled={busy || (!changed && definition !== undefined)}
              data-testid={testIds.workflows.save}
            >
              {action.kind === 'saving' ? 'Saving…' : 'Save'}
            </Button>
          )}
          {onRun && definition !== undefined && (
            <Button
              variant="secondary"
              icon="play"
              onClick={onRun}
              disabled={busy}
              tooltip={changed ? 'A run runs the saved version: save the changes first to run them' : undefined}
              data-testid={testIds.workflows.start}
            >
              Run
            </Button>
          )}
          <Button
            variant="secondary"
            icon="eye"
            onClick={onDryRun}
            disabled={definition === undefined || dryRunning || busy}
            tooltip={changed ? 'A dry run runs the saved version: save the changes first to try them' : undefined}
            data-testid={testIds.workflows.dryRun}
          >
            {dryRunning ? 'Dry run going…' : 'Dry run'}
          </Button>
          {!fromFile && definition !== undefined && (
            <span data-testid={testIds.workflows.remove}>
              <ConfirmButton
                onConfirm={onDelete}
                confirmText={`Delete ${view.name}`}
                confirmVariant="destructive"
                disabled={busy}
                size="md"
              >
                {action.kind === 'deleting' ? 'Deleting…' : 'Delete'}
              </ConfirmButton>
            </span>
          )}
        </Stack>
        <div id={statusId} role="status" data-testid={testIds.workflows.status}>
          <ActionStatus action={action} />
        </div>
        {children}
      </Stack>
    </section>
  );
}

function ActionStatus({ action }: { action: EditorAction }) {
  switch (action.kind) {
    case 'idle':
    case 'saving':
    case 'deleting':
      return null;
    case 'saved':
      return <Text color="success">Saved in the engine.</Text>;
    case 'deleted':
      return <Text color="success">Deleted from the engine.</Text>;
    case 'refused':
      return (
        <Alert
          severity="error"
          title={action.line ? `The engine refused it at line ${action.line}` : 'The engine refused it'}
        >
          {action.message}
        </Alert>
      );
    case 'failed':
      return (
        <Alert severity="error" title="Not sent">
          {action.message}
        </Alert>
      );
  }
}

function getStyles(theme: GrafanaTheme2) {
  return {
    section: css({ marginTop: theme.spacing(2) }),
    label: css({
      fontSize: theme.typography.bodySmall.fontSize,
      fontWeight: theme.typography.fontWeightMedium,
      color: theme.colors.text.primary,
      marginBottom: 0,
    }),
  };
}
