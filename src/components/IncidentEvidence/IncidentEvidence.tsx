import React from 'react';
import { Link } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Icon, type IconName, LinkButton, Stack, Text, useStyles2 } from '@grafana/ui';
import { ROUTES } from '../../constants';
import type { Upstream } from '../../datasource/upstreams';
import { UPSTREAMS } from '../../datasource/upstreams';
import {
  collectedText,
  type EvidenceItem,
  evidenceExploreUrl,
  groupEvidence,
  KIND_LABELS,
  sourceHint,
  type SourceState,
  sourceSentence,
  timeRangeText,
} from '../../services/evidence';
import type { EvidenceView } from '../../pages/Investigation/useEvidence';
import { prefixRoute } from '../../utils/utils.routing';
import { EngineLoading, NoDatasourceAlert, ReadErrorAlert } from '../EngineReadStates/EngineReadStates';
import { testIds } from '../testIds';

interface Props {
  view: EvidenceView;
  timeZone: string;
  onCollect: () => void;
  onReload: () => void;
}

export const EVIDENCE_HEADING_ID = 'intelops-incident-evidence';

/** The incident's evidence: which sources were read, and what they showed, each one click from Explore. */
export function IncidentEvidence({ view, timeZone, onCollect, onReload }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <section aria-labelledby={EVIDENCE_HEADING_ID} className={styles.section} data-testid={testIds.evidence.section}>
      <Text element="h3" variant="h4" id={EVIDENCE_HEADING_ID}>
        Evidence
      </Text>
      <EvidenceBody view={view} timeZone={timeZone} onCollect={onCollect} onReload={onReload} />
    </section>
  );
}

function EvidenceBody({ view, timeZone, onCollect, onReload }: Props) {
  const styles = useStyles2(getStyles);
  switch (view.phase) {
    case 'loading':
      return <EngineLoading testId={testIds.evidence.loading} text="Loading the incident's evidence…" />;
    case 'no-datasource':
      return (
        <div data-testid={testIds.evidence.error}>
          <NoDatasourceAlert>
            Evidence is read from the engine through an IntelOps datasource: add one first.
          </NoDatasourceAlert>
        </div>
      );
    case 'error':
      return (
        <div data-testid={testIds.evidence.error}>
          <ReadErrorAlert
            title="Could not load the evidence"
            message={view.message}
            datasource={view.datasource}
            onRetry={onReload}
          />
        </div>
      );
    case 'data': {
      const { evidence, uids } = view.read;
      const groups = groupEvidence(evidence.evidence);
      return (
        <Stack direction="column" gap={1.5}>
          <div className={styles.toolbar}>
            <Text color="secondary">{collectedText(evidence.collectedAt, timeZone)}</Text>
            <Button
              data-testid={testIds.evidence.collect}
              icon={view.collecting ? 'spinner' : 'sync'}
              variant={evidence.collectedAt === null ? 'primary' : 'secondary'}
              size="sm"
              disabled={view.collecting}
              onClick={onCollect}
            >
              {view.collecting
                ? 'Collecting evidence…'
                : evidence.collectedAt === null
                  ? 'Collect evidence'
                  : 'Collect again'}
            </Button>
          </div>
          <Sources sources={evidence.sources} />
          {view.collectError && (
            <div data-testid={testIds.evidence.collectError}>
              <Alert severity="error" title="Could not collect evidence">
                {view.collectError}
              </Alert>
            </div>
          )}
          {groups.length === 0 ? (
            <div data-testid={testIds.evidence.empty} className={styles.empty}>
              <Text element="p" weight="medium">
                {evidence.collectedAt === null ? 'No evidence collected yet' : 'No evidence found'}
              </Text>
              <Text element="p" color="secondary">
                {evidence.collectedAt === null
                  ? "Collect evidence to read this incident's window from Prometheus, Loki and Tempo: metric anomalies, new or spiking log templates, and trace errors."
                  : "The sources that were read showed nothing unusual in this incident's window against its baseline."}
              </Text>
            </div>
          ) : (
            groups.map((group) => (
              <section
                key={group.kind}
                aria-label={group.label}
                data-testid={testIds.evidence.group}
                className={styles.group}
              >
                <Text element="h4" variant="h5">
                  {group.label} ({group.items.length})
                </Text>
                <ul className={styles.list}>
                  {group.items.map((item) => (
                    <EvidenceRow
                      key={item.id}
                      item={item}
                      exploreHref={evidenceExploreUrl(item, uids)}
                      timeZone={timeZone}
                    />
                  ))}
                </ul>
              </section>
            ))
          )}
        </Stack>
      );
    }
  }
}

const SOURCE_ICONS: Record<SourceState['state'], IconName> = {
  ok: 'check-circle',
  unconfigured: 'info-circle',
  error: 'exclamation-triangle',
};

function Sources({ sources }: { sources: Record<Upstream, SourceState> }) {
  const styles = useStyles2(getStyles);
  return (
    <ul className={styles.sources} aria-label="Sources" data-testid={testIds.evidence.sources}>
      {UPSTREAMS.map((upstream) => {
        const source = sources[upstream];
        const hint = sourceHint(source);
        return (
          <li key={upstream} data-testid={testIds.evidence.source} data-state={source.state} className={styles.source}>
            <Icon name={SOURCE_ICONS[source.state]} className={styles.sourceIcon[source.state]} aria-hidden />
            <span>{sourceSentence(upstream, source)}</span>
            {hint && (
              <Link className={styles.link} to={prefixRoute(ROUTES.Settings)}>
                {hint}
              </Link>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function EvidenceRow({ item, exploreHref, timeZone }: { item: EvidenceItem; exploreHref: string; timeZone: string }) {
  const styles = useStyles2(getStyles);
  return (
    <li className={styles.item} data-testid={testIds.evidence.item}>
      <div className={styles.score}>
        <span className={styles.scoreLabel}>score</span>
        {item.score.toFixed(2)}
      </div>
      <Stack direction="column" gap={0.25}>
        <span className={styles.summary}>{item.summary || item.link.query}</span>
        <span className={styles.muted}>
          {[KIND_LABELS[item.kind], item.service ?? 'no service', timeRangeText(item.from, item.to, timeZone)]
            .filter((part) => part !== '')
            .join(' · ')}
        </span>
        <code className={styles.query}>{item.link.query}</code>
      </Stack>
      <LinkButton href={exploreHref} variant="secondary" size="sm" icon="compass" fill="outline">
        Open in Explore
      </LinkButton>
    </li>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), marginTop: theme.spacing(3) }),
  toolbar: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  }),
  sources: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 2),
  }),
  source: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(0.5) }),
  sourceIcon: {
    ok: css({ color: theme.colors.success.text }),
    unconfigured: css({ color: theme.colors.info.text }),
    error: css({ color: theme.colors.error.text }),
  },
  link: css({ color: theme.colors.text.link, textDecoration: 'underline' }),
  group: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
  }),
  item: css({
    display: 'grid',
    gridTemplateColumns: 'auto minmax(0, 1fr) auto',
    alignItems: 'start',
    gap: theme.spacing(1.5),
    padding: theme.spacing(1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
  }),
  score: css({
    fontVariantNumeric: 'tabular-nums',
    fontWeight: theme.typography.fontWeightMedium,
    minWidth: theme.spacing(5),
  }),
  scoreLabel: css({
    display: 'block',
    fontSize: theme.typography.bodySmall.fontSize,
    fontWeight: theme.typography.fontWeightRegular,
    color: theme.colors.text.secondary,
  }),
  summary: css({ fontWeight: theme.typography.fontWeightMedium }),
  muted: css({ color: theme.colors.text.secondary }),
  query: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    // Grafana's global code style keeps code on one line; long PromQL wraps here instead.
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  }),
  empty: css({
    padding: theme.spacing(2),
    border: `1px dashed ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
  }),
});
