import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SettingsSchema, settingsView, storableSettings } from '../../settings/settings.ts';
import type { SecretFlags } from '../../settings/settings.ts';
import { loadSettings, saveSettings } from '../../store/settings.ts';
import type { Store } from '../../store/store.ts';
import { ErrorResponseSchema } from '../errors.ts';

export interface SettingsRoutesOptions {
  store: Store;
  secrets: SecretFlags;
  /** Called after the settings changed (the alert intake re-reads its grouping thresholds). */
  onSaved?: () => void;
}

/** GET/PUT /api/v1/settings: the non-secret settings document, kept in the store. */
export const settingsRoutes: FastifyPluginAsyncTypebox<SettingsRoutesOptions> = async (app, { store, secrets, onSaved }) => {
  app.get(
    '/settings',
    {
      schema: {
        summary: 'Current settings, with flags for which secrets are configured',
        tags: ['settings'],
        response: { 200: SettingsSchema, 401: ErrorResponseSchema },
      },
    },
    async () => settingsView(await loadSettings(store), secrets)
  );

  app.put(
    '/settings',
    {
      schema: {
        summary: 'Replace the whole settings document',
        description: 'Fields left out are cleared. Unknown keys are rejected. Read-only flags (llm.apiKeySet) are ignored.',
        tags: ['settings'],
        body: SettingsSchema,
        response: { 200: SettingsSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema, 413: ErrorResponseSchema },
      },
    },
    async (request) => {
      const saved = await saveSettings(store, storableSettings(request.body));
      onSaved?.();
      request.log.info({ keys: Object.keys(saved) }, 'settings replaced');
      return settingsView(saved, secrets);
    }
  );
};
