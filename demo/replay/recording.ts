import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** A recorded scenario as demo/recordings/<scenario>/ holds it; every time is seconds relative to the fault (t=0). */
export interface Recording {
  dir: string;
  scenario: Scenario;
  metrics: RecordedMetric[];
  logs: RecordedStream[];
  traces: RecordedTrace[];
}

export const FAULT_KINDS = ['latency', 'errors', 'cpu', 'memory', 'bad_deploy'] as const;
export const SPAN_KINDS = ['server', 'client', 'internal', 'producer', 'consumer'] as const;
export const SPAN_STATUSES = ['ok', 'error', 'unset'] as const;

export interface Scenario {
  name: string;
  title: string;
  description: string;
  recordedWith: string;
  durationSeconds: number;
  before: number;
  fault: { service: string; kind: (typeof FAULT_KINDS)[number]; detail: string };
  services: string[];
  /** CMDB services as PUT /api/v1/cmdb takes them. */
  cmdb: Array<Record<string, unknown>>;
  changes: Array<{ id: string; kind: string; service: string; title: string; at: number; endsAt?: number }>;
  /** Alertmanager v4 webhook bodies whose alerts' startsAt/endsAt are offsets in seconds. */
  alerts: Array<{ at: number; body: Record<string, unknown> }>;
}

export interface RecordedMetric {
  labels: Record<string, string>;
  samples: Array<[number, number]>;
}

export interface RecordedStream {
  stream: Record<string, string>;
  entries: Array<[number, string]>;
}

export interface RecordedSpan {
  spanId: string;
  parentSpanId?: string;
  service: string;
  name: string;
  kind: (typeof SPAN_KINDS)[number];
  start: number;
  durationMs: number;
  status: (typeof SPAN_STATUSES)[number];
  attributes: Record<string, string | number | boolean>;
}

export interface RecordedTrace {
  traceId: string;
  spans: RecordedSpan[];
}

/** A recording that cannot be replayed: the message names the folder or the file and the field. */
export class RecordingError extends Error {
  override name = 'RecordingError';
}

export const RECORDING_FILES = ['scenario.json', 'metrics.json', 'logs.json', 'traces.json'] as const;

/** Replayed when no scenario is named: the classic slow dependency, whose cause sits under its callers' symptoms. */
export const DEFAULT_SCENARIO = 'checkout-latency';

/** The scenario folder: `name` under `root`, or without a name the default one, else the first one by name. */
export async function findScenario(root: string, name?: string): Promise<string> {
  const folders = await readdir(root, { withFileTypes: true }).then(
    (entries): string[] => entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort(),
    (): string[] => []
  );
  if (name !== undefined) {
    if (!folders.includes(name)) {
      throw new RecordingError(
        `No recorded scenario ${JSON.stringify(name)} in ${root}${folders.length > 0 ? ` (there are: ${folders.join(', ')})` : ''}`
      );
    }
    return path.join(root, name);
  }
  const first = folders.includes(DEFAULT_SCENARIO) ? DEFAULT_SCENARIO : folders[0];
  if (first === undefined) {
    throw new RecordingError(
      `No recorded scenario in ${root}: it should hold one folder per scenario with ${RECORDING_FILES.join(', ')} (npm run demo -- --recordings <folder> reads another)`
    );
  }
  return path.join(root, first);
}

/** Reads and checks the four files of a scenario folder. */
export async function loadRecording(dir: string): Promise<Recording> {
  if (!(await stat(dir).then((info) => info.isDirectory(), () => false))) {
    throw new RecordingError(`${dir} is not a folder`);
  }
  const read = async (file: (typeof RECORDING_FILES)[number]): Promise<Checked> => {
    const where = path.join(dir, file);
    let text: string;
    try {
      text = await readFile(where, 'utf8');
    } catch {
      throw new RecordingError(`${where}: missing (a recording holds ${RECORDING_FILES.join(', ')})`);
    }
    try {
      return new Checked(where, '', JSON.parse(text));
    } catch (error) {
      throw new RecordingError(`${where}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  };
  const [scenario, metrics, logs, traces] = await Promise.all(RECORDING_FILES.map(read));
  if (scenario === undefined || metrics === undefined || logs === undefined || traces === undefined) {
    throw new RecordingError(`${dir}: a file could not be read`);
  }
  return {
    dir,
    scenario: readScenario(scenario),
    metrics: metrics.list((item) => ({
      labels: item.field('labels').labels(['__name__']),
      samples: item.field('samples').list((pair) => pair.pair((t) => t.number(), (v) => v.sampleValue())),
    })),
    logs: logs.list((item) => ({
      stream: item.field('stream').labels([]),
      entries: item.field('entries').list((pair) => pair.pair((t) => t.number(), (line) => line.string())),
    })),
    traces: traces.list((item) => ({
      traceId: item.field('traceId').hex(32),
      spans: item.field('spans').list(readSpan),
    })),
  };
}

function readScenario(file: Checked): Scenario {
  const fault = file.field('fault');
  const services = file.field('services').list((item) => item.string());
  const faultService = fault.field('service').string();
  if (!services.includes(faultService)) {
    throw fault.field('service').error(`names ${JSON.stringify(faultService)}, which is not in services`);
  }
  return {
    name: file.field('name').string(),
    title: file.field('title').string(),
    description: file.field('description').string(),
    recordedWith: file.field('recordedWith').string(),
    durationSeconds: file.field('durationSeconds').number(),
    before: file.field('before').number(),
    fault: { service: faultService, kind: fault.field('kind').oneOf(FAULT_KINDS), detail: fault.field('detail').string() },
    services,
    cmdb: file.field('cmdb').list((item) => item.object()),
    changes: file.field('changes').list((item) => ({
      id: item.field('id').string(),
      kind: item.field('kind').string(),
      service: item.field('service').string(),
      title: item.field('title').string(),
      at: item.field('at').number(),
      ...(item.has('endsAt') ? { endsAt: item.field('endsAt').number() } : {}),
    })),
    alerts: file.field('alerts').list((item) => {
      const at = item.field('at').number();
      const body = item.field('body');
      const alerts = body.field('alerts');
      alerts.list((alert) => {
        alert.field('labels').labels([]);
        alert.field('startsAt').number();
        if (alert.has('endsAt')) {
          alert.field('endsAt').number();
        }
      });
      return { at, body: body.object() };
    }),
  };
}

function readSpan(item: Checked): RecordedSpan {
  return {
    spanId: item.field('spanId').hex(16),
    ...(item.has('parentSpanId') ? { parentSpanId: item.field('parentSpanId').hex(16) } : {}),
    service: item.field('service').string(),
    name: item.field('name').string(),
    kind: item.field('kind').oneOf(SPAN_KINDS),
    start: item.field('start').number(),
    durationMs: item.field('durationMs').number(),
    status: item.field('status').oneOf(SPAN_STATUSES),
    attributes: item.has('attributes') ? item.field('attributes').attributes() : {},
  };
}

/** A value read from a file, with the path to it, so every complaint says which file and which field. */
class Checked {
  readonly file: string;
  readonly at: string;
  readonly value: unknown;

  constructor(file: string, at: string, value: unknown) {
    this.file = file;
    this.at = at;
    this.value = value;
  }

  error(problem: string): RecordingError {
    return new RecordingError(`${this.file}: ${this.at === '' ? 'the file' : this.at} ${problem}`);
  }

  has(name: string): boolean {
    return isRecord(this.value) && this.value[name] !== undefined && this.value[name] !== null;
  }

  field(name: string): Checked {
    const record = this.object();
    if (!(name in record) || record[name] === undefined) {
      throw new RecordingError(`${this.file}: ${this.at === '' ? '' : `${this.at}.`}${name} is missing`);
    }
    return new Checked(this.file, this.at === '' ? name : `${this.at}.${name}`, record[name]);
  }

  object(): Record<string, unknown> {
    if (!isRecord(this.value)) {
      throw this.error(`must be an object, not ${describe(this.value)}`);
    }
    return this.value;
  }

  list<T>(each: (item: Checked) => T): T[] {
    if (!Array.isArray(this.value)) {
      throw this.error(`must be a list, not ${describe(this.value)}`);
    }
    return this.value.map((item, index) => each(new Checked(this.file, `${this.at}[${index}]`, item)));
  }

  pair<A, B>(first: (item: Checked) => A, second: (item: Checked) => B): [A, B] {
    if (!Array.isArray(this.value) || this.value.length !== 2) {
      throw this.error(`must be a pair [offsetSeconds, value], not ${describe(this.value)}`);
    }
    return [first(new Checked(this.file, `${this.at}[0]`, this.value[0])), second(new Checked(this.file, `${this.at}[1]`, this.value[1]))];
  }

  string(): string {
    if (typeof this.value !== 'string' || this.value === '') {
      throw this.error(`must be a non-empty string, not ${describe(this.value)}`);
    }
    return this.value;
  }

  number(): number {
    if (typeof this.value !== 'number' || !Number.isFinite(this.value)) {
      throw this.error(`must be a number (seconds), not ${describe(this.value)}`);
    }
    return this.value;
  }

  /** A sample value: a number, or Prometheus' "NaN", "+Inf" and "-Inf". */
  sampleValue(): number {
    const special: Record<string, number> = { NaN: Number.NaN, '+Inf': Infinity, '-Inf': -Infinity };
    if (typeof this.value === 'string' && this.value in special) {
      return special[this.value] ?? Number.NaN;
    }
    if (typeof this.value !== 'number') {
      throw this.error(`must be a number, not ${describe(this.value)}`);
    }
    return this.value;
  }

  hex(digits: number): string {
    const text = this.string();
    if (!new RegExp(`^[0-9a-f]{${digits}}$`).test(text)) {
      throw this.error(`must be ${digits} lower-case hex digits, not ${JSON.stringify(text)}`);
    }
    return text;
  }

  oneOf<T extends string>(allowed: readonly T[]): T {
    const text = this.string();
    const found = allowed.find((one) => one === text);
    if (found === undefined) {
      throw this.error(`must be one of ${allowed.join(', ')}, not ${JSON.stringify(text)}`);
    }
    return found;
  }

  /** Labels: string values, with `required` names present. */
  labels(required: readonly string[]): Record<string, string> {
    const record = this.object();
    for (const name of required) {
      if (typeof record[name] !== 'string') {
        throw new RecordingError(`${this.file}: ${this.at}.${name} is missing`);
      }
    }
    for (const [name, value] of Object.entries(record)) {
      if (typeof value !== 'string') {
        throw new RecordingError(`${this.file}: ${this.at}.${name} must be a string, not ${describe(value)}`);
      }
    }
    return Object.fromEntries(Object.entries(record).map(([name, value]) => [name, String(value)]));
  }

  attributes(): Record<string, string | number | boolean> {
    const attributes: Record<string, string | number | boolean> = {};
    for (const [name, value] of Object.entries(this.object())) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new RecordingError(`${this.file}: ${this.at}.${name} must be a string, number or boolean, not ${describe(value)}`);
      }
      attributes[name] = value;
    }
    return attributes;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  return typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : typeof value === 'object' ? 'an object' : String(value);
}
