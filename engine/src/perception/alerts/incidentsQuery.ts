import { loadSettings } from '../../store/settings.ts';
import { alertsOfIncidents } from '../../store/alerts.ts';
import type { StoredAlert } from '../../store/alerts.ts';
import { queryIncidents } from '../../store/incidents.ts';
import type { IncidentFilter, IncidentRecord } from '../../store/incidents.ts';
import type { Store } from '../../store/store.ts';
import { groupingFromSettings } from './grouping/settings.ts';

export interface IncidentQuery extends IncidentFilter {
  withAlerts: boolean;
}

export interface IncidentWithAlerts {
  incident: IncidentRecord;
  /** Every alert of the incident, in start order (empty when not asked for). */
  alerts: StoredAlert[];
}

export interface IncidentPage {
  incidents: IncidentWithAlerts[];
  /** More incidents matched than the limit allowed. */
  truncated: boolean;
}

/**
 * Incidents matching the query with their alerts, read in one snapshot so that counts and alert lists agree.
 * A resolving incident whose quiet period has passed reads as resolved even before the sweeper marks it.
 */
export async function findIncidents(store: Store, query: IncidentQuery, now: Date): Promise<IncidentPage> {
  return store.transaction(async (tx) => {
    await tx.query('set transaction isolation level repeatable read');
    const { quietPeriodMs } = groupingFromSettings((await loadSettings(tx)).grouping);
    const records = await queryIncidents(tx, { ...query, limit: query.limit + 1 }, new Date(now.getTime() - quietPeriodMs));
    const page = records.slice(0, query.limit);
    const alerts = query.withAlerts ? await alertsOfIncidents(tx, page.map((record) => record.id)) : [];
    const byIncident = new Map<string, StoredAlert[]>();
    for (const stored of alerts) {
      const list = stored.incidentId === undefined ? undefined : byIncident.get(stored.incidentId);
      if (list !== undefined) {
        list.push(stored);
      } else if (stored.incidentId !== undefined) {
        byIncident.set(stored.incidentId, [stored]);
      }
    }
    return {
      incidents: page.map((incident) => ({ incident, alerts: byIncident.get(incident.id) ?? [] })),
      truncated: records.length > query.limit,
    };
  });
}
