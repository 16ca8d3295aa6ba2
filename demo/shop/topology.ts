/** The shop's services, named as deploy/cmdb names them, and what each route calls downstream. */
export const SHOP_SERVICES = ['frontend', 'checkout', 'payment', 'cart', 'productcatalog'] as const;
export type ShopService = (typeof SHOP_SERVICES)[number];

export interface DownstreamCall {
  service: ShopService;
  method: 'GET' | 'POST';
  path: string;
}

export interface Route {
  method: 'GET' | 'POST';
  /** A path pattern; `:name` matches one segment. */
  path: string;
  /** The route's own work in milliseconds, drawn uniformly from [min, max]. */
  workMs: [number, number];
  calls: DownstreamCall[];
}

export const ROUTES: Record<ShopService, Route[]> = {
  frontend: [
    {
      method: 'GET',
      path: '/',
      workMs: [2, 6],
      calls: [{ service: 'productcatalog', method: 'GET', path: '/products' }],
    },
    {
      method: 'GET',
      path: '/product/:id',
      workMs: [2, 5],
      calls: [{ service: 'productcatalog', method: 'GET', path: '/products/:id' }],
    },
    { method: 'GET', path: '/cart', workMs: [1, 4], calls: [{ service: 'cart', method: 'GET', path: '/cart/:id' }] },
    {
      method: 'POST',
      path: '/checkout',
      workMs: [3, 8],
      calls: [{ service: 'checkout', method: 'POST', path: '/checkout' }],
    },
  ],
  checkout: [
    {
      method: 'POST',
      path: '/checkout',
      workMs: [5, 15],
      calls: [
        { service: 'cart', method: 'GET', path: '/cart/:id' },
        { service: 'productcatalog', method: 'GET', path: '/products/:id' },
        { service: 'payment', method: 'POST', path: '/charge' },
      ],
    },
  ],
  payment: [{ method: 'POST', path: '/charge', workMs: [20, 60], calls: [] }],
  cart: [{ method: 'GET', path: '/cart/:id', workMs: [2, 8], calls: [] }],
  productcatalog: [
    { method: 'GET', path: '/products', workMs: [3, 10], calls: [] },
    { method: 'GET', path: '/products/:id', workMs: [1, 5], calls: [] },
  ],
};

/** The port each service listens on by default (compose gives each its own container, so one port would do). */
export const DEFAULT_PORTS: Record<ShopService, number> = {
  frontend: 8080,
  checkout: 8081,
  payment: 8082,
  cart: 8083,
  productcatalog: 8084,
};

export function isShopService(name: string): name is ShopService {
  return (SHOP_SERVICES as readonly string[]).includes(name);
}

/** The environment variable naming a service's base URL, e.g. SHOP_PAYMENT_URL. */
export function urlVariable(service: ShopService): string {
  return `SHOP_${service.toUpperCase()}_URL`;
}

/** Whether `path` matches the route pattern `pattern`. */
export function matchesPath(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const got = path.split('/');
  return want.length === got.length && want.every((part, i) => part.startsWith(':') || part === got[i]);
}
