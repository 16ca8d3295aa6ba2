import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { RankingSeries } from '../../engine/src/reasoning/ranking/rankRootCauses.ts';
import { cellNumber, readTable } from './cases.ts';
import type { RcaCase, Table } from './cases.ts';

/**
 * Cases in RCD's layout: `<service>-<fault>/<rep>/{normal,anomalous}.csv`, each with a `time` column and
 * `<service>_<metric>` columns. The fault starts at the first anomalous row; normal.csv is the baseline (split by
 * file, not by time: the two are not always in order). The ground truth is the folder's service.
 */
export function loadRcdCases(dataDir: string): RcaCase[] {
  if (!existsSync(dataDir)) {
    throw new Error(`${dataDir}: no such folder (give an RCD-layout folder with --data)`);
  }
  const cases: RcaCase[] = [];
  for (const folder of subfolders(dataDir)) {
    const cut = folder.lastIndexOf('-');
    if (cut <= 0) {
      continue;
    }
    const truth = folder.slice(0, cut);
    const faultType = folder.slice(cut + 1);
    for (const rep of subfolders(path.join(dataDir, folder))) {
      const dir = path.join(dataDir, folder, rep);
      const normal = path.join(dir, 'normal.csv');
      const anomalous = path.join(dir, 'anomalous.csv');
      if (existsSync(normal) && existsSync(anomalous)) {
        cases.push({
          id: `${folder}/${rep}`,
          faultType,
          truth,
          input: { series: splitSeries(readTable(normal), readTable(anomalous), anomalous) },
        });
      }
    }
  }
  if (cases.length === 0) {
    throw new Error(`${dataDir}: no <service>-<fault>/<rep>/{normal,anomalous}.csv cases found`);
  }
  return cases;
}

function subfolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** One series per `<service>_<metric>` column present in both files. */
function splitSeries(normal: Table, anomalous: Table, anomalousFile: string): RankingSeries[] {
  const series: RankingSeries[] = [];
  for (const [column, name] of anomalous.header.entries()) {
    const cut = name.indexOf('_');
    const baselineColumn = normal.header.indexOf(name);
    if (name === 'time' || cut <= 0 || baselineColumn < 0) {
      continue;
    }
    series.push({
      service: name.slice(0, cut),
      name: name.slice(cut + 1),
      baseline: normal.rows.map((row) => cellNumber(row[baselineColumn])),
      anomalous: anomalous.rows.map((row) => cellNumber(row[column])),
    });
  }
  if (series.length === 0) {
    throw new Error(`${anomalousFile}: no <service>_<metric> columns shared with normal.csv`);
  }
  return series;
}
