import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { PageEmptyState } from '../../components/PageEmptyState/PageEmptyState';
import { testIds } from '../../components/testIds';

export default function Knowledge() {
  return (
    <PluginPage subTitle="Runbooks and resolved incidents the analysis draws on">
      <div data-testid={testIds.pages.knowledge}>
        <PageEmptyState message="No documents yet">
          Runbooks and resolved incidents will be searchable here, each with the incidents whose analysis cited it. The
          engine indexes documents once its retrieval stage is in place.
        </PageEmptyState>
      </div>
    </PluginPage>
  );
}
