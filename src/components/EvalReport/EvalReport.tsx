import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, Text, useStyles2 } from '@grafana/ui';
import { EVAL_TREND_KEYS, type EvalsReport } from '../../datasource/evals';
import { evalsFrames } from '../../datasource/evalsFrame';
import { EVAL_METRICS, formatMetric } from '../../panels/evals/evalScores';
import { evalsView, verdictText } from '../../panels/evals/evalsView';
import { AgentRunTable } from '../AgentRunTable/AgentRunTable';
import { EvalScorecard, statusColour } from '../EvalScorecard/EvalScorecard';
import { formatTime } from '../IncidentTable/formatting';
import { tableStyles } from '../tableStyles';
import { TableHead } from '../TableHead/TableHead';
import { testIds } from '../testIds';

interface Props {
  report: EvalsReport;
  timeZone: string;
  onOpenRun: (id: string) => void;
}

function specOf(metric: string) {
  return EVAL_METRICS.find((spec) => spec.id === metric);
}

/** "P95 latency 3.42 s is over its threshold of 3.00 s": a finding's figures in words. */
export function findingText(finding: EvalsReport['verdict']['findings'][number]): string {
  const spec = specOf(finding.metric);
  if (!spec) {
    return `${finding.metric} ${finding.value} against ${finding.threshold}`;
  }
  const side = spec.badWhen === 'above' ? 'over' : 'under';
  return `${spec.title} ${formatMetric(spec.unit, finding.value)} is ${side} its threshold of ${formatMetric(spec.unit, finding.threshold)}`;
}

function countsText(report: EvalsReport): string {
  const { counts } = report;
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  return [
    n(report.runs, 'analysis', 'analyses'),
    `${n(counts.runs, 'run')} of every kind, ${counts.errors} failed`,
    `${n(counts.judged, 'judged by the LLM', 'judged by the LLM')}`,
    n(counts.verdicts, 'verdict from people', 'verdicts from people'),
    `${n(counts.citations, 'citation')} (${counts.citationsDropped} dropped)`,
    n(counts.retrievals, 'retrieval'),
  ].join(' · ');
}

/** The Evals page's body: the verdict in words, the scorecard with its thresholds, the trend and the worst runs. */
export function EvalReport({ report, timeZone, onOpenRun }: Props) {
  const styles = useStyles2(getStyles);
  const view = useMemo(() => evalsView(evalsFrames(report, 'evals')), [report]);
  const { verdict } = view;
  return (
    <>
      <section
        className={styles.verdict(verdict.status)}
        aria-labelledby="evals-verdict"
        data-testid={testIds.evalsPage.verdict}
      >
        <Text element="h2" variant="h4" id="evals-verdict">
          <Icon
            name={
              verdict.status === 'good'
                ? 'check-circle'
                : verdict.status === 'bad'
                  ? 'exclamation-triangle'
                  : 'info-circle'
            }
          />{' '}
          {verdict.status === 'good' ? 'Stable' : verdict.status === 'bad' ? 'Needs attention' : 'Not enough data'}
        </Text>
        <p className={styles.sentence}>{verdictText(verdict)}</p>
        {report.verdict.findings.length > 0 && (
          <ul className={styles.findings}>
            {report.verdict.findings.map((finding) => (
              <li key={finding.metric} data-testid={testIds.evalsPage.finding}>
                {findingText(finding)}: <strong>{finding.advice}</strong>
              </li>
            ))}
          </ul>
        )}
        <Text element="p" variant="bodySmall" color="secondary" data-testid={testIds.evalsPage.counts}>
          {countsText(report)}
        </Text>
      </section>

      <section aria-labelledby="evals-scorecard" className={styles.part}>
        <Text element="h2" variant="h4" id="evals-scorecard">
          Scorecard
        </Text>
        <Text element="p" variant="bodySmall" color="secondary">
          Each score against the threshold in the engine&apos;s settings (evals.thresholds); the dashed line in each
          trend is the threshold.
        </Text>
        <EvalScorecard tiles={view.tiles} trends={view.trends} thresholds={view.thresholds} size="page" />
      </section>

      {report.trend.length > 0 && (
        <section aria-labelledby="evals-trend" className={styles.part}>
          <Text element="h2" variant="h4" id="evals-trend">
            Trend
          </Text>
          <div className={styles.scroller}>
            <table className={styles.table} aria-labelledby="evals-trend" data-testid={testIds.evalsPage.trend}>
              <TableHead
                columns={[
                  { label: 'From' },
                  { label: 'Analyses', className: styles.number },
                  ...EVAL_TREND_KEYS.map((key) => ({ label: specOf(key)?.title ?? key, className: styles.number })),
                ]}
              />
              <tbody>
                {[...report.trend].reverse().map((point) => (
                  <tr key={point.time}>
                    <td className={styles.nowrap}>{formatTime(point.time, timeZone)}</td>
                    <td className={styles.number}>{point.runs}</td>
                    {EVAL_TREND_KEYS.map((key) => {
                      const spec = specOf(key);
                      const value = point[key];
                      const bad =
                        spec &&
                        value !== null &&
                        (spec.badWhen === 'above' ? value > view.thresholds[key] : value < view.thresholds[key]);
                      return (
                        <td key={key} className={bad ? styles.badNumber : styles.number}>
                          {value === null || !spec ? '—' : formatMetric(spec.unit, value)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {report.worst.length > 0 && (
        <section aria-labelledby="evals-worst" className={styles.part} data-testid={testIds.evalsPage.worst}>
          <Text element="h2" variant="h4" id="evals-worst">
            Worst recent runs
          </Text>
          <Text element="p" variant="bodySmall" color="secondary">
            Failed, slowest and unfaithful analyses: open one to see where its time went and what it said.
          </Text>
          <AgentRunTable
            runs={report.worst}
            openId=""
            timeZone={timeZone}
            onOpen={onOpenRun}
            label="Worst recent runs"
          />
        </section>
      )}
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  ...tableStyles(theme, 'middle'),
  verdict: (status: 'good' | 'bad' | 'unknown') =>
    css({
      padding: theme.spacing(2),
      background: theme.colors.background.secondary,
      border: `1px solid ${theme.colors.border.weak}`,
      borderLeft: `4px solid ${statusColour(theme, status, 'main')}`,
      borderRadius: theme.shape.radius.default,
      h2: { color: statusColour(theme, status, 'text') },
    }),
  sentence: css({ ...theme.typography.body, margin: theme.spacing(1, 0) }),
  findings: css({ margin: theme.spacing(0, 0, 1, 2) }),
  part: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  nowrap: css({ whiteSpace: 'nowrap' }),
  // Doubled class: wins over the table's left alignment.
  number: css({ '&&': { textAlign: 'right', fontVariantNumeric: 'tabular-nums' } }),
  badNumber: css({
    '&&': { textAlign: 'right', fontVariantNumeric: 'tabular-nums', color: theme.colors.error.text },
  }),
});
