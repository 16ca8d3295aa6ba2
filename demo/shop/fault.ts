// `npm run demo:fault -- <service> <kind> [--duration 300]`: injects a fault into a running shop service.
import { injectFault, parseInjectArgs } from './inject.ts';

try {
  const options = parseInjectArgs(process.argv.slice(2), process.env);
  const result = await injectFault(options);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
