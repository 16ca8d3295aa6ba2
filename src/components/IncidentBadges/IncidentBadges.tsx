import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, type IconName, useStyles2, useTheme2 } from '@grafana/ui';
import { isSeverity, type Severity } from '../../datasource/incidents';
import { statusLabel } from '../../datasource/incidentSummary';

// Theme colour names, resolved per theme: the same names the Incidents query's table field config uses.
const SEVERITY_COLOURS: Record<Severity, string> = {
  critical: 'red',
  high: 'orange',
  warning: 'yellow',
  info: 'blue',
};

const STATUS_LOOK: Record<string, { colour: string; icon: IconName }> = {
  open: { colour: 'red', icon: 'fire' },
  firing: { colour: 'red', icon: 'fire' },
  resolving: { colour: 'orange', icon: 'hourglass' },
  resolved: { colour: 'green', icon: 'check-circle' },
};

function Pill({ colour, icon, label }: { colour?: string; icon?: IconName; label: string }) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const background = colour ? theme.visualization.getColorByName(colour) : theme.colors.secondary.main;
  return (
    <span
      className={styles.pill}
      // 4.5: WCAG AA contrast for small text, so the label stays readable on every colour in both themes.
      style={{ background, color: theme.colors.getContrastText(background, 4.5) }}
      data-colour={colour ?? 'none'}
    >
      {icon && <Icon name={icon} size="xs" aria-hidden />}
      {label}
    </span>
  );
}

/** The incident's severity on its theme colour: critical red, high orange, warning yellow, info blue. */
export function SeverityBadge({ severity }: { severity: string }) {
  return <Pill colour={isSeverity(severity) ? SEVERITY_COLOURS[severity] : undefined} label={severity} />;
}

/** Open (or an alert firing), resolving or resolved, coloured as Grafana's alert states are. */
export function StatusBadge({ status }: { status: string }) {
  const look = STATUS_LOOK[status];
  return <Pill colour={look?.colour} icon={look?.icon} label={statusLabel(status)} />;
}

const getStyles = (theme: GrafanaTheme2) => ({
  pill: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0.25, 1),
    borderRadius: theme.shape.radius.pill,
    fontSize: theme.typography.bodySmall.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    lineHeight: theme.typography.bodySmall.lineHeight,
    whiteSpace: 'nowrap',
    textTransform: 'capitalize',
  }),
});
