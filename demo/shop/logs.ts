export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ShopLogger {
  /** `local`: printed only, not pushed to Loki (the fault injector's own notes are not the shop's telemetry). */
  log(
    level: LogLevel,
    msg: string,
    fields?: Record<string, string | number | boolean | undefined>,
    local?: boolean
  ): void;
  /** Pushes what is buffered to Loki now. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface LoggerOptions {
  service: string;
  /** Loki's base URL; lines are pushed to /loki/api/v1/push as well as printed. */
  lokiUrl?: string | undefined;
  write?: (line: string) => void;
  pushIntervalMs?: number;
}

// Lines kept for Loki while it does not answer; older ones are dropped.
const MAX_BUFFERED = 5000;

/** JSON lines on stdout, and batches to Loki (one stream per level) when LOKI_URL is set. */
export function createLogger(options: LoggerOptions): ShopLogger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const lokiUrl = options.lokiUrl?.replace(/\/+$/, '');
  let buffered: Array<{ level: LogLevel; ns: string; line: string }> = [];
  let pushing: Promise<void> = Promise.resolve();

  const push = async () => {
    if (lokiUrl === undefined || buffered.length === 0) {
      return;
    }
    const batch = buffered;
    buffered = [];
    const streams = new Map<LogLevel, Array<[string, string]>>();
    for (const entry of batch) {
      streams.set(entry.level, [...(streams.get(entry.level) ?? []), [entry.ns, entry.line]]);
    }
    const body = {
      streams: [...streams].map(([level, values]) => ({ stream: { service_name: options.service, level }, values })),
    };
    try {
      const response = await fetch(`${lokiUrl}/loki/api/v1/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      await response.body?.cancel();
      if (!response.ok) {
        write(
          JSON.stringify({
            time: new Date().toISOString(),
            level: 'warn',
            service: options.service,
            msg: `Loki answered ${response.status} to a push`,
          })
        );
      }
    } catch (error) {
      // Loki may start after the shop; the lines stay on stdout.
      write(
        JSON.stringify({
          time: new Date().toISOString(),
          level: 'warn',
          service: options.service,
          msg: `Loki push failed: ${String(error)}`,
        })
      );
    }
  };
  const timer =
    lokiUrl === undefined
      ? undefined
      : setInterval(() => {
          pushing = pushing.then(push);
        }, options.pushIntervalMs ?? 1000);
  timer?.unref();

  return {
    log(level, msg, fields = {}, local = false) {
      const now = Date.now();
      const line = JSON.stringify({
        time: new Date(now).toISOString(),
        level,
        service: options.service,
        msg,
        ...fields,
      });
      write(line);
      if (lokiUrl !== undefined && !local) {
        buffered.push({ level, ns: `${BigInt(now) * 1_000_000n}`, line });
        buffered = buffered.slice(-MAX_BUFFERED);
      }
    },
    flush() {
      pushing = pushing.then(push);
      return pushing;
    },
    async close() {
      clearInterval(timer);
      pushing = pushing.then(push);
      await pushing;
    },
  };
}
