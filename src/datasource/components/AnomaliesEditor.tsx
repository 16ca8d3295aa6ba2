import React from 'react';
import { Stack } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { problemFor, queryProblems } from '../queryValidation';
import { changeAndRun, QueryInput, QueryTextArea } from './QueryTextFields';
import type { QuerySectionProps } from './QueryTextFields';

/** The Anomalies query: the PromQL to score, its resolution and baseline. */
export function AnomaliesEditor({ query, onChange, onRunQuery }: QuerySectionProps) {
  const problems = queryProblems(query);
  const change = changeAndRun(query, onChange, onRunQuery);
  return (
    <Stack direction="column" gap={0}>
      <QueryTextArea
        id={`intelops-expr-${query.refId}`}
        testId={testIds.queryEditor.expr}
        label="PromQL"
        labelWidth={14}
        tooltip="The Prometheus query whose series are scored against their own baseline. Dashboard variables work."
        placeholder="sum by (service) (rate(http_server_request_duration_seconds_count[5m]))"
        value={query.expr}
        error={problemFor(problems, 'expr')}
        onCommit={(expr) => change({ expr })}
      />
      <Stack direction="row" gap={1} wrap="wrap">
        <QueryInput
          id={`intelops-step-${query.refId}`}
          testId={testIds.queryEditor.step}
          label="Step"
          labelWidth={14}
          width={12}
          tooltip="Resolution of the series (30s, 1m); the engine picks one for the time range when empty. $__interval works."
          placeholder="auto"
          value={query.step}
          error={problemFor(problems, 'step')}
          onCommit={(step) => change({ step })}
        />
        <QueryInput
          id={`intelops-anomaly-baseline-${query.refId}`}
          testId={testIds.queryEditor.baseline}
          label="Baseline"
          labelWidth={10}
          width={12}
          tooltip="How far before the time range the baseline window starts (1h, 7d); the engine's default when empty."
          placeholder="1d"
          value={query.baseline}
          error={problemFor(problems, 'baseline')}
          onCommit={(baseline) => change({ baseline })}
        />
      </Stack>
    </Stack>
  );
}
