import React, { useCallback, useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { getTimeZone } from '@grafana/data';
import { getDataSourceSrv, PluginPage } from '@grafana/runtime';
import { EmptyState, LinkButton, Stack, Text } from '@grafana/ui';
import { EngineLoading, PageReadProblem, RefreshFailedAlert } from '../../components/EngineReadStates/EngineReadStates';
import { EvalReport } from '../../components/EvalReport/EvalReport';
import { testIds } from '../../components/testIds';
import { TimeRangeControls } from '../../components/TimeRangeControls/TimeRangeControls';
import { ROUTES } from '../../constants';
import type { EvalsReport } from '../../datasource/evals';
import { agentRunUrl } from '../../services/agentRunsUrl';
import type { DatasourceLookup } from '../../services/engineConnection';
import { loadEvals } from '../../services/evals';
import { prefixRoute } from '../../utils/utils.routing';
import { parseTimeUrl, type TimeUrlState, writeTimeUrl } from '../AgentRuns/agentRunsUrlState';
import { timeRangeOf } from '../Incidents/incidentsUrlState';
import { useRefreshEvery } from '../Incidents/useIncidents';
import { type ReadView, useEngineRead } from '../Workflows/useEngineRead';

interface Props {
  /** Grafana's DataSourceSrv unless a test or the browser harness passes its own. */
  lookup?: DatasourceLookup;
}

const DEFAULT_RANGE = { from: 'now-24h', to: 'now' };

export default function Evals({ lookup }: Props) {
  // getDataSourceSrv works on every supported Grafana (>=12.3); its replacements in @grafana/runtime/unstable may not.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const datasources = useMemo(() => lookup ?? getDataSourceSrv(), [lookup]);
  const [searchParams, setSearchParams] = useSearchParams();
  const state = useMemo(() => parseTimeUrl(searchParams, DEFAULT_RANGE), [searchParams]);
  const timeZone = state.timezone || getTimeZone();
  const timeRange = useMemo(() => timeRangeOf(state, timeZone), [state, timeZone]);
  const update = useCallback(
    (patch: Partial<TimeUrlState>) =>
      setSearchParams((current) => {
        const next = new URLSearchParams(current);
        writeTimeUrl(next, { ...parseTimeUrl(current, DEFAULT_RANGE), ...patch }, DEFAULT_RANGE);
        return next;
      }),
    [setSearchParams]
  );

  const { from, to } = state;
  const evals = useEngineRead(
    useCallback(() => {
      // The relative range (now-24h) is resolved at each read, so a refresh moves it on.
      const range = timeRangeOf({ from, to }, timeZone);
      return loadEvals(datasources, { from: range.from.valueOf(), to: range.to.valueOf() });
    }, [datasources, from, to, timeZone])
  );
  const { reload } = evals;
  useRefreshEvery(state.refresh, reload);

  return (
    <PluginPage subTitle="How fast the AI answers, how often it makes things up, and how often it is right">
      <div data-testid={testIds.pages.evals}>
        <Stack direction="column" gap={2}>
          <TimeRangeControls
            timeRange={timeRange}
            timeZone={timeZone}
            refresh={state.refresh}
            tooltip="Read the evals again"
            onChange={update}
            onRefresh={reload}
          />
          <EvalsBody view={evals.view} timeZone={timeZone} onRetry={reload} />
        </Stack>
      </div>
    </PluginPage>
  );
}

function EvalsBody({
  view,
  timeZone,
  onRetry,
}: {
  view: ReadView<EvalsReport>;
  timeZone: string;
  onRetry: () => void;
}) {
  const navigate = useNavigate();
  switch (view.phase) {
    case 'loading':
      return <EngineLoading testId={testIds.evalsPage.loading} text="Loading the evals from the engine…" />;
    case 'no-datasource':
    case 'error':
      return (
        <PageReadProblem
          view={view}
          testId={testIds.evalsPage.error}
          needs="Evals are read from the engine through an IntelOps datasource"
          title="Could not load the evals"
          onRetry={onRetry}
        />
      );
    case 'data':
      if (view.value.runs === 0) {
        return <NoAnalyses summary={view.value.verdict.summary} />;
      }
      return (
        <Stack direction="column" gap={2}>
          <RefreshFailedAlert what="the evals" message={view.refreshError} />
          <EvalReport report={view.value} timeZone={timeZone} onOpenRun={(id) => navigate(agentRunUrl(id))} />
        </Stack>
      );
  }
}

function NoAnalyses({ summary }: { summary: string }) {
  return (
    <div data-testid={testIds.evalsPage.empty}>
      <EmptyState
        variant="call-to-action"
        message="No analyses to evaluate in the selected time range"
        button={
          <LinkButton href={prefixRoute(ROUTES.Incidents)} variant="secondary" icon="fire">
            Open the incidents
          </LinkButton>
        }
      >
        <Text element="p" color="secondary">
          {summary ? `${summary} ` : ''}The scorecard rests on the engine&apos;s analyses: each one is timed and
          counted, a sample is judged by the LLM for faithfulness, and your ✓/✗ on root causes gives the accuracy.
          Analyse an incident from its investigation page, or pick a wider time range.
        </Text>
      </EmptyState>
    </div>
  );
}
