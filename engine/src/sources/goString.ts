/**
 * Escapes text for a double-quoted string in PromQL, LogQL or TraceQL: all three read Go string literals, so a
 * backslash, a double quote and control characters must be escaped and nothing else may be.
 */
export function escapeGoString(value: string): string {
  return value.replace(/[\\"\u0000-\u001f\u007f]/g, (char) => {
    switch (char) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}
