import { type AppPluginMeta, type PluginMetaInfo, PluginType } from '@grafana/data';

/** The `info` block of a plugin's meta, as Grafana fills it for a plugin without screenshots or links. */
export const PLUGIN_INFO: PluginMetaInfo = {
  author: { name: 'IntelOps' },
  description: '',
  links: [],
  logos: { small: '', large: '' },
  screenshots: [],
  updated: '',
  version: '',
};

/** The app plugin's meta as Grafana hands it to the app's pages and config page. */
export function appPluginMeta(enabled: boolean): AppPluginMeta {
  return {
    id: 'intelops-aiops-app',
    name: 'IntelOps',
    type: PluginType.app,
    enabled,
    jsonData: {},
    module: '',
    baseUrl: '',
    info: PLUGIN_INFO,
  };
}
