import type { DataFrame, Field } from '@grafana/data';

/** Field names compare without case, spaces, dashes or underscores: `parentSpanID` = `parent_span_id`. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The first field whose name matches one of the given names (in the order given). */
export function findField(frame: DataFrame, names: string[]): Field | undefined {
  for (const name of names.map(normaliseName)) {
    const field = frame.fields.find((f) => normaliseName(f.name) === name);
    if (field) {
      return field;
    }
  }
  return undefined;
}

/** The first frame that has a field for every group of accepted names. */
export function findFrame(frames: DataFrame[], required: string[][]): DataFrame | undefined {
  return frames.find((frame) => frame.length > 0 && required.every((names) => findField(frame, names)));
}

export function stringAt(field: Field | undefined, index: number): string | undefined {
  const value: unknown = field?.values[index];
  if (value === null || value === undefined) {
    return undefined;
  }
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

export function numberAt(field: Field | undefined, index: number): number | undefined {
  const value: unknown = field?.values[index];
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}
