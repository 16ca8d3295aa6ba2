import React, { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import { getTimeZone, type GrafanaTheme2 } from '@grafana/data';
import { getDataSourceSrv, PluginPage } from '@grafana/runtime';
import { Button, EmptyState, LinkButton, Stack, Text, useStyles2 } from '@grafana/ui';
import { EngineLoading, PageReadProblem, RefreshFailedAlert } from '../../components/EngineReadStates/EngineReadStates';
import { IncidentTable } from '../../components/IncidentTable/IncidentTable';
import { testIds } from '../../components/testIds';
import { ROUTES } from '../../constants';
import { isOngoing } from '../../datasource/incidentSummary';
import type { DatasourceLookup } from '../../services/engineConnection';
import { prefixRoute } from '../../utils/utils.routing';
import { IncidentsToolbar } from './IncidentsToolbar';
import { hasFilters, type IncidentsUrlState, parseUrlState, timeRangeOf, writeUrlState } from './incidentsUrlState';
import { type IncidentsView, useIncidents } from './useIncidents';

interface Props {
  /** Grafana's DataSourceSrv unless a test or the browser harness passes its own. */
  lookup?: DatasourceLookup;
}

export default function Incidents({ lookup }: Props) {
  // getDataSourceSrv works on every supported Grafana (>=12.3); its replacements in @grafana/runtime/unstable may not.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const datasources = useMemo(() => lookup ?? getDataSourceSrv(), [lookup]);
  const [searchParams, setSearchParams] = useSearchParams();
  const state = useMemo(() => parseUrlState(searchParams), [searchParams]);
  const timeZone = state.timezone || getTimeZone();
  const timeRange = useMemo(() => timeRangeOf(state, timeZone), [state, timeZone]);
  const { view, refreshing, refresh } = useIncidents({ lookup: datasources, state, timeZone });

  const update = (patch: Partial<IncidentsUrlState>) =>
    setSearchParams((current) => writeUrlState(current, { ...parseUrlState(current), ...patch }));

  const services = view.phase === 'data' ? [...new Set(view.incidents.flatMap((incident) => incident.services))] : [];

  return (
    <PluginPage subTitle="Incidents the engine builds from your alerts: grouped, deduplicated and explained">
      <div data-testid={testIds.pages.incidents}>
        <IncidentsToolbar
          state={state}
          timeRange={timeRange}
          timeZone={timeZone}
          services={services}
          refreshing={refreshing}
          onChange={update}
          onRefresh={refresh}
        />
        <IncidentsBody
          view={view}
          timeZone={timeZone}
          filtered={hasFilters(state)}
          onClearFilters={() => update({ status: [], severity: [], service: [] })}
          onRetry={refresh}
        />
      </div>
    </PluginPage>
  );
}

interface BodyProps {
  view: IncidentsView;
  timeZone: string;
  filtered: boolean;
  onClearFilters: () => void;
  onRetry: () => void;
}

function IncidentsBody({ view, timeZone, filtered, onClearFilters, onRetry }: BodyProps) {
  switch (view.phase) {
    case 'loading':
      return <EngineLoading testId={testIds.incidents.loading} text="Loading incidents from the engine…" />;
    case 'no-datasource':
    case 'error':
      return (
        <PageReadProblem
          view={view}
          testId={testIds.incidents.error}
          needs="The Incidents page reads from the engine through an IntelOps datasource"
          title="Could not load the incidents"
          onRetry={onRetry}
        />
      );
    case 'data':
      if (view.incidents.length === 0) {
        return filtered ? (
          <NoMatch onClearFilters={onClearFilters} />
        ) : (
          <NoIncidents engineUrl={view.datasource.engineUrl} />
        );
      }
      return (
        <Stack direction="column" gap={2}>
          <RefreshFailedAlert what="the list" message={view.refreshError} />
          <Summary view={view} />
          <IncidentTable incidents={view.incidents} now={view.loadedAt} timeZone={timeZone} />
        </Stack>
      );
  }
}

function Summary({ view }: { view: Extract<IncidentsView, { phase: 'data' }> }) {
  const ongoing = view.incidents.filter((incident) => isOngoing(incident.status)).length;
  const alerts = view.incidents.reduce((sum, incident) => sum + incident.alertCount, 0);
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return (
    <div data-testid={testIds.incidents.summary} aria-live="polite">
      <Text color="secondary">
        {count(view.incidents.length, 'incident', 'incidents')} ({ongoing} ongoing) from{' '}
        {count(alerts, 'alert', 'alerts')}
        {view.truncated && ': only the newest are shown, narrow the time range or the filters to see the rest'}
      </Text>
    </div>
  );
}

function NoIncidents({ engineUrl = '<engine URL>' }: { engineUrl?: string }) {
  const styles = useStyles2(getStyles);
  return (
    <div data-testid={testIds.incidents.empty}>
      <EmptyState variant="call-to-action" message="No incidents in the selected time range">
        <Text element="p" color="secondary">
          Send alerts to <code className={styles.code}>{engineUrl}/api/v1/alerts/alertmanager</code> (an Alertmanager
          webhook receiver); Grafana alerting posts to{' '}
          <code className={styles.code}>{engineUrl}/api/v1/alerts/grafana</code> and any other tool to{' '}
          <code className={styles.code}>{engineUrl}/api/v1/alerts</code>. The engine groups them into incidents as they
          arrive; pick a wider time range to see older ones.
        </Text>
        <Text element="p" color="secondary">
          Running the demo stack (docker compose)? Break its shop and watch an incident arrive.
        </Text>
        <LinkButton href={`${prefixRoute(ROUTES.Workflows)}?workflow=demo-shop-faults`} variant="secondary" icon="bolt">
          Inject a fault into the demo shop
        </LinkButton>
      </EmptyState>
    </div>
  );
}

function NoMatch({ onClearFilters }: { onClearFilters: () => void }) {
  return (
    <div data-testid={testIds.incidents.empty}>
      <EmptyState
        variant="not-found"
        message="No incidents match these filters in the selected time range"
        button={
          <Button variant="secondary" icon="times" onClick={onClearFilters}>
            Clear filters
          </Button>
        }
      />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  code: css({ fontFamily: theme.typography.fontFamilyMonospace, whiteSpace: 'nowrap' }),
});
