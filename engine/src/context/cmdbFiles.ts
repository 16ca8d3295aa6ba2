import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from 'typebox';
import { invalidInput } from '../invalidInput.ts';
import { CmdbServiceSchema, checkCmdb } from './cmdb.ts';
import type { Cmdb, CmdbService } from './cmdb.ts';
import { parseYamlDocuments, yamlValidator } from './yamlSource.ts';
import type { YamlDocument } from './yamlSource.ts';

/**
 * The CMDB kept as YAML files in a folder (in git, reviewed like code): every *.yaml and *.yml file, each holding
 * `services: [...]` or a single service; services may be split across files and documents. The CMDB stored
 * through PUT /api/v1/cmdb is merged on top (see mergeCmdb).
 */

export interface LoadedCmdb {
  cmdb: Cmdb;
  /** Accepted but worth a look, each naming file and line. */
  warnings: string[];
}

/** Where one service was read from. */
interface Origin {
  file: string;
  document: YamlDocument;
  /** Path of the service in its document: ['services', 3], or [] for a file holding one service. */
  path: Array<string | number>;
}

const validateService = yamlValidator<CmdbService>(CmdbServiceSchema);
const validateFile = yamlValidator<{ services: unknown[] }>(
  Type.Object({ services: Type.Array(Type.Unknown(), { maxItems: 10_000 }) }, { additionalProperties: false })
);

/** Most files read from one folder. */
const MAX_FILES = 1000;

/** Reads, validates and checks every YAML file in `dir` (not its subfolders), in name order. */
export async function loadCmdbFiles(dir: string): Promise<LoadedCmdb> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && /\.ya?ml$/i.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (cause) {
    throw invalidInput(`CMDB folder ${dir} cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (names.length > MAX_FILES) {
    throw invalidInput(`CMDB folder ${dir} holds ${names.length} YAML files; at most ${MAX_FILES} are read`);
  }
  const files = await Promise.all(names.map(async (name) => ({ file: join(dir, name), text: await readFile(join(dir, name), 'utf8') })));
  const loaded = cmdbFromYamlTexts(files);
  if (names.length === 0) {
    loaded.warnings.unshift(`CMDB folder ${dir} holds no .yaml or .yml files`);
  }
  return loaded;
}

/** The CMDB from YAML texts, each named by `file` in messages. */
export function cmdbFromYamlTexts(files: ReadonlyArray<{ file: string; text: string }>): LoadedCmdb {
  const services: CmdbService[] = [];
  const origins: Origin[] = [];
  for (const { file, text } of files) {
    for (const document of parseYamlDocuments(text, file)) {
      for (const { service, path } of servicesOf(document, file)) {
        services.push(service);
        origins.push({ file, document, path });
      }
    }
  }
  const locate = (index: number, path: string) => {
    const origin = origins[index];
    if (origin === undefined) {
      return `services/${index}${path}`;
    }
    const steps = path.split('/').filter((step) => step !== '').map((step) => (/^\d+$/.test(step) ? Number(step) : step));
    const where = [...origin.path, ...steps].join('/');
    return `${origin.file} line ${origin.document.lineOf([...origin.path, ...steps])}${where === '' ? '' : ` (${where})`}`;
  };
  const { cmdb, warnings } = checkCmdb({ services }, locate);
  return { cmdb, warnings };
}

function servicesOf(document: YamlDocument, file: string): Array<{ service: CmdbService; path: Array<string | number> }> {
  const { data } = document;
  if (data === null || data === undefined) {
    return [];
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw invalidInput(`${file} line ${document.lineOf([])}: a CMDB file holds a mapping with "services: [...]" or one service (name, owner, dependsOn…)`);
  }
  if ('name' in data) {
    return [{ service: validateService(document, data, file, []), path: [] }];
  }
  const { services } = validateFile(document, data, file, []);
  return services.map((entry, index) => ({ service: validateService(document, entry, file, ['services', index]), path: ['services', index] }));
}

/**
 * The CMDB the engine uses: the files as the base and the stored CMDB (PUT /api/v1/cmdb) on top, the stored entry
 * winning per service. A file alias that names a stored service (or is a stored alias) is dropped, so every
 * name still resolves to one service.
 */
export function mergeCmdb(files: Cmdb | undefined, stored: Cmdb | undefined): Cmdb {
  const storedServices = stored?.services ?? [];
  const storedNames = new Set<string>();
  for (const service of storedServices) {
    storedNames.add(service.name);
    for (const alias of service.aliases ?? []) {
      storedNames.add(alias);
    }
  }
  const byName = new Map(storedServices.map((service) => [service.name, service]));
  const merged = (files?.services ?? []).map((service) => {
    const replacement = byName.get(service.name);
    if (replacement !== undefined) {
      byName.delete(service.name);
      return replacement;
    }
    return service.aliases === undefined ? service : { ...service, aliases: service.aliases.filter((alias) => !storedNames.has(alias)) };
  });
  return { services: [...merged, ...byName.values()] };
}
