import { parseArgs } from 'node:util';
import { ConfigError } from '../../engine/src/config.ts';
import { runDemo } from './demo.ts';
import type { MetricsMode } from './demo.ts';
import { DEFAULT_SCENARIO, RecordingError } from './recording.ts';

const USAGE = `npm run demo [-- --scenario <name>] [--exit] [--port 8686] [--metrics auto|prometheus|recording]
                 [--recordings <folder>] [--data <folder>]
Replays a recorded scenario (demo/recordings/<name>) into the engine, analyses the incident and prints the report.
  --scenario    default ${DEFAULT_SCENARIO}
  --exit        exit after the report (for scripts); otherwise the engine API keeps running for Grafana
  --metrics     auto: a real Prometheus when installed; recording: served from the recording
  --data        keep the engine's PGlite database in this folder instead of a temporary one`;

const MODES: readonly MetricsMode[] = ['auto', 'prometheus', 'recording'];

/** `npm run demo`: exit code 0 with the report, 2 for a bad recording or option, 1 when the loop failed. */
export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' },
        exit: { type: 'boolean', default: false },
        port: { type: 'string', default: '8686' },
        metrics: { type: 'string', default: process.env.INTELOPS_DEMO_METRICS ?? 'auto' },
        recordings: { type: 'string' },
        data: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const metrics = MODES.find((mode) => mode === values.metrics);
  const port = Number(values.port);
  if (metrics === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--metrics must be one of ${MODES.join(', ')} and --port a port number\n${USAGE}\n`);
    return 2;
  }
  let run;
  try {
    run = await runDemo({
      scenario: values.scenario,
      recordingsDir: values.recordings,
      dataDir: values.data,
      port,
      metrics,
      progress: (line) => process.stderr.write(`demo: ${line}\n`),
    });
  } catch (error) {
    if (error instanceof RecordingError || error instanceof ConfigError) {
      process.stderr.write(`demo: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`demo: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
  process.stdout.write(`${run.report}\n`);
  if (values.exit) {
    await run.close();
    return 0;
  }
  process.stdout.write(
    `\nThe engine API keeps running at ${run.url} with the token ${run.token}\n` +
      `Point the IntelOps datasource of a Grafana at it (URL and token above); Ctrl-C stops the demo.\n`
  );
  const stopping = run;
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await stopping.close();
  return 0;
}
