import { readFileSync } from 'node:fs';

const packageJson: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** The engine's version, from engine/package.json. */
export const ENGINE_VERSION =
  typeof packageJson === 'object' && packageJson !== null && 'version' in packageJson && typeof packageJson.version === 'string'
    ? packageJson.version
    : '0.0.0';

/** The HTTP API's major version: the `v1` in /api/v1. */
export const API_VERSION = 1 as const;
