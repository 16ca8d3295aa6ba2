import React from 'react';
import { type ComboboxOption, InlineField, MultiCombobox } from '@grafana/ui';
import { INCIDENT_STATUSES, SEVERITIES } from '../../datasource/incidents';
import { statusLabel } from '../../datasource/incidentSummary';

export const STATUS_OPTIONS: Array<ComboboxOption<string>> = INCIDENT_STATUSES.map((value) => ({
  value,
  label: statusLabel(value),
}));
export const SEVERITY_OPTIONS: Array<ComboboxOption<string>> = SEVERITIES.map((value) => ({ value, label: value }));

export interface IncidentFilterProps {
  id: string;
  testId: string;
  label: string;
  labelWidth?: number;
  tooltip?: string;
  className?: string;
  minWidth: number;
  maxWidth?: number;
  options: Array<ComboboxOption<string>>;
  value: string[];
  /** Lets a value outside the options be typed (a service name, a dashboard variable). */
  createCustomValue?: boolean;
  onChange: (values: string[]) => void;
}

/** One multi-value incident filter (status, severity, service); empty means any. */
export function IncidentFilter({
  id,
  testId,
  label,
  labelWidth,
  tooltip,
  className,
  minWidth,
  maxWidth,
  options,
  value,
  createCustomValue,
  onChange,
}: IncidentFilterProps) {
  return (
    <InlineField label={label} labelWidth={labelWidth} tooltip={tooltip} className={className}>
      <MultiCombobox
        id={id}
        data-testid={testId}
        width="auto"
        minWidth={minWidth}
        maxWidth={maxWidth}
        placeholder="Any"
        options={options}
        value={value}
        createCustomValue={createCustomValue}
        onChange={(picked) => onChange(picked.map((option) => option.value))}
      />
    </InlineField>
  );
}
