/**
 * Untrusted text (log lines, templates, alert and change text, documents, tool results) reaches the model only
 * inside these markers, flattened to one line per item and with any marker inside it defused, so a log line
 * cannot close the block or pose as an instruction.
 */
export const FENCE_OPEN = '<untrusted-data>';
export const FENCE_CLOSE = '</untrusted-data>';

// Any spelling that could read as a marker: case, spaces, a missing '>'.
const MARKER = /<\s*\/?\s*untrusted[\s_-]*data\s*>?/gi;
// Control characters and Unicode line separators would start new lines inside the block.
const LINE_BREAKS = /[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g;

/** One line of untrusted text: line breaks flattened, markers defused, at most `maxChars`. */
export function flatten(text: string, maxChars: number): string {
  const flat = text.replace(LINE_BREAKS, ' ').replace(MARKER, '[marker removed]').replace(/\s+/g, ' ').trim();
  return truncate(flat, maxChars);
}

export function truncate(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, Math.max(0, maxChars - 1))}…` : text;
}

/** A block of untrusted lines, each already flattened. */
export function fence(lines: readonly string[]): string {
  return [FENCE_OPEN, ...lines, FENCE_CLOSE].join('\n');
}
