import { readConfigText, singleYamlDocument, yamlValidator } from '../context/yamlSource.ts';
import { invalidInput } from '../invalidInput.ts';
import { loadSettings, saveSettings } from '../store/settings.ts';
import type { Queryable } from '../store/store.ts';
import { SettingsSchema, storableSettings } from './settings.ts';
import type { Settings } from './settings.ts';

/**
 * Provisioned settings (INTELOPS_SETTINGS_FILE): the sections a deployment starts with, such as the Prometheus, Loki
 * and Tempo URLs of its stack. A section is written only while the stored settings lack it, so what a person saves
 * on the Settings page is never overwritten, and a section added to the file later still arrives.
 */

const validateSettings = yamlValidator<Settings>(SettingsSchema);

/** The settings in YAML or JSON text; errors name `source`, the line and the field. */
export function parseSettingsFile(text: string, source: string): Settings {
  const example = 'settings are one mapping such as "prometheus: {url: http://prometheus:9090}"';
  const document = singleYamlDocument(text, source, example);
  if (document === undefined) {
    throw invalidInput(`${source}: is empty; ${example}`);
  }
  return storableSettings(validateSettings(document, document.data, source, []));
}

/** Adds the file's sections the stored settings lack; answers the sections added. */
export async function provisionSettings(db: Queryable, provisioned: Settings): Promise<string[]> {
  const stored = await loadSettings(db);
  const added = (Object.keys(provisioned) as Array<keyof Settings>).filter((section) => stored[section] === undefined);
  if (added.length > 0) {
    await saveSettings(db, { ...stored, ...Object.fromEntries(added.map((section) => [section, provisioned[section]])) });
  }
  return added;
}

export async function readSettingsFile(file: string): Promise<Settings> {
  return parseSettingsFile(await readConfigText(file, 'settings file'), file);
}
