import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { formatDuration } from '../../panels/agenttrace/agentTrace';
import { whyWorst, type WorstRun } from '../../panels/evals/evalsView';
import { testIds } from '../testIds';

export interface RunLinkProps {
  runId: string;
  className?: string;
  children: React.ReactNode;
}

interface Props {
  runs: WorstRun[];
  /** Opens the run on the Agent runs page: a router link on app pages, a plain link in panels. */
  RunLink: React.ComponentType<RunLinkProps>;
  headingLevel: 'h3' | 'h4';
}

/** The worst recent runs (failed, slowest, unfaithful), each saying why and opening its waterfall. */
export function EvalWorstRuns({ runs, RunLink, headingLevel: Heading }: Props) {
  const styles = useStyles2(getStyles);
  if (runs.length === 0) {
    return null;
  }
  return (
    <section aria-label="Worst recent runs" data-testid={testIds.evalsPanel.worst}>
      <Heading className={styles.heading}>Worst recent runs</Heading>
      <ul className={styles.list}>
        {runs.map((run) => (
          <li key={run.id} className={styles.item} data-testid={testIds.evalsPanel.worstRun}>
            <RunLink runId={run.id} className={styles.link}>
              {run.kind ?? 'run'}
              {run.incident ? ` of ${run.incident}` : ''}
            </RunLink>
            <span className={run.status === 'error' ? styles.failed : styles.reason}>
              {whyWorst(run, formatDuration)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  heading: css({
    ...theme.typography.bodySmall,
    fontWeight: theme.typography.fontWeightMedium,
    margin: theme.spacing(0, 0, 0.5),
  }),
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.25),
  }),
  item: css({
    ...theme.typography.bodySmall,
    display: 'flex',
    gap: theme.spacing(1),
    minWidth: 0,
  }),
  link: css({
    color: theme.colors.text.link,
    whiteSpace: 'nowrap',
    '&:hover': { textDecoration: 'underline' },
  }),
  reason: css({
    color: theme.colors.text.secondary,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
  failed: css({ color: theme.colors.error.text, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
});
