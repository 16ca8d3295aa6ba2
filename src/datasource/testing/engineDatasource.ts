import type { DataQueryRequest, TimeRange } from '@grafana/data';
import type { BackendSrvRequest } from '@grafana/runtime';
import { IntelOpsDataSource, type VariableInterpolator } from '../datasource';
import type { IntelOpsOptions, IntelOpsQuery } from '../types';
import { fakeEngineFetch, type FakeReply } from './fakeEngineFetch';
import { intelOpsSettings } from './instanceSettings';

/** A dashboard's request for `targets` over `range`, as Grafana sends it at `now`. */
export function queryRequest(targets: IntelOpsQuery[], range: TimeRange, now: number): DataQueryRequest<IntelOpsQuery> {
  return {
    requestId: 'r1',
    interval: '1m',
    intervalMs: 60_000,
    range,
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: now,
  };
}

/** The datasource in front of a fake engine that answers with `reply`; `jsonData` adds to its settings. */
export function fakeEngineDatasource(
  reply: (request: BackendSrvRequest) => FakeReply,
  templateSrv: VariableInterpolator,
  jsonData: Partial<IntelOpsOptions> = {}
) {
  const engine = fakeEngineFetch(reply);
  const settings = intelOpsSettings('intelops', 'IntelOps', 'http://engine:8686');
  settings.jsonData = { ...settings.jsonData, ...jsonData };
  return { ds: new IntelOpsDataSource(settings, engine.fetch, templateSrv), requests: engine.requests };
}
