/**
 * Splits a log message into tokens and masks the variable ones in a single pass over its characters, because
 * this runs for every line and regular expressions per mask would cost several passes.
 */

/** What a masked token becomes in a template. */
export const WILDCARD = '<*>';

const SPACE = 32;
const TAB = 9;
const PIPE = 124;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const AT = 64;
const SLASH = 47;
const COLON = 58;
const EQUALS = 61;
const DOT = 46;

/** Longest quoted run masked as one value, in tokens: a longer one is more likely a stray quote than a value. */
const MAX_QUOTED_TOKENS = 12;

/** Whitespace and "|", which pipe-delimited formats use between header fields (2017-12-23|Step|42|msg). */
function isSpace(code: number): boolean {
  return code === SPACE || code === TAB || code === PIPE || code === 10 || code === 13 || code === 11 || code === 12;
}

/**
 * Masks numbers of every kind (integers, hex, IPs and ports, UUIDs, durations, sizes, timestamps: all carry a
 * digit), emails, URLs, absolute paths and quoted strings. The rest are kept: Drain's similarity finds variables
 * that are plain words. Reading starts at `from`; `startsWithValue` puts a value first (a timestamp the header found).
 */
export function tokenize(message: string, out: TokenList = newTokenList(), from = 0, startsWithValue = false): TokenList {
  const words = out.words;
  words.length = 0;
  out.hash = FNV_OFFSET;
  if (startsWithValue) {
    pushWildcard(out);
  }
  const n = message.length;
  let i = from;
  while (i < n) {
    while (i < n && isSpace(message.charCodeAt(i))) {
      i++;
    }
    if (i >= n) {
      break;
    }
    const start = i;
    const first = message.charCodeAt(i);
    if (first === DOUBLE_QUOTE || first === SINGLE_QUOTE) {
      const end = quotedEnd(message, i, first);
      if (end > 0) {
        pushWildcard(out);
        i = end;
        continue;
      }
    }
    let variable = false;
    let slashes = 0;
    let colonSlashSlash = false;
    let at = false;
    // A token is a value when one of its alphanumeric segments starts with a digit (42, 10ms, 0x1f, 2005-06-03)
    // or is hex with a digit (e89b, 0245b64c); identifiers like v2, HttpServer2 or R02 stay words.
    let segmentStart = true;
    let segmentHex = true;
    let segmentDigit = false;
    // key=value and key:value keep their key (uid=<*>, PendingReds:<*>), which says what the value is.
    let keyEnd = -1;
    let dotted = false;
    let dots = 0;
    while (i < n) {
      const code = message.charCodeAt(i);
      if (isSpace(code)) {
        break;
      }
      if (code >= DIGIT_0 && code <= DIGIT_9) {
        if (segmentStart) {
          variable = true;
        }
        segmentDigit = true;
        segmentStart = false;
      } else if (isLetter(code)) {
        segmentHex &&= isHexLetter(code);
        segmentStart = false;
      } else {
        variable ||= segmentHex && segmentDigit;
        segmentStart = true;
        segmentHex = true;
        segmentDigit = false;
        if (code === DOT) {
          dots++;
          dotted ||= keyEnd < 0;
        }
        // Host names (a.b.c:443) are values, not keys.
        if ((code === EQUALS || code === COLON) && keyEnd < 0 && !variable && !dotted && i > start && isLetter(first)) {
          keyEnd = i + 1;
        }
        if (code === SLASH) {
          slashes++;
          if (i >= start + 1 && message.charCodeAt(i - 1) === COLON) {
            colonSlashSlash = true;
          }
        } else if (code === AT && i > start) {
          at = true;
        }
      }
      i++;
    }
    variable ||= segmentHex && segmentDigit;
    if (!variable && dots >= 2) {
      variable = isHostName(message, start, i);
    }
    if (!variable) {
      // URLs (scheme://), emails (x@y.z) and absolute paths (/a/b) are values even without digits.
      variable = colonSlashSlash || (at && message.lastIndexOf('.', i - 1) > start) || (first === SLASH && slashes > 1);
    }
    if (variable && keyEnd > 0 && keyEnd < i && !colonSlashSlash) {
      words.push(message.slice(start, keyEnd) + WILDCARD);
      hashWord(out, message, start, keyEnd, 1);
    } else if (variable) {
      pushWildcard(out);
    // A unit after a value belongs to it ("3 sec", "1.2 KB)"), so "3 sec" and "00:03" give the same tokens.
    } else if (words[words.length - 1] !== WILDCARD || !isUnit(message, start, i)) {
      words.push(message.slice(start, i));
      hashWord(out, message, start, i, 0);
    }
  }
  return out;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Tokens plus a 32-bit hash of them (FNV-1a), a cheap key for remembering recently seen token sequences. */
export interface TokenList {
  words: string[];
  hash: number;
}

export function newTokenList(): TokenList {
  return { words: [], hash: FNV_OFFSET };
}

function hashWord(out: TokenList, message: string, start: number, end: number, marker: number): void {
  let hash = Math.imul(out.hash ^ (32 + marker), FNV_PRIME);
  for (let i = start; i < end; i++) {
    hash = Math.imul(hash ^ message.charCodeAt(i), FNV_PRIME);
  }
  out.hash = hash;
}

/** Adjacent values are one value: a value written in one token or in several gives the same template. */
function pushWildcard(out: TokenList): void {
  if (out.words[out.words.length - 1] !== WILDCARD) {
    out.words.push(WILDCARD);
    out.hash = Math.imul(out.hash ^ 0x2a, FNV_PRIME);
  }
}

const UNITS = new Set([
  'b', 'kb', 'mb', 'gb', 'tb', 'kib', 'mib', 'gib', 'tib', 'byte', 'bytes', 'bit', 'bits',
  'ns', 'us', 'µs', 'ms', 's', 'sec', 'secs', 'second', 'seconds', 'min', 'mins', 'minute', 'minutes', 'h', 'hr', 'hrs', 'hour', 'hours', 'day', 'days',
  '%', 'percent',
]);

/** The word, lower-cased and without the punctuation that may close it ("KB)", "sec,"), is a unit. */
function isUnit(message: string, start: number, end: number): boolean {
  while (end > start && ').,;:]'.includes(message.charAt(end - 1))) {
    end--;
  }
  return end - start <= 7 && UNITS.has(message.slice(start, end).toLowerCase());
}

/** The index just past a quoted value that starts at `start` (its closing quote ends a token), or -1. */
function quotedEnd(message: string, start: number, quote: number): number {
  const n = message.length;
  let tokens = 1;
  for (let i = start + 1; i < n; i++) {
    const code = message.charCodeAt(i);
    if (code === quote) {
      const next = i + 1 < n ? message.charCodeAt(i + 1) : SPACE;
      // The closing quote may carry trailing punctuation ("x", or 'y':) but must end the token.
      if (isSpace(next)) {
        return i + 1;
      }
      if (i + 2 >= n || isSpace(message.charCodeAt(i + 2))) {
        if (!isLetterOrDigit(next)) {
          return i + 2;
        }
      }
    } else if (isSpace(code)) {
      tokens++;
      if (tokens > MAX_QUOTED_TOKENS) {
        return -1;
      }
    }
  }
  return -1;
}

/** a.example.com, host-1.corp.example.org: dotted names ending in a short lower-case top-level domain. */
function isHostName(message: string, start: number, end: number): boolean {
  let last = end;
  while (last > start && !isLetterOrDigit(message.charCodeAt(last - 1))) {
    last--;
  }
  const dot = message.lastIndexOf('.', last - 1);
  if (dot <= start || last - dot - 1 < 2 || last - dot - 1 > 6) {
    return false;
  }
  for (let i = dot + 1; i < last; i++) {
    const code = message.charCodeAt(i);
    if (code < 97 || code > 122) {
      return false;
    }
  }
  for (let i = start; i < dot; i++) {
    const code = message.charCodeAt(i);
    if (!isLetterOrDigit(code) && code !== DOT && code !== 45) {
      return false;
    }
  }
  return true;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code > 127;
}

function isHexLetter(code: number): boolean {
  return (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function isLetterOrDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
