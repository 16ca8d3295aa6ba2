import { PanelPlugin } from '@grafana/data';
import { AgentTracePanel } from './AgentTracePanel';
import type { AgentTraceOptions } from './types';

export const plugin = new PanelPlugin<AgentTraceOptions>(AgentTracePanel).setPanelOptions((builder) =>
  builder
    .addBooleanSwitch({
      path: 'showService',
      name: 'Show service',
      description: 'The service name beside each span operation',
      defaultValue: true,
    })
    .addTextInput({
      path: 'tempoDatasourceUid',
      name: 'Tempo datasource uid',
      description:
        'Where "View in Tempo" opens the trace; when empty, the Tempo datasource named in the IntelOps datasource settings',
      settings: { placeholder: 'tempo' },
    })
);
