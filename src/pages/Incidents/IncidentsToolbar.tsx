import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, TimeRange } from '@grafana/data';
import { Button, useStyles2 } from '@grafana/ui';
import {
  IncidentFilter,
  type IncidentFilterProps,
  SEVERITY_OPTIONS,
  STATUS_OPTIONS,
} from '../../components/IncidentFilter/IncidentFilter';
import { testIds } from '../../components/testIds';
import { TimeRangeControls } from '../../components/TimeRangeControls/TimeRangeControls';
import { hasFilters, type IncidentsUrlState } from './incidentsUrlState';

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

type FilterKey = 'status' | 'severity' | 'service';
type Filter = { key: FilterKey } & Pick<
  IncidentFilterProps,
  'label' | 'minWidth' | 'maxWidth' | 'options' | 'createCustomValue'
>;

/** Filters on the left, Grafana's time range and refresh pickers on the right; every change goes to the URL. */
export function IncidentsToolbar({ state, timeRange, timeZone, services, refreshing, onChange, onRefresh }: Props) {
  const styles = useStyles2(getStyles);
  const serviceOptions = [...new Set([...state.service, ...services])]
    .sort((a, b) => a.localeCompare(b))
    .map((value) => ({ value, label: value }));
  const filters: Filter[] = [
    { key: 'status', label: 'Status', minWidth: 12, maxWidth: 30, options: STATUS_OPTIONS },
    { key: 'severity', label: 'Severity', minWidth: 12, maxWidth: 40, options: SEVERITY_OPTIONS },
    { key: 'service', label: 'Service', minWidth: 14, maxWidth: 40, options: serviceOptions, createCustomValue: true },
  ];

  return (
    <div className={styles.toolbar} data-testid={testIds.incidents.filters}>
      <div className={styles.filters}>
        {filters.map(({ key, ...filter }) => (
          <IncidentFilter
            key={key}
            id={`intelops-incidents-${key}`}
            testId={testIds.incidents[key]}
            className={styles.field}
            value={state[key]}
            onChange={(picked) => onChange({ [key]: picked })}
            {...filter}
          />
        ))}
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
      <TimeRangeControls
        timeRange={timeRange}
        timeZone={timeZone}
        refresh={state.refresh}
        tooltip="Read the incidents again"
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
    alignItems: 'flex-start',
    gap: theme.spacing(1, 2),
    marginBottom: theme.spacing(2),
  }),
  filters: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1) }),
  field: css({ margin: 0 }),
});
