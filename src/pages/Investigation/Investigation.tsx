import React, { useCallback, useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import { getTimeZone } from '@grafana/data';
import { getDataSourceSrv, PluginPage } from '@grafana/runtime';
import { Icon, Stack } from '@grafana/ui';
import { EngineLoading, NoDatasourceAlert, ReadErrorAlert } from '../../components/EngineReadStates/EngineReadStates';
import { IncidentAlerts } from '../../components/IncidentAlerts/IncidentAlerts';
import { EVIDENCE_HEADING_ID, IncidentEvidence } from '../../components/IncidentEvidence/IncidentEvidence';
import { IncidentRootCauses } from '../../components/IncidentRootCauses/IncidentRootCauses';
import { IncidentHeader } from '../../components/IncidentHeader/IncidentHeader';
import { IncidentQuestion } from '../../components/IncidentQuestion/IncidentQuestion';
import { PageEmptyState } from '../../components/PageEmptyState/PageEmptyState';
import { testIds } from '../../components/testIds';
import { ROUTES } from '../../constants';
import type { DatasourceLookup } from '../../services/engineConnection';
import { prefixRoute } from '../../utils/utils.routing';
import type { Incident } from '../../datasource/incidents';
import { askIncidentQuestion, type QuestionTurn } from '../../services/incidentQuestion';
import { currentUserLogin } from '../../services/rcaFeedback';
import { giveFeedback } from '../../services/rootCauseAnalysis';
import { type EvidenceView, useEvidence } from './useEvidence';
import { useChanges, useRootCauses } from './useRootCauses';
import { type IncidentView, useIncident } from './useIncident';

interface Props {
  /** Grafana's DataSourceSrv unless a test or the browser harness passes its own. */
  lookup?: DatasourceLookup;
}

export default function Investigation({ lookup }: Props) {
  const { incidentId } = useParams<{ incidentId?: string }>();
  return (
    <PluginPage subTitle="One incident: what fired, where, why the alerts belong together, and what caused it">
      <div data-testid={testIds.pages.investigation}>
        <Stack direction="column" gap={2}>
          <div>
            <Link to={prefixRoute(ROUTES.Incidents)}>
              <Icon name="arrow-left" /> All incidents
            </Link>
          </div>
          {incidentId ? (
            <IncidentInvestigation id={incidentId} lookup={lookup} />
          ) : (
            <PageEmptyState message="No incident selected">
              Open an incident from the Incidents page to see its alerts and why they were grouped together.
            </PageEmptyState>
          )}
        </Stack>
      </div>
    </PluginPage>
  );
}

function IncidentInvestigation({ id, lookup }: { id: string; lookup?: DatasourceLookup }) {
  // getDataSourceSrv works on every supported Grafana (>=12.3); its replacements in @grafana/runtime/unstable may not.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const datasources = useMemo(() => lookup ?? getDataSourceSrv(), [lookup]);
  const { view, reload } = useIncident(datasources, id);
  const timeZone = getTimeZone();
  return (
    <InvestigationBody view={view} onReload={reload} timeZone={timeZone}>
      {(incident, loadedAt) => (
        <IncidentSections lookup={datasources} incident={incident} loadedAt={loadedAt} timeZone={timeZone} />
      )}
    </InvestigationBody>
  );
}

function IncidentSections({
  lookup,
  incident,
  loadedAt,
  timeZone,
}: {
  lookup: DatasourceLookup;
  incident: Incident;
  loadedAt: number;
  timeZone: string;
}) {
  // Read once for both sections: root causes cite the evidence, the Evidence section lists it.
  const evidence = useEvidence(lookup, incident.id);
  return (
    <>
      <RootCausesSection
        lookup={lookup}
        incident={incident}
        loadedAt={loadedAt}
        evidence={evidence.view}
        onAnalyzed={evidence.reload}
        timeZone={timeZone}
      />
      <IncidentEvidence
        view={evidence.view}
        timeZone={timeZone}
        onCollect={evidence.collect}
        onReload={evidence.reload}
      />
    </>
  );
}

function RootCausesSection({
  lookup,
  incident,
  loadedAt,
  evidence,
  onAnalyzed,
  timeZone,
}: {
  lookup: DatasourceLookup;
  incident: Incident;
  loadedAt: number;
  evidence: EvidenceView;
  /** The engine collects evidence again when it analyses: the Evidence section reads it again after. */
  onAnalyzed: () => void;
  timeZone: string;
}) {
  const { view, analyze, reload } = useRootCauses(lookup, incident.id, onAnalyzed);
  const { changes, problem } = useChanges(lookup, incident, loadedAt);
  const read = evidence.phase === 'data' ? evidence.read : undefined;
  const sendVerdict = useCallback(
    (service: string, verdict: 'confirm' | 'reject') =>
      giveFeedback(lookup, incident.id, { service, verdict, by: currentUserLogin() }),
    [lookup, incident.id]
  );
  const ask = useCallback(
    (question: string, history: QuestionTurn[]) => askIncidentQuestion(lookup, incident.id, question, history),
    [lookup, incident.id]
  );
  return (
    <>
      <IncidentRootCauses
        incident={incident}
        view={view}
        evidence={read?.evidence.evidence ?? NO_EVIDENCE}
        uids={read?.uids}
        changes={changes}
        changesProblem={problem}
        timeZone={timeZone}
        onAnalyze={analyze}
        onReload={reload}
        sendVerdict={sendVerdict}
        evidenceHeadingId={EVIDENCE_HEADING_ID}
      />
      <IncidentQuestion ask={ask} evidence={read?.evidence.evidence ?? NO_EVIDENCE} uids={read?.uids} />
    </>
  );
}

const NO_EVIDENCE: [] = [];

function InvestigationBody({
  view,
  onReload,
  timeZone,
  children,
}: {
  view: IncidentView;
  onReload: () => void;
  timeZone: string;
  /** Sections shown under the incident once it loaded. */
  children: (incident: Incident, loadedAt: number) => React.ReactNode;
}) {
  switch (view.phase) {
    case 'loading':
      return <EngineLoading testId={testIds.investigation.loading} text="Loading the incident from the engine…" />;
    case 'no-datasource':
      return (
        <div data-testid={testIds.investigation.error}>
          <NoDatasourceAlert>
            Incidents are read from the engine through an IntelOps datasource: add one first.
          </NoDatasourceAlert>
        </div>
      );
    case 'error':
      return (
        <div data-testid={testIds.investigation.error}>
          <ReadErrorAlert
            title="Could not load the incident"
            message={view.message}
            datasource={view.datasource}
            onRetry={onReload}
          />
        </div>
      );
    case 'data':
      return (
        <div>
          <IncidentHeader incident={view.incident} now={view.loadedAt} timeZone={timeZone} />
          <IncidentAlerts incident={view.incident} timeZone={timeZone} />
          {children(view.incident, view.loadedAt)}
        </div>
      );
  }
}
