import React, { useCallback, useMemo } from 'react';
import { Link } from 'react-router-dom';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Icon, Spinner, Stack, Text, useStyles2 } from '@grafana/ui';
import { ROUTES } from '../../constants';
import type { Incident } from '../../datasource/incidents';
import type { AnalysisStep, RcaResult, Verdict } from '../../datasource/rootCauses';
import { DEFAULT_UPSTREAM_UIDS, type Upstream } from '../../datasource/upstreams';
import type { Change } from '../../services/changes';
import type { EvidenceItem } from '../../services/evidence';
import { timelineEntries } from '../../services/incidentTimeline';
import { cardsFromRca, methodOf, methodSentence } from '../../services/rootCauseCards';
import type { RootCausesView } from '../../pages/Investigation/useRootCauses';
import { prefixRoute } from '../../utils/utils.routing';
import { EngineLoading, NoDatasourceAlert, ReadErrorAlert } from '../EngineReadStates/EngineReadStates';
import { IncidentGraph } from '../IncidentGraph/IncidentGraph';
import { IncidentTimeline } from '../IncidentTimeline/IncidentTimeline';
import { RootCauseCard } from '../RootCauseCard/RootCauseCard';
import { type SendVerdict, useCauseFeedback } from '../RootCauseCard/useCauseFeedback';
import { agentRunUrl } from '../../services/agentRunsUrl';
import { testIds } from '../testIds';

interface Props {
  incident: Incident;
  view: RootCausesView;
  /** The incident's evidence once read: cited ids resolve to it, anomaly onsets go on the timeline. */
  evidence: EvidenceItem[];
  uids?: Record<Upstream, string>;
  changes: Change[];
  changesProblem?: string;
  timeZone: string;
  onAnalyze: () => void;
  onReload: () => void;
  sendVerdict: SendVerdict;
  /** Where the Evidence section's heading is, to point at its log templates. */
  evidenceHeadingId: string;
}

const HEADING_ID = 'intelops-incident-root-causes';

function analysedText(rca: RcaResult, timeZone: string): string {
  const at = Date.parse(rca.analyzedAt);
  const when = Number.isNaN(at) ? '' : ` ${dateTimeFormat(at, { timeZone, format: 'YYYY-MM-DD HH:mm:ss' })}`;
  return `Analysed${when} in ${(rca.durationMs / 1000).toFixed(1)} s.`;
}

/** The top 3 root causes with their evidence, the timeline, the dependency graph, and what the engine read. */
export function IncidentRootCauses(props: Props) {
  const styles = useStyles2(getStyles);
  return (
    <section aria-labelledby={HEADING_ID} className={styles.section} data-testid={testIds.rootCauses.section}>
      <Text element="h3" variant="h4" id={HEADING_ID}>
        Root causes
      </Text>
      <Body {...props} />
    </section>
  );
}

function Body(props: Props) {
  const { view, onReload } = props;
  switch (view.phase) {
    case 'loading':
      return <EngineLoading testId={testIds.rootCauses.loading} text="Loading the root-cause analysis…" />;
    case 'no-datasource':
      return (
        <div data-testid={testIds.rootCauses.error}>
          <NoDatasourceAlert>
            Root causes are read from the engine through an IntelOps datasource: add one first.
          </NoDatasourceAlert>
        </div>
      );
    case 'error':
      return (
        <div data-testid={testIds.rootCauses.error}>
          <ReadErrorAlert
            title="Could not load the root-cause analysis"
            message={view.message}
            datasource={view.datasource}
            onRetry={onReload}
          />
        </div>
      );
    case 'data':
      return (
        <Analysis
          {...props}
          rca={view.rca}
          analyzing={view.analyzing}
          analyzeError={view.analyzeError}
          steps={view.steps}
        />
      );
  }
}

function Analysis({
  incident,
  rca,
  analyzing,
  analyzeError,
  steps,
  evidence,
  uids,
  changes,
  changesProblem,
  timeZone,
  onAnalyze,
  sendVerdict,
  evidenceHeadingId,
}: Props & { rca: RcaResult | null; analyzing: boolean; analyzeError?: string; steps?: AnalysisStep[] }) {
  const styles = useStyles2(getStyles);
  const cards = useMemo(
    () => (rca ? cardsFromRca(rca, evidence, uids ?? DEFAULT_UPSTREAM_UIDS) : []),
    [rca, evidence, uids]
  );
  const entries = useMemo(() => timelineEntries(incident, changes, evidence), [incident, changes, evidence]);
  const feedback = useCauseFeedback(sendVerdict);
  const onVerdict = useCallback((service: string) => (verdict: Verdict) => feedback.give(service, verdict), [feedback]);
  const templates = evidence.filter((item) => item.kind === 'log_template').length;
  const method = rca ? methodOf(rca) : undefined;
  return (
    <Stack direction="column" gap={2}>
      <div className={styles.toolbar}>
        <Text color="secondary">{rca ? analysedText(rca, timeZone) : 'Not analysed yet.'}</Text>
        <Button
          data-testid={testIds.rootCauses.analyze}
          icon={analyzing ? 'spinner' : 'bolt'}
          variant={rca ? 'secondary' : 'primary'}
          size="sm"
          disabled={analyzing}
          onClick={onAnalyze}
        >
          {analyzing ? 'Analyzing…' : rca ? 'Analyze again' : 'Analyze'}
        </Button>
      </div>
      {analyzing && <AnalysisProgress steps={steps} />}
      {analyzeError && (
        <div data-testid={testIds.rootCauses.analyzeError}>
          <Alert severity="error" title="Could not analyse the incident">
            {analyzeError}
          </Alert>
        </div>
      )}
      {!rca ? (
        <div data-testid={testIds.rootCauses.empty} className={styles.empty}>
          <Text element="p" weight="medium">
            No root-cause analysis yet
          </Text>
          <Text element="p" color="secondary">
            Analyze ranks the services that may have caused this incident from its evidence, the dependency graph and
            recent changes, and asks the LLM when one is configured. It takes a few seconds.
          </Text>
        </div>
      ) : (
        <>
          <ol className={styles.cards} aria-label="Top root causes">
            {cards.map((card) => (
              <RootCauseCard
                key={card.key}
                card={card}
                showEvidence
                compact={false}
                feedback={{ state: feedback.stateOf(card.service), onVerdict: onVerdict(card.service) }}
              />
            ))}
          </ol>
          {method && (
            <p
              className={method.kind === 'graph' && method.fallbackReason ? styles.fallback : styles.muted}
              data-testid={testIds.rootCauses.method}
            >
              {method.kind === 'graph' && method.fallbackReason && <Icon name="exclamation-triangle" aria-hidden />}{' '}
              {methodSentence(method)}
              {rca.usage ? ` · ${rca.usage.promptTokens} prompt + ${rca.usage.completionTokens} completion tokens` : ''}
              {rca.hallucinationsDropped > 0
                ? ` · ${rca.hallucinationsDropped} invented cause${rca.hallucinationsDropped === 1 ? '' : 's'} dropped`
                : ''}
            </p>
          )}
          {rca.documents.length > 0 && (
            <p className={styles.muted}>Documents used: {rca.documents.map((doc) => doc.title).join(', ')}</p>
          )}
        </>
      )}
      <div className={styles.part}>
        <Text element="h4" variant="h5">
          Timeline
        </Text>
        {changesProblem && <Text color="secondary">Changes could not be read: {changesProblem}</Text>}
        <IncidentTimeline entries={entries} timeZone={timeZone} />
      </div>
      {rca && (
        <div className={styles.part}>
          <Text element="h4" variant="h5">
            Dependency graph
          </Text>
          <IncidentGraph graph={rca.graph} />
        </div>
      )}
      <div className={styles.links}>
        {templates > 0 && (
          <a href={`#${evidenceHeadingId}`} className={styles.link}>
            {templates} log template{templates === 1 ? '' : 's'} in the Evidence below
          </a>
        )}
        {rca?.traceId && (
          <Link
            className={styles.link}
            data-testid={testIds.rootCauses.agentTrace}
            to={agentRunUrl(rca.traceId, incident.id)}
          >
            Agent trace of this analysis
          </Link>
        )}
        <Link
          className={styles.link}
          data-testid={testIds.rootCauses.agentRuns}
          to={`${prefixRoute(ROUTES.AgentRuns)}?incident=${encodeURIComponent(incident.id)}`}
        >
          The agent runs for this incident
        </Link>
      </div>
    </Stack>
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
  progress: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), color: theme.colors.text.secondary }),
  steps: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2), listStyle: 'none', margin: 0, padding: 0 }),
  pending: css({ color: theme.colors.text.disabled }),
  visuallyHidden: css({ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }),
  cards: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))',
    gap: theme.spacing(1),
  }),
  muted: css({ color: theme.colors.text.secondary, margin: 0 }),
  fallback: css({ color: theme.colors.warning.text, margin: 0 }),
  part: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  links: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2) }),
  link: css({ color: theme.colors.text.link, textDecoration: 'underline' }),
  empty: css({
    padding: theme.spacing(2),
    border: `1px dashed ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
  }),
});

/** What each step of an analysis does, in the words the progress line uses. */
const STEP_LABELS: Record<string, string> = {
  context: 'services and changes around it',
  perception: 'evidence from logs, metrics and traces',
  reasoning: 'ranking the causes',
  llm: 'asking the LLM',
};

const STEP_ICONS = { done: 'check', running: 'fa fa-spinner', pending: 'circle' } as const;

/** The analysis in flight: its steps as the engine reports them, or one line until the first report. */
function AnalysisProgress({ steps }: { steps?: AnalysisStep[] }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.progress} data-testid={testIds.rootCauses.analyzing} role="status">
      {steps === undefined || steps.length === 0 ? (
        <>
          <Spinner inline /> Analyzing: perception, context, then reasoning…
        </>
      ) : (
        <>
          <span>Analyzing:</span>
          <ol className={styles.steps} aria-label="Analysis steps">
            {steps.map((step) => (
              <li
                key={step.name}
                data-state={step.state}
                className={step.state === 'pending' ? styles.pending : undefined}
              >
                <Icon name={STEP_ICONS[step.state]} size="sm" /> {STEP_LABELS[step.name] ?? step.name}
                <span className={styles.visuallyHidden}> ({step.state})</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
