// `npm run demo`: see cli.ts for the options.
import { main } from './cli.ts';

process.exit(await main(process.argv.slice(2)));
