import React from 'react';
import { Link } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Tooltip, useStyles2 } from '@grafana/ui';
import { type AgentRunSummary, totalTokens, verdictText } from '../../datasource/agentRuns';
import { formatDuration as formatSpan } from '../../panels/agenttrace/agentTrace';
import { incidentUrl } from '../../utils/utils.routing';
import { formatTime, formatTimeAgo } from '../IncidentTable/formatting';
import { tableStyles } from '../tableStyles';
import { TableHead } from '../TableHead/TableHead';
import { testIds } from '../testIds';

interface Props {
  runs: AgentRunSummary[];
  /** The run open below the list. */
  openId: string;
  timeZone: string;
  onOpen: (id: string) => void;
  /** How the table is named for screen readers. */
  label: string;
}

const STATUS_BADGES: Record<string, 'green' | 'red' | 'blue'> = { ok: 'green', error: 'red', running: 'blue' };

export function RunStatusBadge({ status }: { status: string }) {
  return <Badge color={STATUS_BADGES[status] ?? 'darkgrey'} text={status} />;
}

const numberFormat = new Intl.NumberFormat('en-US');

/** Agent runs as rows: when, what, for which incident, how long, tokens, model, status and verdict. */
export function AgentRunTable({ runs, openId, timeZone, onOpen, label }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.scroller}>
      <table className={styles.table} aria-label={label} data-testid={testIds.agentRuns.table}>
        <TableHead
          columns={[
            { label: 'Started' },
            { label: 'Kind' },
            { label: 'Incident' },
            { label: 'Duration', className: styles.number },
            { label: 'LLM tokens', className: styles.number },
            { label: 'Model' },
            { label: 'Status' },
            { label: 'Verdict' },
            { label: 'Faithfulness', className: styles.number },
          ]}
        />
        <tbody>
          {runs.map((run) => {
            const started = Date.parse(run.startedAt);
            const open = run.id === openId;
            return (
              <tr
                key={run.id}
                className={styles.row}
                aria-current={open ? 'true' : undefined}
                data-testid={testIds.agentRuns.row}
                // The buttons and links handle their own clicks; the rest of the row opens the run.
                onClick={(event) => !event.defaultPrevented && onOpen(run.id)}
              >
                <td className={styles.nowrap}>
                  <Tooltip content={formatTimeAgo(started, timeZone)}>
                    <time dateTime={run.startedAt}>{formatTime(started, timeZone)}</time>
                  </Tooltip>
                </td>
                <td>
                  <button
                    type="button"
                    className={styles.open}
                    aria-label={`Open the ${run.kind} run${run.incidentId ? ` of ${run.incidentId}` : ''} started ${formatTime(started, timeZone)}`}
                    onClick={(event) => {
                      event.preventDefault();
                      onOpen(run.id);
                    }}
                  >
                    {run.kind}
                  </button>
                </td>
                <td>
                  {run.incidentId ? (
                    <Link
                      to={incidentUrl(run.incidentId)}
                      className={styles.link}
                      onClick={(event) => event.stopPropagation()}
                    >
                      {run.incidentId}
                    </Link>
                  ) : (
                    <span className={styles.muted}>—</span>
                  )}
                </td>
                <td className={styles.number}>{run.durationMs === null ? 'running' : formatSpan(run.durationMs)}</td>
                <td className={styles.number}>{run.llmCalls > 0 ? numberFormat.format(totalTokens(run)) : '—'}</td>
                <td>{run.model ?? <span className={styles.muted}>none</span>}</td>
                <td>
                  <RunStatusBadge status={run.status} />
                </td>
                <td>{verdictText(run) ?? <span className={styles.muted}>none yet</span>}</td>
                <td className={styles.number}>
                  {run.judge ? `${Math.round(run.judge.faithfulness * 100)}%` : <span className={styles.muted}>—</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  ...tableStyles(theme, 'middle'),
  row: css({
    cursor: 'pointer',
    '&:hover, &:focus-within': { background: theme.colors.action.hover },
    '&[aria-current="true"]': { background: theme.colors.action.selected },
  }),
  open: css({
    all: 'unset',
    cursor: 'pointer',
    fontWeight: theme.typography.fontWeightMedium,
    '&:hover': { color: theme.colors.text.link, textDecoration: 'underline' },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: 2 },
  }),
  // As the incident list's titles: the link colour only on hover, so text keeps its contrast on a hovered row.
  link: css({
    color: theme.colors.text.primary,
    textDecoration: 'underline',
    textDecorationColor: theme.colors.border.strong,
    '&:hover': { color: theme.colors.text.link },
  }),
  muted: css({ color: theme.colors.text.secondary }),
  nowrap: css({ whiteSpace: 'nowrap' }),
  // Doubled class: wins over the table's left alignment.
  number: css({ '&&': { textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } }),
});
