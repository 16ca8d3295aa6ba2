import React, { useContext, useMemo } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';
import { RootCauseCard } from '../../components/RootCauseCard/RootCauseCard';
import { useCauseFeedback } from '../../components/RootCauseCard/useCauseFeedback';
import { testIds } from '../../components/testIds';
import { currentUserLogin, EngineFetchContext, feedbackSender } from '../../services/rcaFeedback';
import { methodSentence } from '../../services/rootCauseCards';
import { PanelEmptyState } from '../shared/PanelEmptyState';
import { PanelFrame } from '../shared/PanelFrame';
import { type EmptyReason, rootCausesFromFrames } from './rootCauses';
import type { RootCauseOptions } from './types';

const EMPTY_TITLES: Record<EmptyReason, string> = {
  'not-analysed': 'Not analysed yet',
  'unknown-incident': 'No such incident',
  'no-incident': 'No incident',
  'no-target': 'No incident chosen',
};

export function RootCausePanel({ data, options }: PanelProps<RootCauseOptions>) {
  const styles = useStyles2(getStyles);
  const view = useMemo(() => rootCausesFromFrames(data.series), [data.series]);
  const send = useContext(EngineFetchContext);
  const { incidentId, engineUrl } = view;
  const engineName = view.engineName;
  const sender = useMemo(
    () =>
      incidentId && engineUrl
        ? feedbackSender(
            { incidentId, engineUrl, engineName: engineName ?? 'the configured URL' },
            send,
            currentUserLogin()
          )
        : undefined,
    [incidentId, engineUrl, engineName, send]
  );
  const feedback = useCauseFeedback(sender);

  if (view.cards.length === 0) {
    const notices = view.notices.map((notice) => notice.text);
    return (
      <PanelEmptyState
        title={view.empty ? EMPTY_TITLES[view.empty] : 'No root causes in this data'}
        testId={testIds.rootCausePanel.empty}
      >
        {view.empty ? (
          notices.join(' ')
        ) : (
          <>
            Query the IntelOps datasource&apos;s <strong>Root causes</strong> query type, or a frame with one row per
            suspected cause and the fields <code>service</code>, <code>confidence</code> (0–1), <code>explanation</code>
            , <code>evidence</code>, <code>actions</code> and <code>method</code>.
          </>
        )}
      </PanelEmptyState>
    );
  }

  const fallback = view.method?.kind === 'graph' && view.method.fallbackReason !== undefined;
  // The fallback reason is in the method line already; other notices (causes dropped, evidence unread) follow it.
  const otherNotices = view.notices.filter((notice) => !notice.text.startsWith('LLM not used'));
  return (
    <PanelFrame testId={testIds.rootCausePanel.container} gap={0.5}>
      <ol className={styles.list} aria-label="Top root causes">
        {view.cards.map((card) => (
          <RootCauseCard
            key={card.key}
            card={card}
            showEvidence={options.showEvidence}
            compact
            feedback={
              sender
                ? {
                    state: feedback.stateOf(card.service),
                    onVerdict: (verdict) => feedback.give(card.service, verdict),
                  }
                : undefined
            }
          />
        ))}
      </ol>
      {view.method && (
        <p
          className={cx(styles.method, fallback && styles.fallback)}
          data-testid={testIds.rootCausePanel.method}
          title={methodSentence(view.method)}
          {...(fallback ? { role: 'note' } : {})}
        >
          {fallback && <Icon name="exclamation-triangle" size="sm" aria-hidden />} {methodSentence(view.method)}
        </p>
      )}
      {otherNotices.map((notice) => (
        <p key={notice.text} className={cx(styles.method, styles.fallback)} role="note" title={notice.text}>
          <Icon name="exclamation-triangle" size="sm" aria-hidden /> {notice.text}
        </p>
      ))}
    </PanelFrame>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
  }),
  method: css({
    ...theme.typography.bodySmall,
    color: theme.colors.text.secondary,
    margin: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    flexShrink: 0,
  }),
  fallback: css({ color: theme.colors.warning.text }),
});
