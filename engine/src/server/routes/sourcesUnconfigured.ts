import { UPSTREAM_NAMES } from '../../sources/http.ts';
import type { Upstream } from '../../sources/http.ts';

/** A query needs a source whose URL is not set: a 409 saying where to set it. */
export function unconfigured(upstream: Upstream): Error & { statusCode: number } {
  const error = new Error(
    `${UPSTREAM_NAMES[upstream]} is not configured: set ${upstream}.url with PUT /api/v1/settings (or in the app's Settings page)`
  );
  return Object.assign(error, { statusCode: 409 });
}
