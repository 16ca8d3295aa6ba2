import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, TimeRange } from '@grafana/data';
import { Button, Combobox, type ComboboxOption, Field, Input, useStyles2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { TimeRangeControls } from '../../components/TimeRangeControls/TimeRangeControls';
import { AGENT_RUN_KINDS, AGENT_RUN_STATUSES } from '../../datasource/agentRuns';
import { type AgentRunsUrlState, hasRunFilters } from './agentRunsUrlState';

interface Props {
  state: AgentRunsUrlState;
  timeRange: TimeRange;
  timeZone: string;
  refreshing: boolean;
  onChange: (patch: Partial<AgentRunsUrlState>) => void;
  onRefresh: () => void;
}

const KIND_OPTIONS: Array<ComboboxOption<string>> = AGENT_RUN_KINDS.map((kind) => ({ value: kind, label: kind }));
const STATUS_OPTIONS: Array<ComboboxOption<string>> = AGENT_RUN_STATUSES.map((status) => ({
  value: status,
  label: status,
}));

/** Kind, status and incident filters on the left, Grafana's time range and refresh pickers on the right. */
export function AgentRunsToolbar({ state, timeRange, timeZone, refreshing, onChange, onRefresh }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.toolbar} data-testid={testIds.agentRuns.filters}>
      <div className={styles.filters}>
        <Field label="Kind" className={styles.field}>
          <Combobox
            id="intelops-agent-runs-kind"
            data-testid={testIds.agentRuns.kind}
            width={16}
            placeholder="any"
            options={KIND_OPTIONS}
            value={state.kind || null}
            isClearable
            onChange={(option) => onChange({ kind: option?.value ?? '', run: '' })}
          />
        </Field>
        <Field label="Status" className={styles.field}>
          <Combobox
            id="intelops-agent-runs-status"
            data-testid={testIds.agentRuns.status}
            width={14}
            placeholder="any"
            options={STATUS_OPTIONS}
            value={state.status || null}
            isClearable
            onChange={(option) => onChange({ status: option?.value ?? '', run: '' })}
          />
        </Field>
        <Field label="Incident" className={styles.field}>
          {/* Applied when the field is left or Enter is pressed; a new URL value remounts it. */}
          <Input
            key={state.incident}
            id="intelops-agent-runs-incident"
            data-testid={testIds.agentRuns.incident}
            width={20}
            placeholder="inc-7f3a9c"
            defaultValue={state.incident}
            onBlur={(event) => {
              const incident = event.currentTarget.value.trim();
              if (incident !== state.incident) {
                onChange({ incident, run: '' });
              }
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.currentTarget.blur();
              }
            }}
          />
        </Field>
        {hasRunFilters(state) && (
          <Button
            variant="secondary"
            fill="text"
            icon="times"
            className={styles.clear}
            data-testid={testIds.agentRuns.clearFilters}
            onClick={() => onChange({ kind: '', status: '', incident: '', run: '' })}
          >
            Clear filters
          </Button>
        )}
      </div>
      <TimeRangeControls
        timeRange={timeRange}
        timeZone={timeZone}
        refresh={state.refresh}
        tooltip="Read the runs again"
        refreshing={refreshing}
        onChange={onChange}
        onRefresh={onRefresh}
      />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'space-between',
    alignItems: 'flex-end',
    gap: theme.spacing(1, 2),
    marginBottom: theme.spacing(2),
  }),
  filters: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: theme.spacing(1) }),
  field: css({ margin: 0 }),
  clear: css({ marginBottom: theme.spacing(0.25) }),
});
