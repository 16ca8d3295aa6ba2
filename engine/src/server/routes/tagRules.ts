import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { YAML_CONTENT_TYPES } from '../../context/cmdb.ts';
import { DEFAULT_TAG_RULES, parseTagRules } from '../../context/tagRules.ts';
import type { TagRules } from '../../context/tagRules.ts';
import { invalidInput } from '../../invalidInput.ts';
import type { Store } from '../../store/store.ts';
import { loadTagRulesText, saveTagRulesText } from '../../store/tagRules.ts';
import { decodeUtf8 } from '../bodies.ts';
import { ErrorResponseSchema } from '../errors.ts';

export interface TagRulesRoutesOptions {
  store: Store;
  /** Called with the new rules after they were replaced (the engine tags new incidents with them). */
  onSaved?: (rules: TagRules) => void;
}

/** Five hundred rules with long conditions fit. */
const TAG_RULES_BODY_LIMIT = 1024 * 1024;

const TagRulesViewSchema = Type.Object(
  {
    source: Type.Union([Type.String(), Type.Null()], { description: 'The rules text as sent (YAML or JSON); null when none was sent and the built-in rules run' }),
    defaults: Type.Boolean({ description: 'Whether the built-in rules run first' }),
    rules: Type.Array(
      Type.Object({
        name: Type.String(),
        when: Type.String(),
        tags: Type.Record(Type.String(), Type.String()),
        values: Type.Record(Type.String(), Type.String()),
        origin: Type.String({ description: '"built-in", or where in the text the rule was written' }),
      }),
      { description: 'The rules in the order they run' }
    ),
    updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { title: 'TagRulesView' }
);

function view(rules: TagRules, source: string | null, updatedAt: Date | null) {
  return {
    source,
    defaults: rules.defaults,
    rules: rules.rules.map((rule) => ({ name: rule.name, when: rule.when, tags: rule.tags, values: rule.values, origin: rule.origin })),
    updatedAt: updatedAt?.toISOString() ?? null,
  };
}

/** GET/PUT /api/v1/tag-rules: the CEL rules that tag incidents, as YAML or JSON. */
export const tagRulesRoutes: FastifyPluginAsyncTypebox<TagRulesRoutesOptions> = async (app, { store, onSaved }) => {
  // Scoped to this plugin: the body is kept as text so errors give its lines and GET returns it with comments.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', ...YAML_CONTENT_TYPES], { parseAs: 'buffer', bodyLimit: TAG_RULES_BODY_LIMIT }, (_request, body, done) => {
    try {
      done(null, decodeUtf8(Buffer.isBuffer(body) ? body : Buffer.from(body)));
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)), undefined);
    }
  });

  app.get(
    '/tag-rules',
    {
      schema: {
        summary: 'The tag rules: CEL conditions that tag incidents',
        tags: ['context'],
        response: { 200: TagRulesViewSchema, 401: ErrorResponseSchema },
      },
    },
    async () => {
      const stored = await loadTagRulesText(store);
      return stored === undefined ? view(DEFAULT_TAG_RULES, null, null) : view(parseTagRules(stored.source, 'stored tag rules'), stored.source, stored.updatedAt);
    }
  );

  app.put(
    '/tag-rules',
    {
      bodyLimit: TAG_RULES_BODY_LIMIT,
      schema: {
        summary: 'Replace the tag rules (YAML or JSON)',
        description:
          'A document `{defaults?: bool, rules: [{name, when, tags?, values?}]}`: `when` is a CEL condition over incident, evidence, changes, ' +
          'impact, cmdb and tags; `tags` are set as written, `values` are CEL expressions giving strings. Rules run in order after the ' +
          'built-in ones (unless defaults is false); a later tag replaces an earlier one. Errors name the line of the body and the rule.',
        tags: ['context'],
        consumes: ['application/json', ...YAML_CONTENT_TYPES],
        response: { 200: TagRulesViewSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema, 413: ErrorResponseSchema, 415: ErrorResponseSchema },
      },
    },
    async (request) => {
      if (typeof request.body !== 'string') {
        throw invalidInput('Request body must be the tag rules as YAML or JSON');
      }
      if (request.body.includes('\u0000')) {
        // PostgreSQL cannot store U+0000 in text.
        throw invalidInput('body must not contain the NUL character (\\u0000)');
      }
      const rules = parseTagRules(request.body, 'body');
      const saved = await saveTagRulesText(store, request.body);
      onSaved?.(rules);
      request.log.info({ rules: rules.rules.length, defaults: rules.defaults }, 'tag rules replaced');
      return view(rules, saved.source, saved.updatedAt);
    }
  );
};
