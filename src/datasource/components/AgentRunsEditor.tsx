import React from 'react';
import { Combobox, type ComboboxOption, InlineField, Stack } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { AGENT_RUN_KINDS } from '../agentRuns';
import { problemFor, queryProblems } from '../queryValidation';
import { changeAndRun, QueryInput } from './QueryTextFields';
import type { QuerySectionProps } from './QueryTextFields';

const KIND_OPTIONS: Array<ComboboxOption<string>> = AGENT_RUN_KINDS.map((kind) => ({ value: kind, label: kind }));

/** Agent runs (a list) and Agent run (one run): the run id, the incident and the kind of run. */
export function AgentRunsEditor({ query, onChange, onRunQuery }: QuerySectionProps) {
  const problems = queryProblems(query);
  const change = changeAndRun(query, onChange, onRunQuery);
  const one = query.queryType === 'agentRun';
  const kindError = problemFor(problems, 'kind');
  return (
    <Stack direction="row" gap={1} wrap="wrap">
      {one && (
        <QueryInput
          id={`intelops-run-id-${query.refId}`}
          testId={testIds.queryEditor.runId}
          label="Run"
          labelWidth={14}
          width={30}
          tooltip="The agent run's id, which is its trace id, as the Agent runs page shows it. Dashboard variables work. When empty, the newest run in the time range is read (of the incident and kind below, when set)."
          placeholder="newest run"
          value={query.runId}
          onCommit={(runId) => change({ runId })}
        />
      )}
      <QueryInput
        id={`intelops-run-incident-${query.refId}`}
        testId={testIds.queryEditor.runIncident}
        label={one ? 'or latest for incident' : 'Incident'}
        labelWidth={one ? 22 : 14}
        width={24}
        tooltip={
          one
            ? 'Reads the newest run of this incident in the time range when no run id is set; any incident when empty. $incident works.'
            : 'Only the runs of this incident; all runs when empty. $incident works.'
        }
        placeholder="$incident"
        value={query.incidentId}
        onCommit={(incidentId) => change({ incidentId })}
      />
      <InlineField
        label="Kind"
        labelWidth={8}
        tooltip="analyze, ask, draft, judge or workflow; any kind when empty. A dashboard variable such as $kind can be typed."
        invalid={kindError !== undefined}
        error={kindError}
      >
        <Combobox
          id={`intelops-run-kind-${query.refId}`}
          data-testid={testIds.queryEditor.runKind}
          width={20}
          placeholder="any kind"
          options={KIND_OPTIONS}
          value={query.kind ?? null}
          isClearable
          createCustomValue
          onChange={(option) => change({ kind: option?.value ?? '' })}
        />
      </InlineField>
    </Stack>
  );
}
