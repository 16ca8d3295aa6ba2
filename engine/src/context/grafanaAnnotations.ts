import { UpstreamHttp } from '../sources/http.ts';
import type { UpstreamHttpOptions } from '../sources/http.ts';
import type { QueryOptions, TimeRange } from '../sources/types.ts';
import { CHANGE_KINDS } from './changes.ts';
import type { Change, ChangeKind } from './changes.ts';

/**
 * Changes read from Grafana annotations: teams that already mark deploys on their dashboards (a CI step posting
 * to /api/annotations with tags like `deploy`, `service:checkout`, `version:v2.4.1`) need not post them again.
 * Read with a service-account token through GET /api/annotations?tags=<tag>&from&to&type=annotation.
 */

export interface GrafanaAnnotationsOptions extends Omit<UpstreamHttpOptions, 'upstream' | 'auth'> {
  /** A Grafana service-account token (sent as a bearer token). */
  token?: string | undefined;
  /** Only annotations with this tag are changes, e.g. "deploy". */
  tag: string;
  /** Most annotations read per call (Grafana's default is 100). */
  limit?: number;
}

export interface AnnotationChanges {
  changes: Change[];
  /** Annotations skipped and why, and a note when the limit cut the list. */
  warnings: string[];
}

export const DEFAULT_ANNOTATION_LIMIT = 1000;
const MAX_TITLE = 512;
const MAX_DESCRIPTION = 8192;

// Bare tags that name a change kind, as teams commonly write them.
const KIND_WORDS: Record<string, ChangeKind> = {
  deploy: 'deploy',
  deployment: 'deploy',
  release: 'deploy',
  rollout: 'deploy',
  config: 'config',
  configuration: 'config',
  feature_flag: 'feature_flag',
  'feature-flag': 'feature_flag',
  flag: 'feature_flag',
  infrastructure: 'infrastructure',
  infra: 'infrastructure',
};

export class GrafanaAnnotationsSource {
  readonly #http: UpstreamHttp;
  readonly #tag: string;
  readonly #limit: number;

  constructor(options: GrafanaAnnotationsOptions) {
    const { token, tag, limit, ...http } = options;
    this.#http = new UpstreamHttp({ ...http, upstream: 'grafana', auth: token === undefined ? undefined : { kind: 'bearer', token } });
    this.#tag = tag;
    this.#limit = limit ?? DEFAULT_ANNOTATION_LIMIT;
  }

  /** The tagged annotations in the range (epoch milliseconds) as changes. */
  async changes(range: TimeRange, options: QueryOptions = {}): Promise<AnnotationChanges> {
    const body = await this.#http.json({
      path: '/api/annotations',
      query: { tags: this.#tag, from: Math.floor(range.from), to: Math.ceil(range.to), type: 'annotation', limit: this.#limit },
      signal: options.signal,
    });
    if (!Array.isArray(body)) {
      throw this.#http.error('bad_response', 200, 'answered /api/annotations with something other than a list');
    }
    const result = changesFromAnnotations(body, this.#http.baseUrl);
    if (body.length >= this.#limit) {
      result.warnings.push(`Grafana returned ${this.#limit} annotations tagged ${JSON.stringify(this.#tag)}, the limit: older ones in the range were not read`);
    }
    return result;
  }
}

/** Grafana's annotation list as changes; `grafanaUrl` makes links to the dashboards they were made on. */
export function changesFromAnnotations(annotations: readonly unknown[], grafanaUrl: string): AnnotationChanges {
  const changes: Change[] = [];
  const warnings: string[] = [];
  annotations.forEach((annotation, index) => {
    const change = changeFromAnnotation(annotation, grafanaUrl);
    if (typeof change === 'string') {
      warnings.push(`annotation ${index}: ${change}`);
    } else {
      changes.push(change);
    }
  });
  return { changes, warnings };
}

/** A change, or why the annotation is not one. */
function changeFromAnnotation(annotation: unknown, grafanaUrl: string): Change | string {
  if (typeof annotation !== 'object' || annotation === null) {
    return 'is not an object; skipped';
  }
  const field = (name: string): unknown => (Object.hasOwn(annotation, name) ? Reflect.get(annotation, name) : undefined);
  const id = field('id');
  const time = field('time');
  if (typeof id !== 'number' || typeof time !== 'number' || !Number.isFinite(time)) {
    return 'has no numeric id and time; skipped';
  }
  const rawTags = field('tags');
  const tags = Array.isArray(rawTags) ? rawTags.filter((tag): tag is string => typeof tag === 'string') : [];
  const labels: Record<string, string> = { source: 'grafana', annotationId: String(id) };
  let kind: ChangeKind | undefined;
  for (const tag of tags) {
    const pair = /^([^:=]+)[:=](.+)$/.exec(tag);
    const key = pair?.[1]?.trim();
    const value = pair?.[2]?.trim();
    if (key !== undefined && value !== undefined && key !== '' && value !== '') {
      labels[key] = value;
    } else if (Object.hasOwn(KIND_WORDS, tag.toLowerCase())) {
      kind ??= KIND_WORDS[tag.toLowerCase()];
    }
  }
  const service = labels.service;
  if (service === undefined) {
    return `(id ${id}) has no service:<name> tag; skipped`;
  }
  const taggedKind = CHANGE_KINDS.find((known) => known === labels.kind);
  const text = typeof field('text') === 'string' ? plainText(String(field('text'))) : '';
  const [firstLine = '', ...rest] = text.split('\n');
  const finalKind = taggedKind ?? kind ?? 'other';
  const timeEnd = field('timeEnd');
  const endsAt = typeof timeEnd === 'number' && Number.isFinite(timeEnd) && timeEnd > time ? new Date(timeEnd) : undefined;
  const author = [field('login'), field('email')].find((value): value is string => typeof value === 'string' && value !== '');
  const dashboard = field('dashboardUID');
  const panel = field('panelId');
  const url =
    typeof dashboard === 'string' && dashboard !== ''
      ? `${grafanaUrl}/d/${encodeURIComponent(dashboard)}${typeof panel === 'number' && panel > 0 ? `?viewPanel=${panel}` : ''}`
      : undefined;
  const description = rest.join('\n').trim();
  return {
    id: `chg_grafana_${id}`,
    kind: finalKind,
    service,
    title: (firstLine.trim() || `${finalKind} of ${service}`).slice(0, MAX_TITLE),
    description: description === '' ? undefined : description.slice(0, MAX_DESCRIPTION),
    startsAt: new Date(time),
    endsAt,
    author,
    version: labels.version,
    url,
    labels,
  };
}

/** Annotation text may hold HTML (links, line breaks): the words only, one line per paragraph. */
function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}
