import React, { useCallback, useEffect, useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { getTimeZone, type TimeRange } from '@grafana/data';
import { getDataSourceSrv, PluginPage } from '@grafana/runtime';
import { Alert, EmptyState, LinkButton, RefreshPicker, Stack, Text, TimeRangePicker } from '@grafana/ui';
import { EngineLoading, NoDatasourceAlert, ReadErrorAlert } from '../../components/EngineReadStates/EngineReadStates';
import { EvalReport } from '../../components/EvalReport/EvalReport';
import { testIds } from '../../components/testIds';
import { ROUTES } from '../../constants';
import type { EvalsReport } from '../../datasource/evals';
import { agentRunUrl } from '../../services/agentRunsUrl';
import type { DatasourceLookup } from '../../services/engineConnection';
import { loadEvals } from '../../services/evals';
import { prefixRoute } from '../../utils/utils.routing';
import { runsTimeRange, parseTimeUrl, type TimeUrlState, writeTimeUrl } from '../AgentRuns/agentRunsUrlState';
import { shiftedTimes, urlTimes, zoomedOutTimes } from '../Incidents/incidentsUrlState';
import { refreshIntervalMs } from '../Incidents/useIncidents';
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
  const timeRange = useMemo(() => runsTimeRange(state, timeZone), [state, timeZone]);
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
      const range = runsTimeRange({ from, to }, timeZone);
      return loadEvals(datasources, { from: range.from.valueOf(), to: range.to.valueOf() });
    }, [datasources, from, to, timeZone])
  );
  const { reload } = evals;
  const intervalMs = refreshIntervalMs(state.refresh);
  useEffect(() => {
    if (intervalMs <= 0) {
      return undefined;
    }
    const timer = setInterval(reload, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, reload]);

  return (
    <PluginPage subTitle="How fast the AI answers, how often it makes things up, and how often it is right">
      <div data-testid={testIds.pages.evals}>
        <Stack direction="column" gap={2}>
          <Toolbar state={state} timeRange={timeRange} timeZone={timeZone} onChange={update} onRefresh={reload} />
          <EvalsBody view={evals.view} timeZone={timeZone} onRetry={reload} />
        </Stack>
      </div>
    </PluginPage>
  );
}

interface ToolbarProps {
  state: TimeUrlState;
  timeRange: TimeRange;
  timeZone: string;
  onChange: (patch: Partial<TimeUrlState>) => void;
  onRefresh: () => void;
}

function Toolbar({ state, timeRange, timeZone, onChange, onRefresh }: ToolbarProps) {
  return (
    <Stack direction="row" justifyContent="flex-end" gap={1}>
      <TimeRangePicker
        value={timeRange}
        timeZone={timeZone}
        onChange={(range) => onChange(urlTimes(range))}
        onChangeTimeZone={(zone) => onChange({ timezone: zone })}
        onMoveBackward={() => onChange(shiftedTimes(timeRange, -1))}
        onMoveForward={() => onChange(shiftedTimes(timeRange, 1))}
        onZoom={() => onChange(zoomedOutTimes(timeRange))}
      />
      <RefreshPicker
        value={state.refresh}
        tooltip="Read the evals again"
        onRefresh={onRefresh}
        onIntervalChanged={(refresh) => onChange({ refresh })}
      />
    </Stack>
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
      return (
        <div data-testid={testIds.evalsPage.error}>
          <NoDatasourceAlert>
            Evals are read from the engine through an IntelOps datasource: add one with the engine URL and token, or
            provision it from provisioning/datasources/intelops.yaml.
          </NoDatasourceAlert>
        </div>
      );
    case 'error':
      return (
        <div data-testid={testIds.evalsPage.error}>
          <ReadErrorAlert
            title="Could not load the evals"
            message={view.message}
            datasource={view.datasource}
            onRetry={onRetry}
          >
            <LinkButton href={prefixRoute(ROUTES.Settings)} variant="secondary" size="sm" icon="cog">
              Check the engine connection
            </LinkButton>
          </ReadErrorAlert>
        </div>
      );
    case 'data':
      if (view.value.runs === 0) {
        return <NoAnalyses summary={view.value.verdict.summary} />;
      }
      return (
        <Stack direction="column" gap={2}>
          {view.refreshError && (
            <Alert severity="warning" title="The last refresh failed: showing the evals from before">
              {view.refreshError}
            </Alert>
          )}
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
