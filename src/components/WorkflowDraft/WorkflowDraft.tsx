import React, { useId, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, Button, Field, LinkButton, Stack, Text, TextArea, useStyles2 } from '@grafana/ui';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { EngineLoading } from '../EngineReadStates/EngineReadStates';
import { TableHead } from '../TableHead/TableHead';
import { tableStyles } from '../tableStyles';
import { testIds } from '../testIds';
import { YamlEditor } from '../WorkflowEditor/YamlEditor';
import { WORKFLOW_NAME } from '../../services/workflows';
import { type DraftStep, MAX_DRAFT_DESCRIPTION_CHARS, workflowNameOf } from '../../services/workflowsDraft';
import { type DraftSave, draftErrorLine, type DraftView } from '../../pages/Workflows/useWorkflowDraft';

const EXAMPLE = 'every morning check p95 latency and error rate of the checkout path and post a summary to #ops';
const STEP_COLUMNS = [{ label: 'Step' }, { label: 'Action' }, { label: 'What it would do' }];

interface Props {
  view: DraftView;
  /** The workflows the engine has: a draft is saved as a new one, never over one of these. */
  existing: string[];
  onDraft: (description: string) => void;
  onEdit: (text: string) => void;
  onSave: () => void;
  onDiscard: () => void;
}

/** Why the draft cannot be saved as it is, or undefined when its name is free. */
export function draftNameProblem(name: string | undefined, existing: string[]): string | undefined {
  if (name === undefined) {
    return 'The YAML has no name: field: add one to save the draft.';
  }
  if (!WORKFLOW_NAME.test(name)) {
    return `The name ${name} is not one the engine takes: lower-case letters, digits and dashes (at most 63).`;
  }
  return existing.includes(name)
    ? `A workflow named ${name} exists: change name: in the YAML to save the draft as a new workflow.`
    : undefined;
}

/**
 * A workflow drafted by the engine's LLM from a description in words: the YAML for review (editable), why it does
 * not check, what each step would do, and "Save workflow", which alone saves it.
 */
export function WorkflowDraft(props: Props) {
  const { view, onDraft, onDiscard } = props;
  const styles = useStyles2(getStyles);
  const [open, setOpen] = useState(false);
  const [description, setDescription] = useState('');
  const descriptionId = useId();
  const headingId = useId();
  const shown = open || view.phase !== 'idle';
  if (!shown) {
    return (
      <div>
        <Button
          variant="secondary"
          icon="ai-sparkle"
          onClick={() => setOpen(true)}
          data-testid={testIds.workflows.draftOpen}
        >
          Draft with AI
        </Button>
      </div>
    );
  }
  const trimmed = description.trim();
  const tooLong = description.length > MAX_DRAFT_DESCRIPTION_CHARS;
  const drafting = view.phase === 'drafting';
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (trimmed !== '' && !tooLong && !drafting) {
      onDraft(trimmed);
    }
  };
  const close = () => {
    onDiscard();
    setOpen(false);
  };
  return (
    <section className={styles.section} aria-labelledby={headingId} data-testid={testIds.workflows.draft}>
      <Stack direction="column" gap={1.5}>
        <Text element="h3" variant="h4" id={headingId}>
          Draft a workflow from words
        </Text>
        <form onSubmit={submit} aria-label="Describe a workflow">
          <Field
            label="Describe the workflow"
            description="The engine's LLM writes it as YAML and checks it. You review and edit it here; nothing is saved until you press Save workflow."
            htmlFor={descriptionId}
            invalid={tooLong}
            error={
              tooLong ? `At most ${MAX_DRAFT_DESCRIPTION_CHARS} characters (${description.length} now).` : undefined
            }
          >
            <TextArea
              id={descriptionId}
              value={description}
              rows={3}
              placeholder={EXAMPLE}
              onChange={(event) => setDescription(event.currentTarget.value)}
              disabled={drafting}
              data-testid={testIds.workflows.draftDescription}
            />
          </Field>
          <Stack direction="row" gap={1}>
            <Button
              type="submit"
              icon="ai-sparkle"
              disabled={trimmed === '' || tooLong || drafting}
              data-testid={testIds.workflows.draftSubmit}
            >
              {drafting ? 'Drafting…' : view.phase === 'drafted' ? 'Draft again' : 'Draft with AI'}
            </Button>
            <Button type="button" variant="secondary" onClick={close} disabled={drafting}>
              {view.phase === 'drafted' ? 'Discard the draft' : 'Close'}
            </Button>
          </Stack>
        </form>
        <div data-testid={testIds.workflows.draftStatus}>
          <DraftState {...props} />
        </div>
      </Stack>
    </section>
  );
}

function DraftState({ view, existing, onEdit, onSave }: Props) {
  switch (view.phase) {
    case 'idle':
      return null;
    case 'drafting':
      return (
        <EngineLoading
          testId={testIds.workflows.draftLoading}
          text="The LLM is drafting the workflow and the engine checks it; this can take a minute…"
        />
      );
    case 'no-llm':
      return (
        <Alert severity="warning" title="Drafting needs an LLM">
          <Stack direction="column" gap={1} alignItems="flex-start">
            <span>{view.message}</span>
            <LinkButton href={prefixRoute(ROUTES.Settings)} variant="secondary" size="sm" icon="cog">
              Set the LLM in Settings
            </LinkButton>
          </Stack>
        </Alert>
      );
    case 'failed':
      return (
        <Alert severity="error" title="No draft">
          {view.message}
        </Alert>
      );
    case 'saved':
      return <Text color="success">{`Saved as workflow ${view.name}: it is open in the editor below.`}</Text>;
    case 'drafted':
      return <Drafted view={view} existing={existing} onEdit={onEdit} onSave={onSave} />;
  }
}

function Drafted({
  view,
  existing,
  onEdit,
  onSave,
}: {
  view: Extract<DraftView, { phase: 'drafted' }>;
  existing: string[];
  onEdit: (text: string) => void;
  onSave: () => void;
}) {
  const styles = useStyles2(getStyles);
  const textId = useId();
  const errorsId = useId();
  const { draft, save } = view;
  const edited = view.text !== draft.yaml;
  const name = workflowNameOf(view.text);
  const problem = draftNameProblem(name, existing);
  const saving = save.kind === 'saving';
  const tokens = draft.usage.promptTokens + draft.usage.completionTokens;
  return (
    <Stack direction="column" gap={1.5}>
      <Alert severity="info" title="A draft, not saved">
        {`Drafted by ${draft.model || 'the LLM'} (${tokens} tokens)${draft.repaired ? '; its first draft did not check, so the LLM was given the error and repaired it once' : ''}. Review it and edit it here: it is saved only when you press Save workflow.`}
      </Alert>
      {draft.errors.length > 0 && (
        <div id={errorsId} data-testid={testIds.workflows.draftErrors}>
          <Alert severity="error" title={edited ? 'The draft as written did not check' : 'The draft does not check'}>
            <ul className={styles.list}>
              {draft.errors.map((error) => (
                <li key={error}>{error}</li>
              ))}
            </ul>
            {edited && <span>Save checks your edited text again.</span>}
          </Alert>
        </div>
      )}
      <label htmlFor={textId} className={styles.label}>
        Drafted definition (YAML)
      </label>
      <YamlEditor
        id={textId}
        value={view.text}
        onChange={onEdit}
        readOnly={saving}
        errorLine={draftErrorLine(view)}
        describedBy={draft.errors.length > 0 ? errorsId : undefined}
      />
      {draft.dryRun && draft.dryRun.length > 0 && <DraftSteps steps={draft.dryRun} edited={edited} />}
      <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
        <Button
          onClick={onSave}
          disabled={saving || problem !== undefined}
          icon="save"
          data-testid={testIds.workflows.draftSave}
        >
          {saving ? 'Saving…' : 'Save workflow'}
        </Button>
        <Text color="secondary" variant="bodySmall">
          {problem ?? `Saves it as ${name ?? ''}; the engine checks it first.`}
        </Text>
      </Stack>
      <div role="status" data-testid={testIds.workflows.draftSaveStatus}>
        <SaveStatus save={save} />
      </div>
    </Stack>
  );
}

function SaveStatus({ save }: { save: DraftSave }) {
  switch (save.kind) {
    case 'idle':
    case 'saving':
      return null;
    case 'refused':
      return (
        <Alert
          severity="error"
          title={save.line ? `The engine refused it at line ${save.line}` : 'The engine refused it'}
        >
          {save.message}
        </Alert>
      );
    case 'failed':
      return (
        <Alert severity="error" title="Not sent">
          {save.message}
        </Alert>
      );
  }
}

function approvalBadge(step: DraftStep) {
  if (step.approval === 'required') {
    return <Badge color="orange" icon="lock" text="waits for approval" />;
  }
  return step.sideEffect ? (
    <Badge color="blue" text="side effect: the policy decides" />
  ) : (
    <Badge color="darkgrey" text="runs unattended" />
  );
}

/** What each drafted step would do, as the engine described it; nothing ran. */
function DraftSteps({ steps, edited }: { steps: DraftStep[]; edited: boolean }) {
  const table = useStyles2(tableStyles, 'top');
  return (
    <div>
      <Text element="h4" variant="h5">
        {edited ? 'What each step would do, as drafted' : 'What each step would do'}
      </Text>
      <div className={table.scroller}>
        <table className={table.table}>
          <caption className="sr-only">What each drafted step would do</caption>
          <TableHead columns={STEP_COLUMNS} />
          <tbody>
            {steps.map((step) => (
              <tr key={step.id} data-testid={testIds.workflows.draftStep}>
                <td>{step.id}</td>
                <td>{step.action}</td>
                <td>
                  <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
                    <span>{step.if ? `${step.description} (only if ${step.if})` : step.description}</span>
                    {approvalBadge(step)}
                  </Stack>
                </td>
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
    label: css({
      fontSize: theme.typography.bodySmall.fontSize,
      fontWeight: theme.typography.fontWeightMedium,
      color: theme.colors.text.primary,
      marginBottom: 0,
    }),
    list: css({ paddingLeft: theme.spacing(2), margin: 0 }),
  };
}
