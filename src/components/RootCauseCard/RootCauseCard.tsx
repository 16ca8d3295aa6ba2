import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, IconButton, useStyles2, useTheme2 } from '@grafana/ui';
import type { Verdict } from '../../datasource/rootCauses';
import { kindColour } from '../../panels/shared/kindColour';
import { feedbackStatusText, type FeedbackState } from '../../services/rcaFeedback';
import {
  type ChipKind,
  confidencePercent,
  type EvidenceChip,
  type RootCauseCardView,
} from '../../services/rootCauseCards';
import { testIds } from '../testIds';

interface Props {
  card: RootCauseCardView;
  showEvidence: boolean;
  /** Confirm/reject buttons; left out when there is no incident to post the verdict to. */
  feedback?: { state: FeedbackState; onVerdict: (verdict: Verdict) => void };
  /** One line per part (the panel in a small cell); the page lets text wrap. */
  compact: boolean;
}

/** One suspected root cause: service, indicator, confidence bar, explanation, evidence chips, actions, feedback. */
export function RootCauseCard({ card, showEvidence, feedback, compact }: Props) {
  const styles = useStyles2(getStyles);
  const percent = card.confidence === undefined ? undefined : confidencePercent(card.confidence);
  const label = `Root cause ${card.rank}: ${card.service}${percent === undefined ? '' : `, confidence ${percent}%`}`;
  return (
    <li
      className={cx(styles.card, compact && styles.compact)}
      data-testid={testIds.rootCausePanel.card}
      aria-label={label}
    >
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
        <span className={styles.percent} data-testid={testIds.rootCausePanel.confidence}>
          {percent === undefined ? '–' : `${percent}%`}
        </span>
        {feedback && <Feedback service={card.service} {...feedback} />}
      </div>
      {card.explanation && (
        <p className={styles.line} title={card.explanation}>
          {card.explanation}
        </p>
      )}
      <EvidenceAndActions card={card} showEvidence={showEvidence} compact={compact} />
    </li>
  );
}

// In a small panel the chips and the actions share one row (chips first, each shrinking with an ellipsis).
function EvidenceAndActions({ card, showEvidence, compact }: Pick<Props, 'card' | 'showEvidence' | 'compact'>) {
  const styles = useStyles2(getStyles);
  const chips = showEvidence && card.evidence.length > 0 && (
    <ul
      className={cx(styles.chips, compact ? styles.chipsShared : styles.chipsWrap)}
      aria-label={`Evidence for ${card.service}`}
    >
      {card.evidence.map((chip, index) => (
        <Evidence key={`${chip.kind}-${chip.label}-${index}`} chip={chip} />
      ))}
    </ul>
  );
  const actions = card.actions.length > 0 && (
    <div className={styles.actions} data-testid={testIds.rootCausePanel.actions} title={card.actions.join('\n')}>
      <span className={styles.actionsLabel}>Do:</span>
      <ol className={styles.actionList} aria-label={`Actions for ${card.service}`}>
        {card.actions.map((action, index) => (
          <li key={index}>{action}</li>
        ))}
      </ol>
    </div>
  );
  if (!chips && !actions) {
    return null;
  }
  return compact ? (
    <div className={styles.sharedRow}>
      {chips}
      {actions}
    </div>
  ) : (
    <>
      {chips}
      {actions}
    </>
  );
}

function Feedback({
  service,
  state,
  onVerdict,
}: {
  service: string;
  state: FeedbackState;
  onVerdict: (verdict: Verdict) => void;
}) {
  const styles = useStyles2(getStyles);
  const pending = state.phase === 'pending';
  const given = state.phase === 'done' ? state.verdict : undefined;
  const status = feedbackStatusText(state);
  return (
    <span className={styles.feedback} data-testid={testIds.rootCausePanel.feedback}>
      <span
        role="status"
        className={cx(styles.status, state.phase === 'error' && styles.statusError)}
        title={status}
        data-testid={testIds.rootCausePanel.feedbackStatus}
        data-phase={state.phase}
      >
        {state.phase === 'error' && <Icon name="exclamation-triangle" size="sm" aria-hidden />}
        {status}
      </span>
      <IconButton
        name={pending && state.verdict === 'confirm' ? 'spinner' : 'check'}
        size="sm"
        aria-pressed={given === 'confirm'}
        className={cx(given === 'confirm' && styles.confirmed)}
        disabled={pending}
        tooltip={`Confirm ${service} as the root cause`}
        onClick={() => onVerdict('confirm')}
      />
      <IconButton
        name={pending && state.verdict === 'reject' ? 'spinner' : 'times'}
        size="sm"
        aria-pressed={given === 'reject'}
        className={cx(given === 'reject' && styles.rejected)}
        disabled={pending}
        tooltip={`Reject ${service} as the root cause`}
        onClick={() => onVerdict('reject')}
      />
    </span>
  );
}

/** One evidence chip (kind dot, summary, a link to Explore), an item of a list of chips. */
export function Evidence({ chip }: { chip: EvidenceChip }) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const colour = kindColour(theme, EVIDENCE_COLOURS, chip.kind, theme.colors.border.strong);
  const content = (
    <>
      {chip.kind !== 'other' && (
        <span className={styles.chipKind}>
          <span className={styles.chipDot} style={{ background: colour }} aria-hidden="true" />
          {chip.kind}
        </span>
      )}
      <span className={styles.chipLabel}>{chip.label}</span>
    </>
  );
  return (
    <li
      className={styles.chip}
      style={{ borderColor: colour }}
      title={chip.title}
      data-testid={testIds.rootCausePanel.evidence}
    >
      {chip.href ? (
        <a className={styles.chipLink} href={chip.href} aria-label={`Open in Explore: ${chip.title}`}>
          {content}
        </a>
      ) : (
        content
      )}
    </li>
  );
}

const EVIDENCE_COLOURS: Partial<Record<ChipKind, string>> = {
  metric: 'blue',
  log: 'purple',
  trace: 'orange',
  change: 'green',
};

const oneLine = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0.5, 1),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    minWidth: 0,
  }),
  // In a small panel every part keeps to one line, so three cards fit a 6x8 cell.
  compact: css({
    padding: theme.spacing(0.25, 1),
    gap: theme.spacing(0.25),
    'p, ol': oneLine,
  }),
  heading: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    minWidth: 0,
    lineHeight: 1.3,
  }),
  rank: css({
    ...theme.typography.bodySmall,
    color: theme.colors.text.secondary,
    fontVariantNumeric: 'tabular-nums',
  }),
  service: css({ fontWeight: theme.typography.fontWeightMedium, ...oneLine, flexShrink: 1, minWidth: 0 }),
  indicator: css({
    ...theme.typography.bodySmall,
    color: theme.colors.text.secondary,
    ...oneLine,
    flexShrink: 2,
    minWidth: 0,
  }),
  track: css({
    flex: '1 1 40px',
    minWidth: 32,
    height: 6,
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.border.weak,
    overflow: 'hidden',
  }),
  fill: css({
    height: '100%',
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.primary.main,
  }),
  percent: css({
    fontWeight: theme.typography.fontWeightBold,
    fontVariantNumeric: 'tabular-nums',
    minWidth: '3.5ch',
    textAlign: 'right',
  }),
  line: css({
    ...theme.typography.bodySmall,
    lineHeight: 1.35,
    margin: 0,
  }),
  chips: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'nowrap',
    overflow: 'hidden',
    gap: theme.spacing(0.5),
  }),
  chipsShared: css({ flex: '0 1 auto', maxWidth: '62%' }),
  chipsWrap: css({ flexWrap: 'wrap', li: { maxWidth: '100%' } }),
  sharedRow: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), minWidth: 0 }),
  chip: css({
    ...theme.typography.bodySmall,
    lineHeight: 1.35,
    display: 'inline-flex',
    flexShrink: 1,
    minWidth: 0,
    maxWidth: '60%',
    whiteSpace: 'nowrap',
    border: '1px solid',
    borderRadius: theme.shape.radius.pill,
    padding: theme.spacing(0, 0.75),
  }),
  chipLink: css({
    display: 'inline-flex',
    gap: theme.spacing(0.5),
    minWidth: 0,
    color: 'inherit',
    '&:hover': { textDecoration: 'underline' },
  }),
  // The kind's colour marks the border and a dot; the text keeps the theme's contrast.
  chipKind: css({
    fontWeight: theme.typography.fontWeightMedium,
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  }),
  chipDot: css({ width: 6, height: 6, borderRadius: '50%', flexShrink: 0 }),
  chipLabel: css(oneLine),
  actions: css({
    ...theme.typography.bodySmall,
    lineHeight: 1.35,
    display: 'flex',
    gap: theme.spacing(0.5),
    minWidth: 0,
    flex: '1 1 0',
  }),
  actionsLabel: css({ color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium }),
  actionList: css({
    margin: 0,
    padding: 0,
    listStyle: 'none',
    minWidth: 0,
    li: { display: 'inline' },
    'li + li::before': { content: '" · "', color: theme.colors.text.secondary },
  }),
  feedback: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5), minWidth: 0, flexShrink: 1 }),
  status: css({ ...theme.typography.bodySmall, color: theme.colors.text.secondary, ...oneLine, maxWidth: 160 }),
  statusError: css({ color: theme.colors.error.text }),
  confirmed: css({ color: theme.colors.success.text }),
  rejected: css({ color: theme.colors.error.text }),
});
