import { createDataFrame, type DataFrame, FieldType } from '@grafana/data';
import type { EngineStatus } from './types';

/** One row describing the engine, for a stat or table panel. */
export function engineStatusFrame(status: EngineStatus, refId: string): DataFrame {
  const startedAt = Date.parse(status.startedAt);
  return createDataFrame({
    refId,
    name: 'Engine status',
    fields: [
      { name: 'version', type: FieldType.string, values: [status.version] },
      { name: 'apiVersion', type: FieldType.number, values: [status.apiVersion] },
      { name: 'store', type: FieldType.string, values: [status.store] },
      { name: 'startedAt', type: FieldType.time, values: [Number.isNaN(startedAt) ? null : startedAt] },
      { name: 'uptime', type: FieldType.number, values: [status.uptimeSeconds], config: { unit: 's' } },
    ],
  });
}
