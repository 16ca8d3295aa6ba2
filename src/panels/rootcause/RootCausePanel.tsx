import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { kindColour } from '../shared/kindColour';
import { PanelEmptyState } from '../shared/PanelEmptyState';
import { PanelFrame } from '../shared/PanelFrame';
import {
  confidencePercent,
  type EvidenceChip,
  type EvidenceKind,
  methodLabel,
  type RootCauseCard,
  rootCausesFromFrames,
} from './rootCauses';
import type { RootCauseOptions } from './types';

export function RootCausePanel({ data, options }: PanelProps<RootCauseOptions>) {
  const styles = useStyles2(getStyles);
  const view = useMemo(() => rootCausesFromFrames(data.series), [data.series]);

  if (view.cards.length === 0) {
    return (
      <PanelEmptyState title="No root causes in this data" testId={testIds.rootCausePanel.empty}>
        Query a frame with one row per suspected cause and the fields <code>service</code>, <code>confidence</code>{' '}
        (0–1), <code>explanation</code>, <code>evidence</code> and <code>method</code>; optional <code>rank</code> and{' '}
        <code>indicator</code>.
      </PanelEmptyState>
    );
  }

  return (
    <PanelFrame testId={testIds.rootCausePanel.container} gap={0.5}>
      <ol className={styles.list} aria-label="Top root causes">
        {view.cards.map((card) => (
          <CauseCard key={card.key} card={card} showEvidence={options.showEvidence} />
        ))}
      </ol>
      {view.method && (
        <p className={styles.method} data-testid={testIds.rootCausePanel.method}>
          Method: {methodLabel(view.method)}
        </p>
      )}
      {view.llmUnavailable && (
        <p className={styles.fallbackNote} role="note">
          <span aria-hidden="true">⚠</span> LLM unavailable: showing the deterministic graph ranking.
        </p>
      )}
    </PanelFrame>
  );
}

function CauseCard({ card, showEvidence }: { card: RootCauseCard; showEvidence: boolean }) {
  const styles = useStyles2(getStyles);
  const percent = card.confidence === undefined ? undefined : confidencePercent(card.confidence);
  const label = `Root cause ${card.rank}: ${card.service}${percent === undefined ? '' : `, confidence ${percent}%`}`;
  return (
    <li className={styles.card} data-testid={testIds.rootCausePanel.card} aria-label={label}>
      <div className={styles.heading}>
        <span className={styles.rank}>#{card.rank}</span>
        <span className={styles.service} title={card.service}>
          {card.service}
        </span>
        {card.indicator && (
          <span className={styles.indicator} title={card.indicator}>
            {card.indicator}
          </span>
        )}
        <span className={styles.percent} data-testid={testIds.rootCausePanel.confidence}>
          {percent === undefined ? '–' : `${percent}%`}
        </span>
      </div>
      <div
        className={styles.track}
        role="meter"
        aria-label={`Confidence for ${card.service}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? 0}
      >
        <div className={styles.fill} style={{ width: `${percent ?? 0}%` }} />
      </div>
      {card.explanation && (
        <p className={styles.explanation} title={card.explanation}>
          {card.explanation}
        </p>
      )}
      {showEvidence && card.evidence.length > 0 && (
        <ul className={styles.chips} aria-label={`Evidence for ${card.service}`}>
          {card.evidence.map((chip, index) => (
            <Evidence key={`${chip.kind}-${chip.label}-${index}`} chip={chip} />
          ))}
        </ul>
      )}
    </li>
  );
}

function Evidence({ chip }: { chip: EvidenceChip }) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const colour = kindColour(theme, EVIDENCE_COLOURS, chip.kind, theme.colors.border.strong);
  return (
    <li
      className={styles.chip}
      style={{ borderColor: colour }}
      title={`${chip.kind}: ${chip.label}`}
      data-testid={testIds.rootCausePanel.evidence}
    >
      {chip.kind !== 'other' && (
        <span className={styles.chipKind} style={{ color: colour }}>
          {chip.kind}
        </span>
      )}
      <span className={styles.chipLabel}>{chip.label}</span>
    </li>
  );
}

const EVIDENCE_COLOURS: Record<Exclude<EvidenceKind, 'other'>, string> = {
  metric: 'blue',
  log: 'purple',
  trace: 'orange',
  change: 'green',
};

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
  }),
  card: css({
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0.25, 1),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.25),
    minWidth: 0,
  }),
  heading: css({
    display: 'flex',
    alignItems: 'baseline',
    gap: theme.spacing(0.75),
    minWidth: 0,
    lineHeight: 1.3,
  }),
  rank: css({
    ...theme.typography.bodySmall,
    color: theme.colors.text.secondary,
    fontVariantNumeric: 'tabular-nums',
  }),
  service: css({
    fontWeight: theme.typography.fontWeightMedium,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    flexShrink: 1,
  }),
  indicator: css({
    ...theme.typography.bodySmall,
    color: theme.colors.text.secondary,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    flexShrink: 2,
    minWidth: 0,
  }),
  percent: css({
    marginLeft: 'auto',
    fontWeight: theme.typography.fontWeightBold,
    fontVariantNumeric: 'tabular-nums',
  }),
  track: css({
    height: 4,
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.border.weak,
    overflow: 'hidden',
  }),
  fill: css({
    height: '100%',
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.primary.main,
  }),
  explanation: css({
    ...theme.typography.bodySmall,
    lineHeight: 1.4,
    margin: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
  // One row of chips that shrink with an ellipsis: the card keeps its height in a small panel.
  chips: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'nowrap',
    overflow: 'hidden',
    gap: theme.spacing(0.5),
  }),
  chip: css({
    ...theme.typography.bodySmall,
    lineHeight: 1.4,
    display: 'inline-flex',
    gap: theme.spacing(0.5),
    flexShrink: 1,
    minWidth: 0,
    whiteSpace: 'nowrap',
    border: '1px solid',
    borderRadius: theme.shape.radius.pill,
    padding: theme.spacing(0, 0.75),
  }),
  chipKind: css({
    fontWeight: theme.typography.fontWeightMedium,
  }),
  chipLabel: css({
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
  method: css({
    ...theme.typography.bodySmall,
    color: theme.colors.text.secondary,
    margin: 0,
  }),
  fallbackNote: css({
    ...theme.typography.bodySmall,
    color: theme.colors.warning.text,
    margin: 0,
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  }),
});
