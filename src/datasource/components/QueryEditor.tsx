import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Combobox, type ComboboxOption, InlineField, Input, Stack, Text } from '@grafana/ui';
import {
  IncidentFilter,
  type IncidentFilterProps,
  SEVERITY_OPTIONS,
  STATUS_OPTIONS,
} from '../../components/IncidentFilter/IncidentFilter';
import { testIds } from '../../components/testIds';
import type { IntelOpsDataSource } from '../datasource';
import { queryProblems } from '../queryValidation';
import { AgentRunsEditor } from './AgentRunsEditor';
import { AnomaliesEditor } from './AnomaliesEditor';
import { LogTemplatesEditor } from './LogTemplatesEditor';
import { RootCausesEditor } from './RootCausesEditor';
import { DEFAULT_QUERY_TYPE, type IntelOpsOptions, type IntelOpsQuery, QUERY_TYPES, type QueryType } from '../types';

export type IntelOpsQueryEditorProps = QueryEditorProps<IntelOpsDataSource, IntelOpsQuery, IntelOpsOptions>;

const options: Array<ComboboxOption<QueryType>> = QUERY_TYPES.map(({ value, label, description }) => ({
  value,
  label,
  description,
}));

const filters: Array<
  { key: 'status' | 'severity' } & Pick<IncidentFilterProps, 'label' | 'labelWidth' | 'tooltip' | 'options'>
> = [
  { key: 'status', label: 'Status', labelWidth: 14, tooltip: 'Any status when empty', options: STATUS_OPTIONS },
  { key: 'severity', label: 'Severity', labelWidth: 10, tooltip: 'Any severity when empty', options: SEVERITY_OPTIONS },
];

export function QueryEditor({ query, onChange, onRunQuery }: IntelOpsQueryEditorProps) {
  const queryType = query.queryType ?? DEFAULT_QUERY_TYPE;
  const selected = QUERY_TYPES.find((option) => option.value === queryType);

  const onQueryTypeChange = (option: ComboboxOption<QueryType>) => {
    const next = { ...query, queryType: option.value };
    onChange(next);
    // A new Log templates, Anomalies, Root causes or Agent run query waits for what it needs before it runs.
    if (queryProblems(next).length === 0) {
      onRunQuery();
    }
  };

  return (
    <Stack direction="column" gap={1}>
      <InlineField label="Query type" labelWidth={14} tooltip="What to read from the IntelOps engine">
        <Combobox
          id={`intelops-query-type-${query.refId}`}
          data-testid={testIds.queryEditor.queryType}
          width={34}
          options={options}
          value={queryType}
          onChange={onQueryTypeChange}
        />
      </InlineField>
      {queryType === 'incidents' && <IncidentFilters query={query} onChange={onChange} onRunQuery={onRunQuery} />}
      {queryType === 'logTemplates' && <LogTemplatesEditor query={query} onChange={onChange} onRunQuery={onRunQuery} />}
      {queryType === 'anomalies' && <AnomaliesEditor query={query} onChange={onChange} onRunQuery={onRunQuery} />}
      {(queryType === 'rootCauses' || queryType === 'incidentGraph') && (
        <RootCausesEditor query={query} onChange={onChange} onRunQuery={onRunQuery} />
      )}
      {(queryType === 'agentRuns' || queryType === 'agentRun') && (
        <AgentRunsEditor query={query} onChange={onChange} onRunQuery={onRunQuery} />
      )}
      {selected && (
        <Text element="p" variant="bodySmall" color="secondary">
          {selected.description}
        </Text>
      )}
    </Stack>
  );
}

type FilterProps = Pick<IntelOpsQueryEditorProps, 'query' | 'onChange' | 'onRunQuery'>;

function IncidentFilters({ query, onChange, onRunQuery }: FilterProps) {
  const change = (patch: Partial<IntelOpsQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };
  // Typed variables ($severity) are kept as custom values, so a dashboard variable can drive the filter.
  return (
    <Stack direction="row" gap={1} wrap="wrap">
      {filters.map(({ key, ...filter }) => (
        <IncidentFilter
          key={key}
          id={`intelops-${key}-${query.refId}`}
          testId={testIds.queryEditor[key]}
          minWidth={16}
          value={query[key] ?? []}
          createCustomValue
          onChange={(picked) => change({ [key]: picked })}
          {...filter}
        />
      ))}
      <InlineField
        label="Service"
        labelWidth={10}
        tooltip="Incidents touching any of these services, comma-separated; dashboard variables such as $service work"
      >
        {/* Runs the query when the field is left, not at every key; a new query value remounts it. */}
        <Input
          key={query.service ?? ''}
          id={`intelops-service-${query.refId}`}
          data-testid={testIds.queryEditor.service}
          width={30}
          placeholder="checkout, $service"
          defaultValue={query.service ?? ''}
          onBlur={(event) => {
            const service = event.currentTarget.value.trim();
            if (service !== (query.service ?? '')) {
              change({ service });
            }
          }}
        />
      </InlineField>
    </Stack>
  );
}
