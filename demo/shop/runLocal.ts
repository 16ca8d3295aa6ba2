// `npm run demo:shop`: the whole shop as local processes on its default ports (8080–8084) under steady load, until
// Ctrl-C. Traces go to OTEL_EXPORTER_OTLP_ENDPOINT and logs to LOKI_URL when set. Faults: npm run demo:fault.
import { runLoad } from './load.ts';
import { startLocalShop } from './localShop.ts';
import { SHOP_SERVICES } from './topology.ts';

const shop = await startLocalShop({
  otlpUrl: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
  lokiUrl: process.env.LOKI_URL || undefined,
  defaultPorts: true,
});
const load = new AbortController();
const rate = Number(process.env.LOAD_RATE ?? 5);
let visits = 0;
let failed = 0;
const loading = runLoad({
  frontendUrl: shop.urls.frontend,
  rate: Number.isFinite(rate) && rate > 0 ? rate : 5,
  signal: load.signal,
  onVisit: (_method, _path, status) => {
    visits += 1;
    failed += status >= 500 || status === 0 ? 1 : 0;
  },
});
process.stdout.write(`demo shop running (${rate} visits/s); Ctrl-C stops it\n`);
for (const service of SHOP_SERVICES) {
  process.stdout.write(`  ${service.padEnd(15)} ${shop.urls[service]}  (/metrics, /-/faults)\n`);
}
const report = setInterval(() => {
  process.stdout.write(`${new Date().toISOString()} ${visits} visits in the last 30 s, ${failed} failed\n`);
  visits = 0;
  failed = 0;
}, 30_000);
const stop = async () => {
  clearInterval(report);
  load.abort();
  await loading;
  await shop.stop();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void stop());
}
