import type { DestinationStream } from 'pino';

/** A pino destination that keeps every line in memory, for asserting on what the engine logs. */
export interface LogCapture extends DestinationStream {
  text(): string;
  entries(): Array<Record<string, unknown>>;
}

export function captureLogs(): LogCapture {
  const chunks: string[] = [];
  return {
    write(line: string) {
      chunks.push(line);
    },
    text: () => chunks.join(''),
    entries: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line): Record<string, unknown> => JSON.parse(line)),
  };
}
