import { type DataFrame, type DataQueryRequest, dateTime } from '@grafana/data';
import { IntelOpsDataSource } from '../../../src/datasource/datasource';
import { intelOpsSettings } from '../../../src/datasource/testing/instanceSettings';
import type { IntelOpsQuery } from '../../../src/datasource/types';
import { browserEngineFetch } from './engineFetch';

// The IntelOps datasource querying the harness's engine double (the storm scene) as a dashboard panel does.
const datasource = new IntelOpsDataSource(
  intelOpsSettings('storm', 'IntelOps', 'http://engine:8686'),
  browserEngineFetch,
  { replace: (value = '') => value }
);

/** One query of the IntelOps datasource over the last `hours`, answered with the frames a panel receives. */
export async function queryEngine(target: Omit<IntelOpsQuery, 'refId'>, hours = 24): Promise<DataFrame[]> {
  const now = Date.now();
  const request: DataQueryRequest<IntelOpsQuery> = {
    requestId: 'harness',
    interval: '1m',
    intervalMs: 60_000,
    range: { from: dateTime(now - hours * 3_600_000), to: dateTime(now), raw: { from: `now-${hours}h`, to: 'now' } },
    scopedVars: {},
    targets: [{ refId: 'A', ...target }],
    timezone: 'utc',
    app: 'dashboard',
    startTime: now,
  };
  const response = await datasource.query(request);
  if (response.errors?.length) {
    throw new Error(response.errors.map((error) => error.message).join('; '));
  }
  return response.data;
}
