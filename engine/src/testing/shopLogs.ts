import type { LogEntry } from '../sources/types.ts';

/** When the shop's incident window opens; the baseline is the hour before. */
export const SHOP_T = Date.parse('2026-11-02T08:00:00Z');
export const MINUTE = 60_000;
const labels = { service_name: 'checkout', env: 'prod' };

/** An hour of baseline traffic, then 30 minutes in which a new error appears and one template spikes. */
export function shopLogs(T = SHOP_T): LogEntry[] {
  const entries: LogEntry[] = [];
  for (let s = 0; s < 90 * 60; s += 20) {
    const t = T - 60 * MINUTE + s * 1000;
    entries.push({ t, line: `2026-11-02 08:00:00,${s % 1000} INFO [http] Cart: GET /api/cart/${s} served in ${s % 97} ms`, labels });
    if (s % 300 === 0 || (t >= T && s % 40 === 0)) {
      entries.push({ t: t + 1, line: `level=warn msg="retrying call to inventory" attempt=${s % 3} service=checkout`, labels });
    }
    if (t >= T + 10 * MINUTE && s % 60 === 0) {
      entries.push({ t: t + 2, line: `2026-11-02 08:10:00,000 ERROR [http] Payments: payment gateway timeout after ${3000 + (s % 500)} ms`, labels });
    }
  }
  return entries;
}
