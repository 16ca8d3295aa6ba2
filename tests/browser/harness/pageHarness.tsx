import React, { useMemo } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { css } from '@emotion/css';
import { createTheme, ThemeContext } from '@grafana/data';
import { GlobalStyles } from '@grafana/ui';
import { ROUTES } from '../../../src/constants';
import { IntelOpsDataSource } from '../../../src/datasource/datasource';
import { intelOpsSettings } from '../../../src/datasource/testing/instanceSettings';
import AgentRuns from '../../../src/pages/AgentRuns/AgentRuns';
import Evals from '../../../src/pages/Evals/Evals';
import Incidents from '../../../src/pages/Incidents/Incidents';
import Investigation from '../../../src/pages/Investigation/Investigation';
import Settings from '../../../src/pages/Settings/Settings';
import Workflows from '../../../src/pages/Workflows/Workflows';
import type { DatasourceLookup } from '../../../src/services/engineConnection';
import { browserEngineFetch } from './engineFetch';

// App pages at /<theme>/<engine>/a/intelops-aiops-app/...: the engine name picks what the harness server answers.

export const APP_PATH = '/a/intelops-aiops-app';

/** Grafana's DataSourceSrv as the pages use it: one IntelOps datasource whose data proxy is the harness server. */
function harnessLookup(engine: string): DatasourceLookup {
  const settings = intelOpsSettings(engine, 'IntelOps', 'http://engine:8686');
  const datasource = new IntelOpsDataSource(settings, browserEngineFetch);
  return {
    getList: (filters) => (filters?.pluginId && filters.pluginId !== settings.type ? [] : [settings]),
    get: async (uid) => {
      if (uid !== settings.uid) {
        throw new Error(`Datasource ${uid} was not found`);
      }
      return datasource;
    },
  };
}

/** Grafana's page background in one theme, with the app's incident, settings, workflow, agent run and eval routes (as App.tsx declares them). */
export function PageHarness({ mode, engine }: { mode: 'dark' | 'light'; engine: string }) {
  const theme = createTheme({ colors: { mode } });
  // One lookup per page: a new one would make the pages read the engine again.
  const lookup = useMemo(() => harnessLookup(engine), [engine]);
  const page = css({
    background: theme.colors.background.primary,
    color: theme.colors.text.primary,
    minHeight: '100vh',
    padding: theme.spacing(3),
  });
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <main id="harness" className={page} data-theme={mode}>
        <BrowserRouter
          basename={`/${mode}/${engine}`}
          future={{ v7_startTransition: true, v7_relativeSplatPath: true }}
        >
          <Routes>
            <Route path={`${APP_PATH}/${ROUTES.Incidents}`} element={<Incidents lookup={lookup} />} />
            <Route path={`${APP_PATH}/${ROUTES.Incidents}/:incidentId`} element={<Investigation lookup={lookup} />} />
            <Route path={`${APP_PATH}/${ROUTES.Settings}`} element={<Settings lookup={lookup} />} />
            <Route path={`${APP_PATH}/${ROUTES.Workflows}`} element={<Workflows lookup={lookup} />} />
            <Route path={`${APP_PATH}/${ROUTES.AgentRuns}`} element={<AgentRuns lookup={lookup} />} />
            <Route path={`${APP_PATH}/${ROUTES.Evals}`} element={<Evals lookup={lookup} />} />
          </Routes>
        </BrowserRouter>
      </main>
    </ThemeContext.Provider>
  );
}
