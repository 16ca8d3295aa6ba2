import React from 'react';
import { InlineField, Input, TextArea } from '@grafana/ui';
import type { IntelOpsQuery } from '../types';

interface CommonProps {
  id: string;
  testId: string;
  label: string;
  labelWidth: number;
  tooltip: string;
  placeholder: string;
  value: string | undefined;
  /** The inline validation message; the field is marked invalid while set. */
  error?: string;
  /** Called with the trimmed text when the field is left and the text changed. */
  onCommit: (value: string) => void;
}

// Both fields run the query when left, not at every key; a new query value remounts them.
function commitOnBlur(value: string | undefined, onCommit: (value: string) => void) {
  return (event: React.FocusEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    const text = event.currentTarget.value.trim();
    if (text !== (value ?? '')) {
      onCommit(text);
    }
  };
}

/** A one-line query option (selector, step, baseline) with its inline message. */
export function QueryInput({ width, ...props }: CommonProps & { width: number }) {
  return (
    <InlineField
      label={props.label}
      labelWidth={props.labelWidth}
      tooltip={props.tooltip}
      invalid={props.error !== undefined}
      error={props.error}
    >
      <Input
        key={props.value ?? ''}
        id={props.id}
        data-testid={props.testId}
        width={width}
        placeholder={props.placeholder}
        defaultValue={props.value ?? ''}
        onBlur={commitOnBlur(props.value, props.onCommit)}
      />
    </InlineField>
  );
}

/** A multi-line query (PromQL) spanning the editor's width. */
export function QueryTextArea(props: CommonProps) {
  return (
    <InlineField
      label={props.label}
      labelWidth={props.labelWidth}
      tooltip={props.tooltip}
      grow
      invalid={props.error !== undefined}
      error={props.error}
    >
      <TextArea
        key={props.value ?? ''}
        id={props.id}
        data-testid={props.testId}
        rows={3}
        spellCheck={false}
        placeholder={props.placeholder}
        defaultValue={props.value ?? ''}
        onBlur={commitOnBlur(props.value, props.onCommit)}
      />
    </InlineField>
  );
}

/** What each query type's section of the editor receives from the QueryEditor. */
export interface QuerySectionProps {
  query: IntelOpsQuery;
  onChange: (query: IntelOpsQuery) => void;
  onRunQuery: () => void;
}

/** Applies a change to the query and runs it, as Grafana's own editors do when a field is left. */
export function changeAndRun(query: IntelOpsQuery, onChange: QuerySectionProps['onChange'], onRunQuery: () => void) {
  return (patch: Partial<IntelOpsQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };
}
