import React, { useId, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Combobox, Field, Input, Stack, Switch, Text, TextArea, useStyles2 } from '@grafana/ui';
import { testIds } from '../testIds';
import {
  collectInputs,
  fieldOfRefusal,
  type InputField,
  type InputProblems,
  initialValues,
  type InputValues,
} from '../../services/workflowInputs';

export type RunFormMode = 'run' | 'dry-run';

interface Props {
  workflow: string;
  /** From the manual trigger's inputs schema; none for a workflow without inputs. */
  fields: InputField[];
  mode: RunFormMode;
  sending: boolean;
  /** The engine's refusal (its 400 names the input) or why the run was not sent, shown as is. */
  problem?: { message: string; refused: boolean };
  onSubmit: (inputs: Record<string, unknown>) => void;
  onCancel: () => void;
}

const WORDS: Record<RunFormMode, { title: string; note: string; submit: string; submitBare: string }> = {
  run: {
    title: 'Run',
    note: 'Starts a real run: its steps act, and side effects wait for approval as the policy says.',
    submit: 'Run with these inputs',
    submitBare: 'Run now',
  },
  'dry-run': {
    title: 'Dry run',
    note: 'Nothing is sent: each step is rendered with these inputs and checked, and the policy says whether it would wait for approval.',
    submit: 'Dry run with these inputs',
    submitBare: 'Dry run',
  },
};

/** The form of a manual run, generated from the inputs schema; checks required and number fields before sending. */
export function WorkflowRunForm({ workflow, fields, mode, sending, problem, onSubmit, onCancel }: Props) {
  const styles = useStyles2(getStyles);
  const [values, setValues] = useState<InputValues>(() => initialValues(fields));
  const [problems, setProblems] = useState<InputProblems>({});
  const headingId = useId();
  const words = WORDS[mode];
  const refusedField = problem?.refused ? fieldOfRefusal(problem.message, fields) : undefined;

  const change = (name: string, value: string | boolean) => {
    setValues((current) => ({ ...current, [name]: value }));
    setProblems(({ [name]: _fixed, ...rest }) => rest);
  };
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const collected = collectInputs(fields, values);
    if (!collected.ok) {
      setProblems(collected.problems);
      return;
    }
    setProblems({});
    onSubmit(collected.inputs);
  };

  return (
    <form
      className={styles.form}
      aria-labelledby={headingId}
      onSubmit={submit}
      noValidate
      data-testid={testIds.workflows.runForm}
    >
      <Stack direction="column" gap={1}>
        <Text element="h4" variant="h5" id={headingId}>
          {`${words.title} ${workflow}`}
        </Text>
        <Text color="secondary" variant="bodySmall">
          {words.note}
        </Text>
        {fields.length === 0 ? (
          <Text color="secondary">This workflow takes no inputs.</Text>
        ) : (
          <div className={styles.fields}>
            {fields.map((input) => (
              <InputFieldView
                key={input.name}
                input={input}
                value={values[input.name]}
                problem={problems[input.name] ?? (input.name === refusedField ? problem?.message : undefined)}
                disabled={sending}
                onChange={(value) => change(input.name, value)}
              />
            ))}
          </div>
        )}
        {problem && (
          <div role="alert" data-testid={testIds.workflows.runFormProblem}>
            <Alert severity="error" title={problem.refused ? 'The engine refused the run' : 'Not sent'}>
              {problem.message}
            </Alert>
          </div>
        )}
        <Stack direction="row" gap={1}>
          <Button type="submit" icon="play" disabled={sending} data-testid={testIds.workflows.runFormSubmit}>
            {sending ? 'Starting…' : fields.length === 0 ? words.submitBare : words.submit}
          </Button>
          <Button type="button" variant="secondary" onClick={onCancel} disabled={sending}>
            Cancel
          </Button>
        </Stack>
      </Stack>
    </form>
  );
}

function fieldDescription(input: InputField): string | undefined {
  const hint = input.kind === 'text' ? input.hint : undefined;
  const range =
    input.kind === 'number'
      ? [
          input.integer ? 'a whole number' : undefined,
          input.minimum === undefined ? undefined : `at least ${input.minimum}`,
          input.maximum === undefined ? undefined : `at most ${input.maximum}`,
        ]
          .filter((part) => part !== undefined)
          .join(', ')
      : undefined;
  const json = input.kind === 'json' ? `JSON${input.expects ? ` ${input.expects}` : ''}` : undefined;
  const parts = [input.description, hint, range, json].filter((part): part is string => Boolean(part));
  return parts.length === 0 ? undefined : parts.join(' · ');
}

function InputFieldView({
  input,
  value,
  problem,
  disabled,
  onChange,
}: {
  input: InputField;
  value: string | boolean | undefined;
  problem?: string;
  disabled: boolean;
  onChange: (value: string | boolean) => void;
}) {
  const id = useId();
  const styles = useStyles2(getStyles);
  return (
    <Field
      label={input.label}
      description={fieldDescription(input)}
      required={input.required}
      invalid={problem !== undefined}
      error={problem}
      htmlFor={id}
      className={styles.field}
    >
      <InputControl
        id={id}
        input={input}
        value={value}
        invalid={problem !== undefined}
        disabled={disabled}
        onChange={onChange}
      />
    </Field>
  );
}

interface ControlProps {
  id: string;
  input: InputField;
  value: string | boolean | undefined;
  invalid: boolean;
  disabled: boolean;
  onChange: (value: string | boolean) => void;
}

/** The control for one input: a switch, a choice, a number, JSON text or text. */
function InputControl({ id, input, value, invalid, disabled, onChange }: ControlProps) {
  const styles = useStyles2(getStyles);
  const typed = typeof value === 'string' ? value : '';
  switch (input.kind) {
    case 'boolean':
      return (
        <Switch
          id={id}
          value={value === true}
          disabled={disabled}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
      );
    case 'choice':
      return (
        <Combobox
          id={id}
          options={input.options.map((option) => ({ label: option.label, value: option.key }))}
          value={typed === '' ? null : typed}
          onChange={(option) => onChange(option?.value ?? '')}
          isClearable
          disabled={disabled}
          invalid={invalid}
          placeholder="Choose"
          width={40}
        />
      );
    case 'number':
      return (
        <Input
          id={id}
          type="number"
          value={typed}
          min={input.minimum}
          max={input.maximum}
          step={input.integer ? 1 : 'any'}
          onChange={(event) => onChange(event.currentTarget.value)}
          disabled={disabled}
          invalid={invalid}
          width={20}
        />
      );
    case 'json':
      return (
        <TextArea
          id={id}
          value={typed}
          rows={3}
          className={styles.code}
          placeholder={input.expects === 'array' ? '["a", "b"]' : '{"key": "value"}'}
          onChange={(event) => onChange(event.currentTarget.value)}
          disabled={disabled}
          invalid={invalid}
        />
      );
    case 'text':
      return (
        <Input
          id={id}
          value={typed}
          onChange={(event) => onChange(event.currentTarget.value)}
          disabled={disabled}
          invalid={invalid}
          width={60}
        />
      );
  }
}

function getStyles(theme: GrafanaTheme2) {
  return {
    form: css({
      padding: theme.spacing(2),
      border: `1px solid ${theme.colors.border.weak}`,
      borderLeft: `3px solid ${theme.colors.primary.border}`,
      borderRadius: theme.shape.radius.default,
      background: theme.colors.background.secondary,
    }),
    fields: css({ display: 'flex', flexDirection: 'column', maxWidth: 720 }),
    field: css({ marginBottom: theme.spacing(1.5) }),
    code: css({ fontFamily: theme.typography.code.fontFamily, fontSize: theme.typography.bodySmall.fontSize }),
  };
}
