import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, TimeRange } from '@grafana/data';
import { RefreshPicker, TimeRangePicker, useStyles2 } from '@grafana/ui';
import type { TimeUrlState } from '../../pages/AgentRuns/agentRunsUrlState';
import { shiftedTimes, urlTimes, zoomedOutTimes } from '../../pages/Incidents/incidentsUrlState';

interface Props {
  timeRange: TimeRange;
  timeZone: string;
  /** The auto-refresh interval (`30s`); empty when off. */
  refresh: string;
  /** The refresh button's tooltip: what it reads again. */
  tooltip: string;
  refreshing?: boolean;
  /** A change to the time part of the page's URL. */
  onChange: (patch: Partial<TimeUrlState>) => void;
  onRefresh: () => void;
}

/** Grafana's time range and refresh pickers, at the right of a page's toolbar. */
export function TimeRangeControls({ timeRange, timeZone, refresh, tooltip, refreshing, onChange, onRefresh }: Props) {
  const styles = useStyles2(getStyles);
  return (
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
        value={refresh}
        tooltip={tooltip}
        isLoading={refreshing}
        onRefresh={onRefresh}
        onIntervalChanged={(interval) => onChange({ refresh: interval })}
      />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  time: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center', marginLeft: 'auto' }),
});
