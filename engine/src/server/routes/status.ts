import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { StoreKind } from '../../store/store.ts';
import { API_VERSION, ENGINE_VERSION } from '../../version.ts';
import { ErrorResponseSchema } from '../errors.ts';

export interface StatusRoutesOptions {
  storeKind: StoreKind;
  startedAt: Date;
}

export const StatusSchema = Type.Object(
  {
    version: Type.String({ description: 'Engine version' }),
    apiVersion: Type.Literal(API_VERSION, { description: 'HTTP API major version' }),
    store: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
    startedAt: Type.String({ format: 'date-time' }),
    uptimeSeconds: Type.Integer({ minimum: 0 }),
  },
  { title: 'Status' }
);

/** GET /api/v1/status: what the datasource's "Save & test" checks. */
export const statusRoutes: FastifyPluginAsyncTypebox<StatusRoutesOptions> = async (app, { storeKind, startedAt }) => {
  app.get(
    '/status',
    {
      schema: {
        summary: 'Engine version, API version, store kind and uptime',
        tags: ['engine'],
        response: { 200: StatusSchema, 401: ErrorResponseSchema },
      },
    },
    async () => ({
      version: ENGINE_VERSION,
      apiVersion: API_VERSION,
      store: storeKind,
      startedAt: startedAt.toISOString(),
      uptimeSeconds: Math.floor((Date.now() - startedAt.getTime()) / 1000),
    })
  );
};
