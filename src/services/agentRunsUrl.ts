import { ROUTES } from '../constants';
import { prefixRoute } from '../utils/utils.routing';

/** The Agent runs page with one run open, the list narrowed to the run's incident when given. */
export function agentRunUrl(runId: string, incidentId?: string): string {
  const params = new URLSearchParams();
  if (incidentId) {
    params.set('incident', incidentId);
  }
  params.set('run', runId);
  return `${prefixRoute(ROUTES.AgentRuns)}?${params.toString()}`;
}
