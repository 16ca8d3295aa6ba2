import { PLUGIN_BASE_URL, ROUTES } from '../constants';

// Prefixes the route with the base URL of the plugin
export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

/** The investigation page of one incident. */
export function incidentUrl(id: string): string {
  return prefixRoute(`${ROUTES.Incidents}/${encodeURIComponent(id)}`);
}
