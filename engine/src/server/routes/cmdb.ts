import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CmdbSchema, YAML_CONTENT_TYPES, checkCmdb, parseYaml } from '../../context/cmdb.ts';
import type { Cmdb } from '../../context/cmdb.ts';
import { mergeCmdb } from '../../context/cmdbFiles.ts';
import { loadCmdb, saveCmdb } from '../../store/cmdb.ts';
import type { Store } from '../../store/store.ts';
import { decodeUtf8 } from '../bodies.ts';
import { ErrorResponseSchema } from '../errors.ts';

export interface CmdbRoutesOptions {
  store: Store;
  /** Called after the CMDB was replaced (the alert intake rebuilds its graph). */
  onSaved?: () => void;
  /** The CMDB of INTELOPS_CMDB_DIR, which the saved one is merged over. */
  cmdbFiles?: Cmdb | undefined;
}

/** A CMDB of 10,000 services with their dependencies fits. */
const CMDB_BODY_LIMIT = 8 * 1024 * 1024;

const CmdbViewSchema = Type.Object(
  {
    services: CmdbSchema.properties.services,
    updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When the CMDB was last replaced; null if never' }),
    fromFiles: Type.Array(CmdbSchema.properties.services.items, {
      description: 'Services from the INTELOPS_CMDB_DIR files that the saved CMDB does not replace; the engine uses both. Not part of a PUT.',
    }),
  },
  { title: 'CmdbView' }
);

const CmdbSavedSchema = Type.Object(
  {
    services: CmdbSchema.properties.services,
    updatedAt: Type.String({ format: 'date-time' }),
    warnings: Type.Array(Type.String(), { description: 'Accepted, but worth a look: e.g. dependencies on services the CMDB does not list' }),
  },
  { title: 'CmdbSaved' }
);

/** GET/PUT /api/v1/cmdb: the services and their dependencies, as JSON or YAML. */
export const cmdbRoutes: FastifyPluginAsyncTypebox<CmdbRoutesOptions> = async (app, { store, onSaved, cmdbFiles }) => {
  // Scoped to this plugin: only the CMDB takes YAML.
  app.addContentTypeParser(YAML_CONTENT_TYPES, { parseAs: 'buffer', bodyLimit: CMDB_BODY_LIMIT }, (_request, body, done) => {
    try {
      done(null, parseYaml(decodeUtf8(Buffer.isBuffer(body) ? body : Buffer.from(body))));
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)), undefined);
    }
  });

  app.get(
    '/cmdb',
    {
      schema: {
        summary: 'The CMDB: services, owners and dependencies',
        tags: ['context'],
        response: { 200: CmdbViewSchema, 401: ErrorResponseSchema },
      },
    },
    async () => {
      const stored = await loadCmdb(store);
      const saved = new Set((stored?.cmdb.services ?? []).map((service) => service.name));
      const fromFiles = mergeCmdb(cmdbFiles, stored?.cmdb).services.filter((service) => !saved.has(service.name));
      return { services: stored?.cmdb.services ?? [], updatedAt: stored?.updatedAt.toISOString() ?? null, fromFiles };
    }
  );

  app.put(
    '/cmdb',
    {
      bodyLimit: CMDB_BODY_LIMIT,
      schema: {
        summary: 'Replace the CMDB (JSON or YAML)',
        description:
          'Send application/json, or YAML as application/yaml, text/yaml or application/x-yaml; YAML errors give the line and column. ' +
          'Names must be unique. A dependency on a service the CMDB does not list is kept (it becomes a node of the dependency graph) ' +
          'and reported in `warnings`. Grouping uses the new graph for alerts received afterwards.',
        tags: ['context'],
        consumes: ['application/json', ...YAML_CONTENT_TYPES],
        body: CmdbSchema,
        response: { 200: CmdbSavedSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema, 413: ErrorResponseSchema, 415: ErrorResponseSchema },
      },
    },
    async (request) => {
      const { cmdb, warnings } = checkCmdb(request.body);
      const saved = await saveCmdb(store, cmdb);
      onSaved?.();
      request.log.info({ services: cmdb.services.length, warnings: warnings.length }, 'CMDB replaced');
      return { services: saved.cmdb.services, updatedAt: saved.updatedAt.toISOString(), warnings };
    }
  );
};
