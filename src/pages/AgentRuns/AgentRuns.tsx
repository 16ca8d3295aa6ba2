import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { PageEmptyState } from '../../components/PageEmptyState/PageEmptyState';
import { testIds } from '../../components/testIds';

export default function AgentRuns() {
  return (
    <PluginPage subTitle="Every analysis the engine runs, traced step by step">
      <div data-testid={testIds.pages.agentRuns}>
        <PageEmptyState message="No agent runs yet">
          Each analysis will be listed here with its incident, duration, LLM tokens and verdict, and opens as a
          waterfall of its perception, retrieval, LLM, tool and action steps. The engine records runs once it analyses
          incidents; the &quot;IntelOps agent trace&quot; panel already draws such a waterfall from any trace-like data
          frame.
        </PageEmptyState>
      </div>
    </PluginPage>
  );
}
