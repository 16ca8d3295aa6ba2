/**
 * JSON and logfmt lines carry their message in a field: the miner templates that field and keeps the other
 * fields as labels, so `{"level":"info","msg":"user logged in","user":"ann"}` mines as "user logged in".
 */

export interface StructuredLine {
  message: string;
  labels: Record<string, string>;
}

/** Field names that hold the message, in order of preference. */
const MESSAGE_FIELDS = ['msg', 'message', 'MESSAGE', '@message', 'log', 'event', 'error', 'err'];
/** Labels kept per line: a structured line with hundreds of fields should not cost hundreds of strings. */
const MAX_LABELS = 32;
const MAX_LABEL_VALUE = 256;

/** The message and labels of a JSON or logfmt line, or undefined for a plain line. */
export function parseStructured(line: string): StructuredLine | undefined {
  const first = firstNonSpace(line);
  if (first === 123) {
    return fromJson(line);
  }
  // Cheap test before parsing: logfmt lines have key=value pairs early on.
  const eq = line.indexOf('=');
  if (eq > 0 && eq < 64) {
    return fromLogfmt(line);
  }
  return undefined;
}

function firstNonSpace(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code > 32) {
      return code;
    }
  }
  return -1;
}

function fromJson(line: string): StructuredLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  const fields: Record<string, unknown> = { ...value };
  return pick(fields, (field) => (typeof field === 'string' ? field : typeof field === 'number' || typeof field === 'boolean' ? String(field) : undefined));
}

function pick(fields: Record<string, unknown>, asText: (value: unknown) => string | undefined): StructuredLine | undefined {
  const key = MESSAGE_FIELDS.find((name) => typeof fields[name] === 'string');
  if (key === undefined) {
    return undefined;
  }
  const message = String(fields[key]);
  const labels: Record<string, string> = {};
  let kept = 0;
  for (const [name, value] of Object.entries(fields)) {
    const text = name === key ? undefined : asText(value);
    if (text !== undefined && kept < MAX_LABELS) {
      labels[name] = text.length > MAX_LABEL_VALUE ? text.slice(0, MAX_LABEL_VALUE) : text;
      kept++;
    }
  }
  return { message, labels };
}

/** logfmt: key=value pairs separated by spaces; values may be double-quoted with backslash escapes. */
export function parseLogfmt(line: string): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  let pairs = 0;
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && line.charCodeAt(i) <= 32) {
      i++;
    }
    if (i >= n) {
      break;
    }
    const keyStart = i;
    while (i < n && line.charCodeAt(i) > 32 && line.charCodeAt(i) !== 61) {
      i++;
    }
    const key = line.slice(keyStart, i);
    if (i >= n || line.charCodeAt(i) !== 61) {
      // A bare word: allowed in logfmt (a boolean flag), but a line of mostly bare words is prose.
      fields[key] = 'true';
      continue;
    }
    i++;
    let value = '';
    if (line.charCodeAt(i) === 34) {
      i++;
      let chunkStart = i;
      while (i < n && line.charCodeAt(i) !== 34) {
        if (line.charCodeAt(i) === 92 && i + 1 < n) {
          value += line.slice(chunkStart, i);
          const escaped = line.charAt(i + 1);
          value += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
          i += 2;
          chunkStart = i;
        } else {
          i++;
        }
      }
      value += line.slice(chunkStart, i);
      i++;
    } else {
      const valueStart = i;
      while (i < n && line.charCodeAt(i) > 32) {
        i++;
      }
      value = line.slice(valueStart, i);
    }
    if (key.length > 0) {
      fields[key] = value;
      pairs++;
    }
  }
  return pairs >= 2 || (pairs === 1 && Object.keys(fields).length === 1) ? fields : undefined;
}

function fromLogfmt(line: string): StructuredLine | undefined {
  const fields = parseLogfmt(line);
  return fields === undefined ? undefined : pick(fields, (value) => (typeof value === 'string' ? value : undefined));
}
