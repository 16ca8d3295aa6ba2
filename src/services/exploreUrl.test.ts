import { exploreUrl } from './exploreUrl';

function panes(url: string) {
  const parsed = new URL(url, 'http://grafana.local');
  expect(parsed.pathname).toBe('/explore');
  expect(parsed.searchParams.get('schemaVersion')).toBe('1');
  return { panes: JSON.parse(parsed.searchParams.get('panes') ?? 'null'), orgId: parsed.searchParams.get('orgId') };
}

describe('exploreUrl', () => {
  it('opens a LogQL query on the Loki datasource over the time range, in epoch milliseconds', () => {
    const url = exploreUrl({
      datasourceUid: 'loki',
      datasourceType: 'loki',
      query: '{service_name="payments"} |= "timeout after"',
      from: '2026-11-23T21:08:00.000Z',
      to: 1_795_471_200_000,
    });
    expect(panes(url)).toEqual({
      orgId: '1',
      panes: {
        intelops: {
          datasource: 'loki',
          queries: [
            {
              refId: 'A',
              datasource: { type: 'loki', uid: 'loki' },
              expr: '{service_name="payments"} |= "timeout after"',
            },
          ],
          range: { from: String(Date.parse('2026-11-23T21:08:00.000Z')), to: '1795471200000' },
        },
      },
    });
    // Spaces and quotes are percent-encoded: the URL survives being pasted anywhere.
    expect(url).not.toMatch(/[ "]/);
  });

  it('opens TraceQL as a Tempo TraceQL query, keeps relative times, and takes an org', () => {
    const url = exploreUrl({
      datasourceUid: 'tempo-eu',
      datasourceType: 'tempo',
      query: '{ status = error }',
      from: 'now-1h',
      to: 'now',
      orgId: 3,
    });
    const { panes: result, orgId } = panes(url);
    expect(orgId).toBe('3');
    expect(result.intelops.queries).toEqual([
      { refId: 'A', datasource: { type: 'tempo', uid: 'tempo-eu' }, queryType: 'traceql', query: '{ status = error }' },
    ]);
    expect(result.intelops.range).toEqual({ from: 'now-1h', to: 'now' });
  });

  it('gives the same URL for the same target', () => {
    const target = { datasourceUid: 'prometheus', datasourceType: 'prometheus' as const, query: 'up', from: 1, to: 2 };
    expect(exploreUrl(target)).toBe(exploreUrl({ ...target }));
  });
});
