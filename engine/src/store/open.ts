import type { StoreConfig } from '../config.ts';
import { openPgliteStore } from './pglite.ts';
import { openPostgresStore } from './postgres.ts';
import type { Store } from './store.ts';

export interface OpenStoreOptions {
  onIdleError?: (error: Error) => void;
}

export function openStore(config: StoreConfig, options: OpenStoreOptions = {}): Promise<Store> {
  return config.kind === 'postgres' ? openPostgresStore(config.databaseUrl, options) : openPgliteStore(config.dataDir);
}
