import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { EvalScorecard, statusColour } from '../../components/EvalScorecard/EvalScorecard';
import { EvalWorstRuns, type RunLinkProps } from '../../components/EvalWorstRuns/EvalWorstRuns';
import { testIds } from '../../components/testIds';
import { agentRunUrl } from '../../services/agentRunsUrl';
import { PanelEmptyState } from '../shared/PanelEmptyState';
import { PanelFrame } from '../shared/PanelFrame';
import type { TileStatus } from './evalScores';
import { evalsView, verdictText } from './evalsView';
import type { EvalsOptions } from './types';

// Panels sit outside the app's router: a plain link, which Grafana routes in place.
function PanelRunLink({ runId, className, children }: RunLinkProps) {
  return (
    <a href={agentRunUrl(runId)} className={className}>
      {children}
    </a>
  );
}

export function EvalsPanel({ data, options }: PanelProps<EvalsOptions>) {
  const styles = useStyles2(getStyles);
  const view = useMemo(() => evalsView(data.series, options.thresholds), [data.series, options.thresholds]);
  const measured = view.tiles.some((tile) => tile.status !== 'unknown');

  if (!measured) {
    const fromEngine = view.verdict.status === 'unknown' && view.runs !== undefined;
    return (
      <PanelEmptyState
        title={fromEngine ? 'No analyses to evaluate' : 'No eval results in this data'}
        testId={testIds.evalsPanel.empty}
      >
        {fromEngine ? (
          <>
            {verdictText(view.verdict)} The engine records a run each time it analyses an incident; widen the time range
            or analyse an incident from its investigation page.
          </>
        ) : (
          <>
            Use the IntelOps datasource&apos;s &quot;Evals&quot; query, or query the eval metrics as rows of{' '}
            <code>metric</code> and <code>value</code>, or as columns named <code>p95_latency_ms</code>,{' '}
            <code>error_rate</code>, <code>ttft_ms</code>, <code>retrieval_hit_rate</code>,{' '}
            <code>hallucination_rate</code>, <code>accuracy</code> and <code>faithfulness</code> (rates between 0 and
            1).
          </>
        )}
      </PanelEmptyState>
    );
  }

  return (
    <PanelFrame testId={testIds.evalsPanel.container} gap={1}>
      <p className={styles.verdict(view.verdict.status)} data-testid={testIds.evalsPanel.verdict} role="status">
        <span aria-hidden="true">{view.verdict.status === 'good' ? '✓' : '!'}</span>
        <span>{verdictText(view.verdict)}</span>
      </p>
      <EvalScorecard tiles={view.tiles} trends={view.trends} thresholds={view.thresholds} size="panel" />
      <EvalWorstRuns runs={view.worst} RunLink={PanelRunLink} headingLevel="h4" />
    </PanelFrame>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  verdict: (status: TileStatus) =>
    css({
      margin: 0,
      display: 'flex',
      gap: theme.spacing(1),
      alignItems: 'baseline',
      fontWeight: theme.typography.fontWeightMedium,
      color: statusColour(theme, status, 'text'),
    }),
});
