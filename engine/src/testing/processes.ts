// The helpers moved to local/processes.ts, where the demo (shipped code) uses them too; the tests keep this path.
export { findBinary, freePort, startChild } from '../local/processes.ts';
export type { Child } from '../local/processes.ts';
