import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { PageEmptyState } from '../../components/PageEmptyState/PageEmptyState';
import { testIds } from '../../components/testIds';

export default function Evals() {
  return (
    <PluginPage subTitle="How fast and how often the AI is right">
      <div data-testid={testIds.pages.evals}>
        <PageEmptyState message="No eval results yet">
          The scorecard will show P95 latency, error rate, time to first token, retrieval hit rate, hallucination rate
          and accuracy with their trends, the worst runs and a verdict in plain words. Results appear once the engine
          evaluates its answers (offline regression, LLM-as-judge and your verdicts on root causes); the &quot;IntelOps
          evals&quot; panel shows the same scorecard on a dashboard.
        </PageEmptyState>
      </div>
    </PluginPage>
  );
}
