import {
  type DataFrame,
  EventBusSrv,
  getDefaultTimeRange,
  LoadingState,
  type PanelProps,
  type TimeRange,
} from '@grafana/data';
/** Real PanelProps around data frames, as Grafana passes them to a panel (jest tests and the browser harness). */
export function panelProps<T>(series: DataFrame[], options: T, size = { width: 480, height: 240 }): PanelProps<T> {
  const timeRange: TimeRange = getDefaultTimeRange();
  return {
    id: 1,
    data: { state: LoadingState.Done, series, timeRange },
    timeRange,
    timeZone: 'utc',
    options,
    transparent: false,
    width: size.width,
    height: size.height,
    fieldConfig: { defaults: {}, overrides: [] },
    renderCounter: 1,
    title: 'Panel',
    eventBus: new EventBusSrv(),
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    replaceVariables: (value: string) => value,
    onChangeTimeRange: () => {},
  };
}
