import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, useStyles2 } from '@grafana/ui';
import type { Incident, IncidentAlert } from '../../datasource/incidents';
import { ruleCounts, ruleLabel } from '../../datasource/incidentSummary';
import { StatusBadge } from '../IncidentBadges/IncidentBadges';
import { formatTime } from '../IncidentTable/formatting';
import { tableStyles } from '../tableStyles';
import { type TableColumn, TableHead } from '../TableHead/TableHead';
import { testIds } from '../testIds';

interface Props {
  incident: Incident;
  timeZone: string;
}

/** The grouping explained: how many alerts each rule joined, then every alert with the reason it joined. */
const COLUMNS: TableColumn[] = [
  { label: 'Alert' },
  { label: 'Service' },
  { label: 'Status' },
  { label: 'Started' },
  { label: 'Why it joined' },
];

export function IncidentAlerts({ incident, timeZone }: Props) {
  const styles = useStyles2(getStyles);
  const counts = ruleCounts(incident);
  return (
    <section aria-labelledby="intelops-incident-alerts" className={styles.section}>
      <Text element="h3" variant="h4" id="intelops-incident-alerts">
        Alerts, and why they are one incident
      </Text>
      <div data-testid={testIds.investigation.grouping}>
        <Text element="p" color="secondary">
          {counts.length === 0
            ? 'A single alert: nothing else joined it yet.'
            : `Joined by ${counts
                .map(
                  ({ rule, count }) => `${ruleLabel(rule).toLowerCase()} (${count} ${count === 1 ? 'alert' : 'alerts'})`
                )
                .join(', ')}.`}
        </Text>
      </div>
      {incident.alerts.length === 0 ? (
        <Text element="p" color="secondary">
          The engine sent no alerts with this incident.
        </Text>
      ) : (
        <div className={styles.scroller}>
          <table
            className={styles.table}
            aria-label="Alerts of the incident"
            data-testid={testIds.investigation.alerts}
          >
            <TableHead columns={COLUMNS} />
            <tbody>
              {incident.alerts.map((alert) => (
                <AlertRow key={`${alert.fingerprint}@${alert.startsAt}`} alert={alert} timeZone={timeZone} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AlertRow({ alert, timeZone }: { alert: IncidentAlert; timeZone: string }) {
  const styles = useStyles2(getStyles);
  const reason = alert.joinReason;
  return (
    <tr data-testid={testIds.investigation.alertRow}>
      <td className={styles.title}>{alert.title}</td>
      <td>{alert.service ?? <span className={styles.muted}>unknown</span>}</td>
      <td>
        <StatusBadge status={alert.status} />
      </td>
      <td className={styles.nowrap}>
        <time dateTime={alert.startsAt}>{formatTime(Date.parse(alert.startsAt), timeZone)}</time>
      </td>
      <td>
        {reason === null || reason.rule === 'first' ? (
          <Stack direction="column" gap={0}>
            <strong>Started the incident</strong>
            <span className={styles.muted}>the first alert; the others joined it</span>
          </Stack>
        ) : (
          <Stack direction="column" gap={0}>
            <strong>
              {ruleLabel(reason.rule)} <span className={styles.muted}>score {reason.score.toFixed(2)}</span>
            </strong>
            {reason.detail && <span>{reason.detail}</span>}
          </Stack>
        )}
      </td>
    </tr>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  ...tableStyles(theme, 'top'),
  title: css({ fontWeight: theme.typography.fontWeightMedium, minWidth: 200 }),
  muted: css({ color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightRegular }),
  nowrap: css({ whiteSpace: 'nowrap' }),
});
