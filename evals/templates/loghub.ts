import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

/** One Loghub system: its raw lines, the Content column and the true event id of each line. */
export interface LoghubSystem {
  name: string;
  raw: string[];
  content: string[];
  events: string[];
}

/** The systems in a Loghub-layout folder: `<S>/<S>_2k.log` beside `<S>/<S>_2k.log_structured.csv`. */
export function listSystems(dataDir: string): string[] {
  if (!existsSync(dataDir)) {
    throw new Error(`${dataDir}: no such folder (give a Loghub-layout folder with --data)`);
  }
  const systems = readdirSync(dataDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dataDir, entry.name, `${entry.name}_2k.log_structured.csv`)))
    .map((entry) => entry.name)
    .sort();
  if (systems.length === 0) {
    throw new Error(`${dataDir}: no <S>/<S>_2k.log_structured.csv files found`);
  }
  return systems;
}

export function loadSystem(dataDir: string, name: string): LoghubSystem {
  const structuredFile = path.join(dataDir, name, `${name}_2k.log_structured.csv`);
  const rows: Array<Record<string, string>> = parse(readFileSync(structuredFile), { columns: true, skip_empty_lines: true, bom: true, relax_quotes: true });
  const content = rows.map((row, i) => field(row, 'Content', structuredFile, i));
  const events = rows.map((row, i) => field(row, 'EventId', structuredFile, i));
  const rawFile = path.join(dataDir, name, `${name}_2k.log`);
  const raw = existsSync(rawFile) ? splitLines(readFileSync(rawFile, 'utf8')) : [];
  if (raw.length > 0 && raw.length !== rows.length) {
    throw new Error(`${rawFile}: ${raw.length} lines, but ${structuredFile} labels ${rows.length}`);
  }
  return { name, raw, content, events };
}

function field(row: Record<string, string>, column: string, file: string, index: number): string {
  const value = row[column];
  if (value === undefined) {
    throw new Error(`${file}: row ${index + 2} has no ${column} column`);
  }
  return value;
}

/** Lines without their ending; some Loghub files use CRLF. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.at(-1) === '') {
    lines.pop();
  }
  return lines;
}
