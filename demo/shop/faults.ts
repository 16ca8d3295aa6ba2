/** The faults a shop service can be told to suffer, through POST /-/faults. */
export const FAULT_KINDS = ['latency', 'errors', 'cpu', 'memory'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export function isFaultKind(kind: string): kind is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(kind);
}

export interface FaultRequest {
  kind: FaultKind;
  /** How long the fault lasts (default 300 s, at most an hour). */
  durationSeconds: number;
  /** latency: added to every request (default 1500 ms). */
  delayMs: number;
  /** errors: the share of requests that fail (default 0.5); latency: the share delayed (default 1). */
  ratio: number;
  /** cpu: the share of each 100 ms the process spends burning (default 0.8). */
  load: number;
  /** memory: how fast the leak grows (default 60 MB a minute, up to 512 MB). */
  mbPerMinute: number;
}

export interface ActiveFault extends FaultRequest {
  startedAt: number;
  endsAt: number;
}

const MAX_DURATION_SECONDS = 3600;
const MAX_LEAK_MB = 512;
const BURN_PERIOD_MS = 100;

/** A bad request body, answered with 400 and the message. */
export class FaultInputError extends Error {}

function numberField(body: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const value = body[name];
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new FaultInputError(`body/${name} must be a number from ${min} to ${max}`);
  }
  return value;
}

/** Reads a POST /-/faults body, naming the field that is wrong. */
export function parseFaultRequest(body: unknown): FaultRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FaultInputError('body must be a JSON object such as {"kind":"latency","durationSeconds":300}');
  }
  const fields = body as Record<string, unknown>;
  const known = new Set(['kind', 'durationSeconds', 'delayMs', 'ratio', 'load', 'mbPerMinute']);
  for (const key of Object.keys(fields)) {
    if (!known.has(key)) {
      throw new FaultInputError(`body has unknown property "${key}"`);
    }
  }
  const kind = fields.kind;
  if (typeof kind !== 'string' || !isFaultKind(kind)) {
    throw new FaultInputError(`body/kind must be one of ${FAULT_KINDS.join(', ')}`);
  }
  return {
    kind,
    durationSeconds: numberField(fields, 'durationSeconds', 300, 1, MAX_DURATION_SECONDS),
    delayMs: numberField(fields, 'delayMs', 1500, 0, 60_000),
    ratio: numberField(fields, 'ratio', kind === 'errors' ? 0.5 : 1, 0, 1),
    load: numberField(fields, 'load', 0.8, 0, 1),
    mbPerMinute: numberField(fields, 'mbPerMinute', 60, 1, MAX_LEAK_MB),
  };
}

/** The faults a service suffers now; one per kind, a new one replacing the old. */
export class FaultState {
  private readonly active = new Map<FaultKind, ActiveFault>();
  private burner: NodeJS.Timeout | undefined;
  private leaker: NodeJS.Timeout | undefined;
  // The leak: kept so the garbage collector cannot take it back.
  private leaked: Buffer[] = [];
  private readonly clock: () => number;

  constructor(clock: () => number = Date.now) {
    this.clock = clock;
  }

  start(request: FaultRequest): ActiveFault {
    const now = this.clock();
    const fault = { ...request, startedAt: now, endsAt: now + request.durationSeconds * 1000 };
    this.active.set(request.kind, fault);
    this.sync();
    return fault;
  }

  /** Ends every fault (or those of one kind); returns how many ended. */
  clear(kind?: FaultKind): number {
    this.expire();
    const kinds = kind === undefined ? [...this.active.keys()] : this.active.has(kind) ? [kind] : [];
    for (const one of kinds) {
      this.active.delete(one);
    }
    this.sync();
    return kinds.length;
  }

  list(): ActiveFault[] {
    this.expire();
    return [...this.active.values()];
  }

  get(kind: FaultKind): ActiveFault | undefined {
    this.expire();
    return this.active.get(kind);
  }

  /** The delay a request suffers now, in milliseconds. */
  delayFor(random: number): number {
    const latency = this.get('latency');
    return latency !== undefined && random < latency.ratio ? latency.delayMs : 0;
  }

  /** Whether a request fails now. */
  failsFor(random: number): boolean {
    const errors = this.get('errors');
    return errors !== undefined && random < errors.ratio;
  }

  leakedBytes(): number {
    return this.leaked.reduce((sum, buffer) => sum + buffer.length, 0);
  }

  close(): void {
    this.active.clear();
    this.sync();
  }

  private expire(): void {
    const now = this.clock();
    let changed = false;
    for (const [kind, fault] of this.active) {
      if (fault.endsAt <= now) {
        this.active.delete(kind);
        changed = true;
      }
    }
    if (changed) {
      this.sync();
    }
  }

  // Starts or stops the CPU burner and the leak to match the active faults.
  private sync(): void {
    const cpu = this.active.get('cpu');
    if (cpu !== undefined && this.burner === undefined) {
      this.burner = setInterval(() => this.burn(), BURN_PERIOD_MS);
      this.burner.unref();
    } else if (cpu === undefined && this.burner !== undefined) {
      clearInterval(this.burner);
      this.burner = undefined;
    }
    const memory = this.active.get('memory');
    if (memory !== undefined && this.leaker === undefined) {
      this.leaker = setInterval(() => this.leak(), 1000);
      this.leaker.unref();
    } else if (memory === undefined && this.leaker !== undefined) {
      clearInterval(this.leaker);
      this.leaker = undefined;
      this.leaked = [];
    }
  }

  private burn(): void {
    const cpu = this.get('cpu');
    if (cpu === undefined) {
      return;
    }
    const until = performance.now() + BURN_PERIOD_MS * cpu.load;
    let spin = 0;
    while (performance.now() < until) {
      spin = (spin + Math.sqrt(spin + 1)) % 1e9;
    }
  }

  private leak(): void {
    const memory = this.get('memory');
    if (memory === undefined || this.leakedBytes() >= MAX_LEAK_MB * 1024 * 1024) {
      return;
    }
    // Filled, so the pages are really resident.
    this.leaked.push(Buffer.alloc(Math.round((memory.mbPerMinute * 1024 * 1024) / 60), 1));
  }
}
