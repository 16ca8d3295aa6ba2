/** One kind of visit the load generator makes, with how often it is chosen. */
interface Visit {
  method: 'GET' | 'POST';
  path: () => string;
  weight: number;
}

const PRODUCTS = ['OLJCESPC7Z', '66VCHSJNUP', '1YMWWN1N4O', 'L9ECAV7KIM', '2ZYFJ3GM2N'];
const VISITS: Visit[] = [
  { method: 'GET', path: () => '/', weight: 4 },
  { method: 'GET', path: () => `/product/${PRODUCTS[Math.floor(Math.random() * PRODUCTS.length)] ?? ''}`, weight: 3 },
  { method: 'GET', path: () => '/cart', weight: 2 },
  { method: 'POST', path: () => '/checkout', weight: 2 },
];
const TOTAL_WEIGHT = VISITS.reduce((sum, visit) => sum + visit.weight, 0);
// Requests in flight at once; more are skipped, so a slow shop is not buried under a backlog.
const MAX_IN_FLIGHT = 64;
const TIMEOUT_MS = 15_000;

export interface LoadOptions {
  frontendUrl: string;
  /** Visits per second (default 5). */
  rate?: number;
  signal: AbortSignal;
  /** Called after each visit with its status (0: no answer). */
  onVisit?: (method: string, path: string, status: number) => void;
}

function chooseVisit(): Visit {
  let left = Math.random() * TOTAL_WEIGHT;
  for (const visit of VISITS) {
    left -= visit.weight;
    if (left < 0) {
      return visit;
    }
  }
  return VISITS[0] ?? { method: 'GET', path: () => '/', weight: 1 };
}

/** Steady synthetic traffic against the frontend until `signal` aborts: visits at `rate` per second, Poisson-spaced. */
export async function runLoad(options: LoadOptions): Promise<void> {
  const rate = options.rate ?? 5;
  const base = options.frontendUrl.replace(/\/+$/, '');
  let inFlight = 0;
  while (!options.signal.aborted) {
    const visit = chooseVisit();
    const path = visit.path();
    if (inFlight < MAX_IN_FLIGHT) {
      inFlight += 1;
      fetch(`${base}${path}`, {
        method: visit.method,
        signal: AbortSignal.any([options.signal, AbortSignal.timeout(TIMEOUT_MS)]),
      })
        .then(async (response) => {
          await response.body?.cancel();
          options.onVisit?.(visit.method, path, response.status);
        })
        .catch(() => options.onVisit?.(visit.method, path, 0))
        .finally(() => {
          inFlight -= 1;
        });
    }
    const waitMs = (-Math.log(1 - Math.random()) / rate) * 1000;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      options.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true }
      );
    });
  }
}
