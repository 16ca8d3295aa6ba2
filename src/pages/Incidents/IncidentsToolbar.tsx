import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, TimeRange } from '@grafana/data';
import {
  Button,
  type ComboboxOption,
  InlineField,
  MultiCombobox,
  RefreshPicker,
  TimeRangePicker,
  useStyles2,
} from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { INCIDENT_STATUSES, SEVERITIES } from '../../datasource/incidents';
import { statusLabel } from '../../datasource/incidentSummary';
import { hasFilters, type IncidentsUrlState, shiftedTimes, urlTimes, zoomedOutTimes } from './incidentsUrlState';

interface Props {
  state: IncidentsUrlState;
  timeRange: TimeRange;
  timeZone: string;
  /** Services to offer: those of the incidents shown; any other name can be typed. */
  services: string[];
  refreshing: boolean;
  onChange: (patch: Partial<IncidentsUrlState>) => void;
  onRefresh: () => void;
}

const statusOptions: Array<ComboboxOption<string>> = INCIDENT_STATUSES.map((value) => ({
  value,
  label: statusLabel(value),
}));
const severityOptions: Array<ComboboxOption<string>> = SEVERITIES.map((value) => ({ value, label: value }));

const values = (picked: Array<ComboboxOption<string>>) => picked.map((option) => option.value);

/** Filters on the left, Grafana's time range and refresh pickers on the right; every change goes to the URL. */
export function IncidentsToolbar({ state, timeRange, timeZone, services, refreshing, onChange, onRefresh }: Props) {
  const styles = useStyles2(getStyles);
  const serviceOptions = [...new Set([...state.service, ...services])]
    .sort((a, b) => a.localeCompare(b))
    .map((value) => ({ value, label: value }));

  return (
    <div className={styles.toolbar} data-testid={testIds.incidents.filters}>
      <div className={styles.filters}>
        <InlineField label="Status" className={styles.field}>
          <MultiCombobox
            id="intelops-incidents-status"
            data-testid={testIds.incidents.status}
            width="auto"
            minWidth={12}
            maxWidth={30}
            placeholder="Any"
            options={statusOptions}
            value={state.status}
            onChange={(picked) => onChange({ status: values(picked) })}
          />
        </InlineField>
        <InlineField label="Severity" className={styles.field}>
          <MultiCombobox
            id="intelops-incidents-severity"
            data-testid={testIds.incidents.severity}
            width="auto"
            minWidth={12}
            maxWidth={40}
            placeholder="Any"
            options={severityOptions}
            value={state.severity}
            onChange={(picked) => onChange({ severity: values(picked) })}
          />
        </InlineField>
        <InlineField label="Service" className={styles.field}>
          <MultiCombobox
            id="intelops-incidents-service"
            data-testid={testIds.incidents.service}
            width="auto"
            minWidth={14}
            maxWidth={40}
            placeholder="Any"
            options={serviceOptions}
            createCustomValue
            value={state.service}
            onChange={(picked) => onChange({ service: values(picked) })}
          />
        </InlineField>
        {hasFilters(state) && (
          <Button
            variant="secondary"
            fill="text"
            icon="times"
            data-testid={testIds.incidents.clearFilters}
            onClick={() => onChange({ status: [], severity: [], service: [] })}
          >
            Clear filters
          </Button>
        )}
      </div>
      <div className={styles.time}>
        <TimeRangePicker
          value={timeRange}
          timeZone={timeZone}
          onChange={(range) => onChange(urlTimes(range))}
          onChangeTimeZone={(zone) => onChange({ timezone: zone })}
          onMoveBackward={() => onChange(shiftedTimes(timeRange, -1))}
          onMoveForward={() => onChange(shiftedTimes(timeRange, 1))}
          onZoom={() => onChange(zoomedOutTimes(timeRange))}
        />
        <RefreshPicker
          value={state.refresh}
          tooltip="Read the incidents again"
          isLoading={refreshing}
          onRefresh={onRefresh}
          onIntervalChanged={(refresh) => onChange({ refresh })}
        />
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'space-between',
    alignItems: 'flex-start',
    gap: theme.spacing(1, 2),
    marginBottom: theme.spacing(2),
  }),
  filters: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1) }),
  field: css({ margin: 0 }),
  time: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center', marginLeft: 'auto' }),
});
