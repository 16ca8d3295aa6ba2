import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CHANGE_KINDS, ChangeInputSchema, normalizeChange } from '../../context/changes.ts';
import type { Change } from '../../context/changes.ts';
import { invalidInput } from '../../invalidInput.ts';
import { queryChanges, saveChanges } from '../../store/changes.ts';
import type { Store } from '../../store/store.ts';
import { ErrorResponseSchema } from '../errors.ts';
import { timeRangeParams } from './incidents.ts';

export interface ChangeRoutesOptions {
  store: Store;
  clock: () => Date;
}

const MAX_BATCH = 1000;
const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 5000;

const ChangeSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.String({ enum: [...CHANGE_KINDS] }),
    service: Type.String(),
    title: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    author: Type.Union([Type.String(), Type.Null()]),
    version: Type.Union([Type.String(), Type.Null()]),
    url: Type.Union([Type.String(), Type.Null()]),
    labels: Type.Record(Type.String(), Type.String()),
  },
  { title: 'Change' }
);

function changeView(change: Change) {
  return {
    id: change.id,
    kind: change.kind,
    service: change.service,
    title: change.title,
    description: change.description ?? null,
    startsAt: change.startsAt.toISOString(),
    endsAt: change.endsAt?.toISOString() ?? null,
    author: change.author ?? null,
    version: change.version ?? null,
    url: change.url ?? null,
    labels: change.labels,
  };
}

/** POST /api/v1/changes (one change or a list) and GET /api/v1/changes. */
export const changeRoutes: FastifyPluginAsyncTypebox<ChangeRoutesOptions> = async (app, { store, clock }) => {
  app.post(
    '/changes',
    {
      schema: {
        summary: 'Record deploys, configuration changes or feature flags (one, or a list of up to 1000)',
        description: 'Posting a change with an id that is stored already updates it, so a pipeline can post at start and again at the end.',
        tags: ['context'],
        body: Type.Union([ChangeInputSchema, Type.Array(ChangeInputSchema, { minItems: 1, maxItems: MAX_BATCH })]),
        response: {
          200: Type.Object({ created: Type.Integer(), updated: Type.Integer(), ids: Type.Array(Type.String()) }, { title: 'ChangesSaved' }),
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
        },
      },
    },
    async (request) => {
      const body = request.body;
      const inputs = Array.isArray(body) ? body : [body];
      const changes = inputs.map((input, i) => normalizeChange(input, Array.isArray(body) ? `body/${i}` : 'body'));
      const ids = changes.map((change) => change.id);
      const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
      if (duplicate !== undefined) {
        throw invalidInput(`body has two changes with the id "${duplicate}"; send each change once`);
      }
      const saved = await saveChanges(store, changes, clock());
      return { ...saved, ids };
    }
  );

  app.get(
    '/changes',
    {
      schema: {
        summary: 'Changes active in a time range, newest first',
        tags: ['context'],
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ maxLength: 64, description: 'Changes not ended before this time: RFC 3339 or epoch milliseconds' })),
            to: Type.Optional(Type.String({ maxLength: 64, description: 'Changes begun by this time' })),
            service: Type.Optional(Type.Array(Type.String({ maxLength: 253 }), { maxItems: 100, description: 'Only these services; comma-separated or repeated' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, description: `Most changes returned (default ${DEFAULT_LIMIT})` })),
          },
          { additionalProperties: false }
        ),
        response: { 200: Type.Object({ changes: Type.Array(ChangeSchema) }, { title: 'ChangeList' }), 400: ErrorResponseSchema, 401: ErrorResponseSchema },
      },
    },
    async (request) => {
      const query = request.query;
      const { from, to } = timeRangeParams(query);
      const services = query.service?.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
      const changes = await queryChanges(store, { from, to, services: services?.length ? services : undefined, limit: query.limit ?? DEFAULT_LIMIT });
      return { changes: changes.map(changeView) };
    }
  );
};
