// npm run bench:anomalies [-- --series N]
// Throughput of metric anomaly scoring on one core: N generated series of 720 one-minute points against a
// 6-hour baseline (robust statistics), and seasonal series whose 3-day baseline is fitted with MSTL.
import { parseArgs } from 'node:util';
import { scoreSeries } from '../../engine/src/perception/metrics/anomaly.ts';
import { gaussian, sampleSeries, seededRandom } from '../../engine/src/perception/metrics/testSeries.ts';
import type { MetricSeries } from '../../engine/src/sources/types.ts';

const { values: args } = parseArgs({ options: { series: { type: 'string', default: '2000' } } });
const COUNT = Number(args.series);
if (!Number.isInteger(COUNT) || COUNT < 1) {
  console.error(`--series takes a whole number of at least 1; got "${args.series}"`);
  process.exit(2);
}

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

function measure(name: string, series: MetricSeries[], options: Parameters<typeof scoreSeries>[1]): void {
  const cpu = process.cpuUsage();
  const anomalous = series.filter((one) => scoreSeries(one, options).anomalous).length;
  const used = process.cpuUsage(cpu);
  const seconds = (used.user + used.system) / 1e6;
  console.log(
    `${name.padEnd(44)} ${String(series.length).padStart(6)} series ${Math.round(series.length / seconds).toLocaleString('en').padStart(8)} series/s  (${anomalous} anomalous)`
  );
}

const normal = gaussian(seededRandom(42));
const t0 = Date.UTC(2026, 0, 5);
const split = t0 + 360 * MINUTE;
// One series in ten shifts by ten standard deviations a hundred minutes into the incident window.
const flat = Array.from({ length: COUNT }, (_, i) => ({
  labels: { instance: String(i) },
  samples: sampleSeries(t0, split + 360 * MINUTE, MINUTE, (t) => 100 + 5 * normal() + (i % 10 === 0 && t >= split + 100 * MINUTE ? 50 : 0)),
}));
measure('robust band, 720 + 360 points', flat, { baseline: { from: t0, to: split }, incident: { from: split, to: split + 360 * MINUTE }, stepSeconds: 60 });

const from = Date.UTC(2026, 0, 1);
const seasonalSplit = from + 3 * DAY;
const seasonal = Array.from({ length: Math.max(1, Math.round(COUNT / 50)) }, () => ({
  labels: {},
  samples: sampleSeries(from, seasonalSplit + 120 * MINUTE, 5 * MINUTE, (t) => 100 + 50 * Math.sin((2 * Math.PI * t) / DAY) + 3 * normal()),
}));
measure('daily season (MSTL), 864 + 24 points', seasonal, {
  baseline: { from, to: seasonalSplit },
  incident: { from: seasonalSplit, to: seasonalSplit + 120 * MINUTE },
  stepSeconds: 300,
});
