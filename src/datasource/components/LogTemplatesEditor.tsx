import React from 'react';
import { Stack } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { problemFor, queryProblems } from '../queryValidation';
import { changeAndRun, QueryInput } from './QueryTextFields';
import type { QuerySectionProps } from './QueryTextFields';

/** The Log templates query: which streams to mine, and the baseline to compare them with. */
export function LogTemplatesEditor({ query, onChange, onRunQuery }: QuerySectionProps) {
  const problems = queryProblems(query);
  const change = changeAndRun(query, onChange, onRunQuery);
  return (
    <Stack direction="column" gap={0}>
      <QueryInput
        id={`intelops-selector-${query.refId}`}
        testId={testIds.queryEditor.selector}
        label="Stream selector"
        labelWidth={16}
        width={60}
        tooltip='A LogQL stream selector: which Loki streams to mine. Dashboard variables work; one with several values becomes a regex for =~, e.g. {service_name=~"$service"}.'
        placeholder='{service_name="checkout"}'
        value={query.selector}
        error={problemFor(problems, 'selector')}
        onCommit={(selector) => change({ selector })}
      />
      <Stack direction="row" gap={1} wrap="wrap">
        <QueryInput
          id={`intelops-template-services-${query.refId}`}
          testId={testIds.queryEditor.templateServices}
          label="Services"
          labelWidth={16}
          width={30}
          tooltip="Services from the CMDB, comma-separated: the engine builds their stream selector when the selector is empty. $service works."
          placeholder="checkout, $service"
          value={query.service}
          onCommit={(service) => change({ service })}
        />
        <QueryInput
          id={`intelops-baseline-${query.refId}`}
          testId={testIds.queryEditor.baseline}
          label="Baseline"
          labelWidth={10}
          width={12}
          tooltip="How far before the time range the baseline window starts (1h, 1d): templates are new, spiking or vanishing against it. The engine's default when empty."
          placeholder="1h"
          value={query.baseline}
          error={problemFor(problems, 'baseline')}
          onCommit={(baseline) => change({ baseline })}
        />
      </Stack>
    </Stack>
  );
}
