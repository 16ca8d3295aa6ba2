/**
 * Finds where the message starts in a raw log line without knowing its format: a leading timestamp in any of
 * the usual shapes, a level, and a short "program -" prefix are header; the rest is the message.
 */

export interface LineHeader {
  /** Index in the line where the message starts. */
  messageStart: number;
  /** The level word as written (INFO, warn, error…), when the header had one. */
  level: string | undefined;
  /** A timestamp precedes the message with nothing else after it that marks a header's end. */
  timestamped: boolean;
}

const MONTHS_AND_DAYS = new Set(
  [
    'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
    'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
    'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun',
    'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
    'am', 'pm', 'utc', 'gmt', 'z',
  ]
);

const LEVELS = new Set([
  'trace', 'debug', 'dbug', 'info', 'inf', 'notice', 'warn', 'warning', 'wrn', 'error', 'err', 'eror', 'crit',
  'critical', 'fatal', 'alert', 'emerg', 'emergency', 'severe', 'fine', 'finer', 'finest', 'panic',
  // Android's and glog's one-letter levels; as levels only in capitals (levelWord).
  'v', 'd', 'i', 'w', 'e', 'f',
]);

/** Tokens inspected for a header: headers are short, and looking further would eat into messages. */
const MAX_HEADER_TOKENS = 12;
/** How far after the timestamp and level a prefix's end may sit. */
const MAX_PREFIX_TOKENS = 4;
const MAX_BRACKETED_CHARS = 256;

/** Whitespace, and "|" between fields of pipe-delimited headers. */
function isSeparator(code: number): boolean {
  return code <= 32 || code === 124;
}

/** Token bounds of the line being read, filled lazily: most messages stop after their first token. */
class Tokens {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  private line = '';
  private scanned = 0;

  reset(line: string): void {
    this.line = line;
    this.scanned = 0;
    this.starts.length = 0;
    this.ends.length = 0;
  }

  /** True when token `index` exists (reading up to it). */
  has(index: number): boolean {
    while (this.starts.length <= index && this.starts.length < MAX_HEADER_TOKENS) {
      if (!this.readNext()) {
        return false;
      }
    }
    return index < this.starts.length;
  }

  private readNext(): boolean {
    const line = this.line;
    let i = this.scanned;
    while (i < line.length && isSeparator(line.charCodeAt(i))) {
      i++;
    }
    if (i >= line.length) {
      this.scanned = i;
      return false;
    }
    const start = i;
    while (i < line.length && !isSeparator(line.charCodeAt(i))) {
      i++;
    }
    // A bracketed field with spaces ([IPC Server handler 5 on 8020]) is one field.
    if (line.charCodeAt(start) === 91 && line.charCodeAt(i - 1) !== 93) {
      const close = line.indexOf(']', i);
      if (close > 0 && close - start <= MAX_BRACKETED_CHARS) {
        i = close + 1;
        while (i < line.length && !isSeparator(line.charCodeAt(i))) {
          i++;
        }
      }
    }
    this.starts.push(start);
    this.ends.push(i);
    this.scanned = i;
    return true;
  }
}

const tokens = new Tokens();

export function findHeader(line: string): LineHeader {
  tokens.reset(line);
  let next = 0;
  while (tokens.has(next) && isTimeLike(line, tokens.starts[next] ?? 0, tokens.ends[next] ?? 0)) {
    next++;
  }
  // After a timestamp, fields with numbers (host-42, a second date, prog[123]:) are header too, up to a colon.
  while (next > 0 && tokens.has(next) && hasDigitOrMonth(line, tokens.starts[next] ?? 0, tokens.ends[next] ?? 0)) {
    next++;
    if (line.charCodeAt((tokens.ends[next - 1] ?? 1) - 1) === 58) {
      break;
    }
  }
  const timeEnd = next;
  let level: string | undefined;
  // The level may come right after the time, or after a few more fields (pid, host, node names).
  for (let i = next; tokens.has(i); i++) {
    const start = tokens.starts[i] ?? 0;
    const end = tokens.ends[i] ?? 0;
    const word = levelWord(line, start, end);
    if (word !== undefined) {
      level = word;
      next = i + 1;
      break;
    }
    if (!isHeaderField(line, start, end)) {
      break;
    }
  }
  if (next > 0) {
    next = afterPrefix(line, next);
  }
  const start = tokens.has(next) ? (tokens.starts[next] ?? 0) : next === 0 ? 0 : line.length;
  return { messageStart: start, level, timestamped: next === timeEnd && timeEnd > 0 };
}

/**
 * After a timestamp or level, a short prefix ends at a lone "-" (Proxifier, log4j's " - ") or at a qualified
 * name with a colon (org.example.Class:, sshd[42]:); both separate a program or component from the message.
 */
function afterPrefix(line: string, from: number): number {
  for (let i = from; i <= from + MAX_PREFIX_TOKENS && tokens.has(i); i++) {
    const start = tokens.starts[i] ?? 0;
    if ((tokens.ends[i] ?? 0) - start === 1 && line.charCodeAt(start) === 45) {
      return i + 1;
    }
  }
  for (let i = from; i < from + MAX_PREFIX_TOKENS && tokens.has(i + 1); i++) {
    const start = tokens.starts[i] ?? 0;
    const end = tokens.ends[i] ?? 0;
    if (line.charCodeAt(end - 1) === 58 && isQualifiedName(line, start, end - 1)) {
      return i + 1;
    }
  }
  return from;
}

/** org.example.Class, Outer$Inner, sshd[42]: names that carry a dot, a dollar or a bracket. */
function isQualifiedName(line: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = line.charCodeAt(i);
    if (code === 46 || code === 36 || code === 91) {
      return true;
    }
  }
  return false;
}

const OPENERS = '[(<{';
const CLOSERS = '])>},;:|';

function coreStart(line: string, start: number, end: number): number {
  while (start < end && OPENERS.includes(line.charAt(start))) {
    start++;
  }
  return start;
}

function coreEnd(line: string, start: number, end: number): number {
  while (end > start && CLOSERS.includes(line.charAt(end - 1))) {
    end--;
  }
  return end;
}

/** A short run of letters, lower-cased, for looking up month, day and level names; undefined otherwise. */
function shortWord(line: string, start: number, end: number): string | undefined {
  if (end - start > 9 || end === start) {
    return undefined;
  }
  for (let i = start; i < end; i++) {
    const code = line.charCodeAt(i) | 32;
    if (code < 97 || code > 122) {
      return undefined;
    }
  }
  return line.slice(start, end).toLowerCase();
}

function isTimeLike(line: string, spanStart: number, spanEnd: number): boolean {
  const start = coreStart(line, spanStart, spanEnd);
  const end = coreEnd(line, start, spanEnd);
  if (end === start || (end - start === 1 && line.charCodeAt(start) === 45)) {
    return true;
  }
  let digits = 0;
  for (let i = start; i < end; i++) {
    const code = line.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      digits++;
    } else if (!TIME_PUNCTUATION.includes(line.charAt(i))) {
      const word = shortWord(line, start, end);
      return word !== undefined && MONTHS_AND_DAYS.has(word);
    }
  }
  return digits > 0;
}

const TIME_PUNCTUATION = '-/:.,TZ+ ';

function levelWord(line: string, spanStart: number, spanEnd: number): string | undefined {
  const start = coreStart(line, spanStart, spanEnd);
  const end = coreEnd(line, start, spanEnd);
  const word = shortWord(line, start, end);
  if (word === undefined || !LEVELS.has(word)) {
    return undefined;
  }
  const written = line.slice(start, end);
  // A lowercase "error" is a level only when set apart like one ([error], <warn>, info:); INFO and Info always are.
  const setApart = end - start !== spanEnd - spanStart;
  const capitalised = written.charCodeAt(0) <= 90;
  return setApart || capitalised ? written : undefined;
}

function hasDigitOrMonth(line: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = line.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      return true;
    }
  }
  const word = shortWord(line, coreStart(line, start, end), coreEnd(line, start, end));
  return word !== undefined && MONTHS_AND_DAYS.has(word);
}

/** Fields that sit between a timestamp and a level: numbers, node and host names, bracketed ids, NAMES. */
function isHeaderField(line: string, start: number, end: number): boolean {
  const first = line.charCodeAt(start);
  if (first === 91 || first === 40) {
    return true;
  }
  let upper = true;
  for (let i = start; i < end; i++) {
    const code = line.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      return true;
    }
    upper &&= (code >= 65 && code <= 90) || code === 95;
  }
  return upper && end - start <= 16;
}
