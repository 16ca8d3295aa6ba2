import React, { useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import { getTimeZone } from '@grafana/data';
import { getDataSourceSrv, PluginPage } from '@grafana/runtime';
import { Icon, Stack } from '@grafana/ui';
import { EngineLoading, NoDatasourceAlert, ReadErrorAlert } from '../../components/EngineReadStates/EngineReadStates';
import { IncidentAlerts } from '../../components/IncidentAlerts/IncidentAlerts';
import { IncidentEvidence } from '../../components/IncidentEvidence/IncidentEvidence';
import { IncidentHeader } from '../../components/IncidentHeader/IncidentHeader';
import { PageEmptyState } from '../../components/PageEmptyState/PageEmptyState';
import { testIds } from '../../components/testIds';
import { ROUTES } from '../../constants';
import type { DatasourceLookup } from '../../services/engineConnection';
import { prefixRoute } from '../../utils/utils.routing';
import { useEvidence } from './useEvidence';
import { type IncidentView, useIncident } from './useIncident';

interface Props {
  /** Grafana's DataSourceSrv unless a test or the browser harness passes its own. */
  lookup?: DatasourceLookup;
}

export default function Investigation({ lookup }: Props) {
  const { incidentId } = useParams<{ incidentId?: string }>();
  return (
    <PluginPage subTitle="One incident: what fired, where, and why the alerts belong together">
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
      <EvidenceSection lookup={datasources} id={id} timeZone={timeZone} />
    </InvestigationBody>
  );
}

function EvidenceSection({ lookup, id, timeZone }: { lookup: DatasourceLookup; id: string; timeZone: string }) {
  const { view, collect, reload } = useEvidence(lookup, id);
  return <IncidentEvidence view={view} timeZone={timeZone} onCollect={collect} onReload={reload} />;
}

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
  children: React.ReactNode;
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
          {children}
        </div>
      );
  }
}
