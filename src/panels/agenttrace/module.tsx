import { PanelPlugin } from '@grafana/data';
import { AgentTracePanel } from './AgentTracePanel';
import type { AgentTraceOptions } from './types';

export const plugin = new PanelPlugin<AgentTraceOptions>(AgentTracePanel).setPanelOptions((builder) =>
  builder.addBooleanSwitch({
    path: 'showService',
    name: 'Show service',
    description: 'The service name beside each span operation',
    defaultValue: true,
  })
);
