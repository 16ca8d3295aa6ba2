import React from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Tooltip, useStyles2 } from '@grafana/ui';
import { indicatorText, type Incident, type TopCause } from '../../datasource/incidents';
import { incidentDurationMs } from '../../datasource/incidentSummary';
import { incidentUrl } from '../../utils/utils.routing';
import { SeverityBadge, StatusBadge } from '../IncidentBadges/IncidentBadges';
import { tableStyles } from '../tableStyles';
import { TableHead } from '../TableHead/TableHead';
import { testIds } from '../testIds';
import { formatConfidence, formatDuration, formatTime, formatTimeAgo } from './formatting';

interface Props {
  incidents: Incident[];
  /** When the list was read: ongoing incidents last until then. */
  now: number;
  timeZone: string;
}

const MAX_SERVICES = 3;

/** Incidents as rows, like Grafana's alert list; a row (or its title, by keyboard) opens the investigation. */
export function IncidentTable({ incidents, now, timeZone }: Props) {
  const styles = useStyles2(getStyles);
  const navigate = useNavigate();

  return (
    <div className={styles.scroller}>
      <table className={styles.table} aria-label="Incidents" data-testid={testIds.incidents.table}>
        <TableHead
          columns={[
            { label: 'Severity' },
            { label: 'Title' },
            { label: 'Services' },
            { label: 'Started' },
            { label: 'Duration' },
            { label: 'Alerts', className: styles.number },
            { label: 'Status' },
            { label: 'Suspected cause' },
          ]}
        />
        <tbody>
          {incidents.map((incident) => {
            const href = incidentUrl(incident.id);
            const started = Date.parse(incident.startsAt);
            return (
              <tr
                key={incident.id}
                className={styles.row}
                data-testid={testIds.incidents.row}
                // The title link handles its own clicks; the rest of the row opens the same page.
                onClick={(event) => !event.defaultPrevented && navigate(href)}
              >
                <td>
                  <SeverityBadge severity={incident.severity} />
                </td>
                <td className={styles.title}>
                  <Link to={href} className={styles.link}>
                    {incident.title}
                  </Link>
                </td>
                <td>
                  <Services services={incident.services} />
                </td>
                <td className={styles.nowrap}>
                  <Tooltip content={formatTimeAgo(started, timeZone)}>
                    <time dateTime={incident.startsAt}>{formatTime(started, timeZone)}</time>
                  </Tooltip>
                </td>
                <td className={styles.nowrap}>{formatDuration(incidentDurationMs(incident, now))}</td>
                <td className={styles.number}>{incident.alertCount}</td>
                <td>
                  <StatusBadge status={incident.status} />
                </td>
                <td data-testid={testIds.incidents.cause}>
                  <SuspectedCause cause={incident.topCause} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The analysis' strongest cause: service, what about it, and how sure the engine is. */
function SuspectedCause({ cause }: { cause: TopCause | null }) {
  const styles = useStyles2(getStyles);
  if (cause === null) {
    return <span className={styles.muted}>Not analysed</span>;
  }
  const by = cause.method === 'llm' ? 'the LLM' : 'the dependency graph ranking';
  return (
    <span className={styles.cause}>
      <span className={styles.causeService}>{cause.service}</span>
      <span className={styles.muted}>{indicatorText(cause.indicator)}</span>
      <Tooltip content={`Confidence of ${by}`}>
        <span className={styles.confidence}>{formatConfidence(cause.confidence)}</span>
      </Tooltip>
    </span>
  );
}

function Services({ services }: { services: string[] }) {
  const styles = useStyles2(getStyles);
  if (services.length === 0) {
    return <span className={styles.muted}>none known</span>;
  }
  const shown = services.slice(0, MAX_SERVICES);
  const hidden = services.slice(MAX_SERVICES);
  return (
    <span className={styles.services}>
      {shown.map((service) => (
        <span key={service} className={styles.service}>
          {service}
        </span>
      ))}
      {hidden.length > 0 && (
        <Tooltip content={hidden.join(', ')}>
          <span className={styles.muted}>+{hidden.length} more</span>
        </Tooltip>
      )}
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  ...tableStyles(theme, 'middle'),
  row: css({
    cursor: 'pointer',
    '&:hover, &:focus-within': { background: theme.colors.action.hover },
  }),
  title: css({ minWidth: 240, fontWeight: theme.typography.fontWeightMedium }),
  link: css({
    color: theme.colors.text.primary,
    '&:hover': { color: theme.colors.text.link, textDecoration: 'underline' },
  }),
  services: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5), alignItems: 'center' }),
  service: css({
    padding: theme.spacing(0, 0.75),
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
  }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  nowrap: css({ whiteSpace: 'nowrap' }),
  cause: css({ display: 'inline-flex', flexWrap: 'wrap', gap: theme.spacing(0.75), alignItems: 'baseline' }),
  causeService: css({ fontWeight: theme.typography.fontWeightMedium }),
  confidence: css({ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
  // Doubled class: wins over the table's left alignment.
  number: css({ '&&': { textAlign: 'right', fontVariantNumeric: 'tabular-nums' } }),
});
