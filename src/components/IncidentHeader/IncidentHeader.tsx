import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, useStyles2 } from '@grafana/ui';
import type { Incident } from '../../datasource/incidents';
import { incidentDurationMs } from '../../datasource/incidentSummary';
import { SeverityBadge, StatusBadge } from '../IncidentBadges/IncidentBadges';
import { formatDuration, formatTime } from '../IncidentTable/formatting';
import { testIds } from '../testIds';

interface Props {
  incident: Incident;
  /** When the incident was read: an ongoing incident lasts until then. */
  now: number;
  timeZone: string;
}

/** Title, severity and status, then the facts an SRE reads first: services, start, duration, alerts, tags. */
export function IncidentHeader({ incident, now, timeZone }: Props) {
  const styles = useStyles2(getStyles);
  const tags = Object.entries(incident.tags);
  return (
    <header className={styles.header} data-testid={testIds.investigation.header}>
      <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
        <SeverityBadge severity={incident.severity} />
        <StatusBadge status={incident.status} />
        <Text element="h2" variant="h3">
          {incident.title}
        </Text>
      </Stack>
      <dl className={styles.facts}>
        <Fact term="Services">{incident.services.length > 0 ? incident.services.join(', ') : 'none known'}</Fact>
        <Fact term="Started">
          <time dateTime={incident.startsAt}>{formatTime(Date.parse(incident.startsAt), timeZone)}</time>
        </Fact>
        <Fact term={incident.endsAt === null ? 'Ongoing for' : 'Lasted'}>
          {formatDuration(incidentDurationMs(incident, now))}
        </Fact>
        {incident.endsAt !== null && (
          <Fact term="Ended">
            <time dateTime={incident.endsAt}>{formatTime(Date.parse(incident.endsAt), timeZone)}</time>
          </Fact>
        )}
        <Fact term="Alerts">{incident.alertCount}</Fact>
        {tags.length > 0 && <Fact term="Tags">{tags.map(([key, value]) => `${key}=${value}`).join(', ')}</Fact>}
        <Fact term="ID">
          <code>{incident.id}</code>
        </Fact>
      </dl>
    </header>
  );
}

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.fact}>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  header: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), marginBottom: theme.spacing(3) }),
  facts: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1, 4), margin: 0 }),
  fact: css({
    dt: {
      color: theme.colors.text.secondary,
      fontSize: theme.typography.bodySmall.fontSize,
      fontWeight: theme.typography.fontWeightMedium,
    },
    dd: { margin: 0 },
  }),
});
