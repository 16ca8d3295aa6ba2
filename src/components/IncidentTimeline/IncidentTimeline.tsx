import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Text, useStyles2, useTheme2 } from '@grafana/ui';
import { LANE_LABELS, type TimelineEntry, type TimelineLane, timelineRange } from '../../services/incidentTimeline';
import { testIds } from '../testIds';

const LANES: TimelineLane[] = ['change', 'anomaly', 'alert'];
const ENTRY_LABELS: Record<TimelineLane, string> = { change: 'Change', anomaly: 'Anomaly onset', alert: 'Alert' };
const LANE_COLOURS: Record<TimelineLane, string> = { change: 'green', anomaly: 'blue', alert: 'red' };

/** Changes, anomaly onsets and alerts on one time axis, then the same as a list a person (or reader) goes through. */
export function IncidentTimeline({ entries, timeZone }: { entries: TimelineEntry[]; timeZone: string }) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const range = timelineRange(entries);
  if (!range) {
    return <Text color="secondary">Nothing to put on the timeline yet.</Text>;
  }
  const position = (at: number) => `${((at - range.from) / (range.to - range.from)) * 100}%`;
  const time = (at: number, format = 'HH:mm:ss') => dateTimeFormat(at, { timeZone, format });
  return (
    <div className={styles.timeline} data-testid={testIds.rootCauses.timeline}>
      <div className={styles.lanes} aria-hidden="true">
        {LANES.map((lane) => (
          <div key={lane} className={styles.lane}>
            <span className={styles.laneLabel}>{LANE_LABELS[lane]}</span>
            <div className={styles.track}>
              {entries
                .filter((entry) => entry.lane === lane)
                .map((entry) => (
                  <span
                    key={entry.key}
                    className={styles.marker}
                    style={{
                      left: position(entry.at),
                      background: theme.visualization.getColorByName(LANE_COLOURS[lane]),
                    }}
                    title={`${time(entry.at)} ${entry.title}`}
                  />
                ))}
            </div>
          </div>
        ))}
        <div className={styles.lane}>
          <span />
          <div className={styles.axis}>
            <span>{time(range.from, 'YYYY-MM-DD HH:mm')}</span>
            <span>{time(range.to, 'HH:mm')}</span>
          </div>
        </div>
      </div>
      <ol className={styles.list} aria-label="Timeline">
        {entries.map((entry) => (
          <li
            key={entry.key}
            className={styles.entry}
            data-testid={testIds.rootCauses.timelineEntry}
            data-lane={entry.lane}
          >
            <span className={styles.time}>{time(entry.at)}</span>
            <span
              className={styles.kind}
              style={{ borderColor: theme.visualization.getColorByName(LANE_COLOURS[entry.lane]) }}
            >
              {ENTRY_LABELS[entry.lane]}
            </span>
            <span className={styles.title}>
              {entry.url ? (
                <a href={entry.url} className={styles.link}>
                  {entry.title}
                </a>
              ) : (
                entry.title
              )}
              {entry.service ? <span className={styles.service}> · {entry.service}</span> : null}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  timeline: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  lanes: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  lane: css({
    display: 'grid',
    gridTemplateColumns: '120px minmax(0, 1fr)',
    alignItems: 'center',
    gap: theme.spacing(1),
  }),
  laneLabel: css({ ...theme.typography.bodySmall, color: theme.colors.text.secondary }),
  track: css({
    position: 'relative',
    height: 16,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  marker: css({
    position: 'absolute',
    top: 2,
    width: 10,
    height: 10,
    marginLeft: -5,
    borderRadius: '50%',
    border: `1px solid ${theme.colors.background.primary}`,
  }),
  axis: css({
    ...theme.typography.bodySmall,
    color: theme.colors.text.secondary,
    display: 'flex',
    justifyContent: 'space-between',
  }),
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.25),
  }),
  entry: css({
    ...theme.typography.bodySmall,
    display: 'grid',
    gridTemplateColumns: '72px 110px minmax(0, 1fr)',
    gap: theme.spacing(1),
    alignItems: 'baseline',
  }),
  time: css({ fontVariantNumeric: 'tabular-nums', color: theme.colors.text.secondary }),
  kind: css({ borderLeft: '3px solid', paddingLeft: theme.spacing(0.5) }),
  title: css({ minWidth: 0, overflowWrap: 'anywhere' }),
  service: css({ color: theme.colors.text.secondary }),
  link: css({ color: theme.colors.text.link, textDecoration: 'underline' }),
});
