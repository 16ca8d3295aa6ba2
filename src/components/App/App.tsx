import React from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';

// Each page is its own chunk: opening one page loads only that page's code.
const Incidents = React.lazy(() => import('../../pages/Incidents/Incidents'));
const Investigation = React.lazy(() => import('../../pages/Investigation/Investigation'));
const AgentRuns = React.lazy(() => import('../../pages/AgentRuns/AgentRuns'));
const Evals = React.lazy(() => import('../../pages/Evals/Evals'));
const Knowledge = React.lazy(() => import('../../pages/Knowledge/Knowledge'));
const Workflows = React.lazy(() => import('../../pages/Workflows/Workflows'));
const Settings = React.lazy(() => import('../../pages/Settings/Settings'));

function App(_props: AppRootProps) {
  return (
    <Routes>
      <Route path={ROUTES.Incidents} element={<Incidents />} />
      <Route path={`${ROUTES.Incidents}/:incidentId`} element={<Investigation />} />
      <Route path={`${ROUTES.Investigation}/:incidentId?`} element={<Investigation />} />
      <Route path={ROUTES.AgentRuns} element={<AgentRuns />} />
      <Route path={ROUTES.Evals} element={<Evals />} />
      <Route path={ROUTES.Knowledge} element={<Knowledge />} />
      <Route path={ROUTES.Workflows} element={<Workflows />} />
      <Route path={ROUTES.Settings} element={<Settings />} />
      {/* Absolute: a relative target inside a splat route resolves below the unknown path and loops. */}
      <Route path="*" element={<Navigate to={prefixRoute(ROUTES.Incidents)} replace />} />
    </Routes>
  );
}

export default App;
