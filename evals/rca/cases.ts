import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { RankingInput } from '../../engine/src/reasoning/ranking/rankRootCauses.ts';

/** One labelled incident: what the ranker sees and the service that really caused it. */
export interface RcaCase {
  id: string;
  faultType: string;
  truth: string;
  input: RankingInput;
}

/** A CSV file as its header and rows of cells. */
export interface Table {
  header: string[];
  rows: string[][];
}

export function readTable(file: string): Table {
  const records: string[][] = parse(readFileSync(file), {
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
  });
  const [header, ...rows] = records;
  if (header === undefined) {
    throw new Error(`${file}: empty file`);
  }
  return { header, rows };
}

/** A cell as a number; empty cells and words (`nan`, `null`) are gaps. */
export function cellNumber(cell: string | undefined): number {
  if (cell === undefined || cell.trim() === '') {
    return Number.NaN;
  }
  const value = Number(cell);
  return Number.isFinite(value) ? value : Number.NaN;
}
