import { PanelPlugin } from '@grafana/data';
import { RootCausePanel } from './RootCausePanel';
import type { RootCauseOptions } from './types';

export const plugin = new PanelPlugin<RootCauseOptions>(RootCausePanel).setPanelOptions((builder) =>
  builder.addBooleanSwitch({
    path: 'showEvidence',
    name: 'Show evidence',
    description: 'Evidence chips (metric, log template, trace, change) under each cause',
    defaultValue: true,
  })
);
