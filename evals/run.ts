// npm run eval [-- --data DIR] [--json FILE] [--floors FILE]   every eval, one report, gated by evals/floors.json
// npm run eval -- templates [--data DIR] [--field raw|content] [--json FILE] [--min-average GA] [--min-system GA]
// npm run eval -- grouping [--seeds N] [--json FILE] [--min-precision X] [--min-recall X] (see grouping/cli.ts)
// npm run eval -- rca --format rcd|nezha [--data DIR] [--json FILE] [--min-ac1 X] [--min-avg5 X] (see rca/cli.ts)
// npm run eval -- retrieval [--data DIR] [--k K] [--json FILE] [--min-hit-rate X] (see retrieval/cli.ts)
// Offline evaluations on labelled data. Without an eval's name every eval runs (all/cli.ts); with one, that eval
// alone, with its own flags, as before.
import { runAllEvals } from './all/cli.ts';
import { runGroupingEval } from './grouping/cli.ts';
import { runRcaEval } from './rca/cli.ts';
import { runRetrievalEval } from './retrieval/cli.ts';
import { runTemplatesEval } from './templates/cli.ts';

const EVALS: Record<string, (argv: string[]) => number | Promise<number>> = {
  templates: runTemplatesEval,
  grouping: runGroupingEval,
  rca: runRcaEval,
  retrieval: runRetrievalEval,
};

/** Runs what the arguments name; returns the exit code. */
async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) {
    return runAllEvals(argv);
  }
  const one = EVALS[first];
  if (one === undefined) {
    console.error(`Unknown eval "${first}"; the evals are: ${Object.keys(EVALS).join(', ')} (none: all of them)`);
    return 2;
  }
  return one(rest);
}

try {
  process.exit(await main(process.argv.slice(2)));
} catch (error) {
  // An unknown flag or a flag without its value: say which, without a stack trace.
  if (error instanceof TypeError && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS')) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
