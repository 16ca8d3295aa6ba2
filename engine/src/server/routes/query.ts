import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DEFAULT_LINES_PER_WINDOW, DEFAULT_TEMPLATE_LIMIT, queryLogTemplates } from '../../perception/logs/logTemplatesQuery.ts';
import type { TemplateLibrary } from '../../perception/logs/templateLibrary.ts';
import { queryAnomalies } from '../../perception/metrics/anomalies.ts';
import { parseTimeInput } from '../../timeInput.ts';
import type { Sources } from '../../sources/fromSettings.ts';
import { ErrorResponseSchema } from '../errors.ts';
import { unconfigured } from './sourcesUnconfigured.ts';

export interface QueryRoutesOptions {
  sources: () => Promise<Sources>;
  library: TemplateLibrary;
}

const TimeInput = (what: string) => Type.String({ minLength: 1, maxLength: 64, description: `${what}: RFC 3339 time or epoch milliseconds` });
const Point = Type.Tuple([Type.Number(), Type.Number()]);
const Nullable = Type.Union([Type.Number(), Type.Null()]);

const LogTemplatesBody = Type.Object(
  {
    selector: Type.Optional(Type.String({ maxLength: 4096, description: 'LogQL log query, e.g. {service_name="checkout"} |= "error"' })),
    services: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 50, description: 'Select streams by service instead of a selector' })),
    from: TimeInput('Start of the range'),
    to: TimeInput('End of the range'),
    baselineFrom: Type.Optional(TimeInput('Start of the baseline window, which ends at `from` (default: as long as the range)')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: `Templates returned at most (default ${DEFAULT_TEMPLATE_LIMIT})` })),
    lines: Type.Optional(Type.Integer({ minimum: 1, maximum: 50_000, description: `Lines read per window at most (default ${DEFAULT_LINES_PER_WINDOW})` })),
  },
  { additionalProperties: false }
);

const LogTemplatesResponse = Type.Object(
  {
    selector: Type.String(),
    linesRead: Type.Integer(),
    truncated: Type.Boolean({ description: 'A window had more lines than `lines`; counts cover the part read' }),
    warnings: Type.Array(Type.String()),
    templates: Type.Array(
      Type.Object({
        id: Type.String({ description: 'Stable template id' }),
        template: Type.String({ description: 'The template, values shown as <*>' }),
        count: Type.Integer(),
        baselineCount: Type.Number({ description: 'Baseline lines, scaled to the range’s length' }),
        change: Type.String({ enum: ['new', 'spiking', 'vanishing', 'steady'] }),
        firstSeen: Type.String({ format: 'date-time' }),
        lastSeen: Type.String({ format: 'date-time' }),
        sample: Type.String(),
        logql: Type.String({ description: 'LogQL that shows these lines in Explore' }),
        series: Type.Array(Point, { description: 'Lines per bucket across the range: [ms, count]' }),
      })
    ),
  },
  { title: 'LogTemplates' }
);

const AnomaliesBody = Type.Object(
  {
    query: Type.String({ minLength: 1, maxLength: 8192, description: 'PromQL' }),
    from: TimeInput('Start of the range'),
    to: TimeInput('End of the range'),
    step: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'Seconds (default: about 300 points)' })),
    baselineFrom: Type.Optional(TimeInput('Start of the baseline window')),
  },
  { additionalProperties: false }
);

const AnomaliesResponse = Type.Object(
  {
    step: Type.Number(),
    series: Type.Array(
      Type.Object({
        name: Type.String(),
        labels: Type.Record(Type.String(), Type.String()),
        timestamps: Type.Array(Type.Number()),
        values: Type.Array(Nullable),
        lower: Type.Array(Nullable, { description: 'Lower edge of the expected band' }),
        upper: Type.Array(Nullable, { description: 'Upper edge of the expected band' }),
        score: Type.Number({ minimum: 0, maximum: 1 }),
        direction: Type.String({ enum: ['up', 'down', 'none'] }),
        onset: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        anomalous: Type.Boolean(),
      })
    ),
  },
  { title: 'Anomalies' }
);

const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 409: ErrorResponseSchema, 502: ErrorResponseSchema, 504: ErrorResponseSchema };

/** POST /api/v1/query/…: the datasource's "Log templates" and "Anomalies" queries. */
export const queryRoutes: FastifyPluginAsyncTypebox<QueryRoutesOptions> = async (app, { sources, library }) => {
  app.post(
    '/query/log-templates',
    {
      schema: {
        summary: 'Log templates of a Loki stream over a range, compared with a baseline window before it',
        tags: ['query'],
        body: LogTemplatesBody,
        response: { 200: LogTemplatesResponse, ...errors },
      },
    },
    async (request) => {
      const { loki } = await sources();
      if (loki === undefined) {
        throw unconfigured('loki');
      }
      const body = request.body;
      return queryLogTemplates(loki, library, {
        selector: body.selector,
        services: body.services,
        from: parseTimeInput(body.from, 'body/from'),
        to: parseTimeInput(body.to, 'body/to'),
        baselineFrom: body.baselineFrom === undefined ? undefined : parseTimeInput(body.baselineFrom, 'body/baselineFrom'),
        limit: body.limit,
        lines: body.lines,
      });
    }
  );

  app.post(
    '/query/anomalies',
    {
      schema: {
        summary: 'A PromQL query’s series, each with its expected band and an anomaly score',
        tags: ['query'],
        body: AnomaliesBody,
        response: { 200: AnomaliesResponse, ...errors },
      },
    },
    async (request) => {
      const { prometheus } = await sources();
      if (prometheus === undefined) {
        throw unconfigured('prometheus');
      }
      return queryAnomalies(prometheus, request.body);
    }
  );
};
