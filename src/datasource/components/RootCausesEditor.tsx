import React from 'react';
import { Stack } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { problemFor, queryProblems } from '../queryValidation';
import { changeAndRun, QueryInput } from './QueryTextFields';
import type { QuerySectionProps } from './QueryTextFields';

/** Root causes and Dependency graph: one incident by id, or the latest incident of a service. */
export function RootCausesEditor({ query, onChange, onRunQuery }: QuerySectionProps) {
  const problems = queryProblems(query);
  const change = changeAndRun(query, onChange, onRunQuery);
  return (
    <Stack direction="row" gap={1} wrap="wrap">
      <QueryInput
        id={`intelops-incident-id-${query.refId}`}
        testId={testIds.queryEditor.incidentId}
        label="Incident"
        labelWidth={14}
        width={24}
        tooltip="The incident's id, as the Incidents page and alerts show it. Dashboard variables work. When empty, the latest incident of the service is read."
        placeholder="inc-7f3a9c"
        value={query.incidentId}
        error={problemFor(problems, 'incidentId')}
        onCommit={(incidentId) => change({ incidentId })}
      />
      <QueryInput
        id={`intelops-incident-service-${query.refId}`}
        testId={testIds.queryEditor.incidentService}
        label="or latest for service"
        labelWidth={20}
        width={24}
        tooltip="Reads the newest incident touching this service in the dashboard's time range, when no incident id is set. $service works; several values match any of them."
        placeholder="$service"
        value={query.service}
        onCommit={(service) => change({ service })}
      />
    </Stack>
  );
}
