import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { PageEmptyState } from '../../components/PageEmptyState/PageEmptyState';
import { testIds } from '../../components/testIds';

export default function Workflows() {
  return (
    <PluginPage subTitle="What happens when an incident opens: annotations, tickets, inspections, remediation">
      <div data-testid={testIds.pages.workflows}>
        <PageEmptyState message="No workflows yet">
          Declarative YAML workflows triggered by incident events will be edited here with validation at the right line,
          together with their recent runs, step status, a dry run, and approvals for side effects. The engine runs
          workflows once its execution stage is in place.
        </PageEmptyState>
      </div>
    </PluginPage>
  );
}
