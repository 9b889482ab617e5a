// `npm run migration-status`: see USAGE in main.ts.
import { run } from './main.js';

process.exitCode = run(process.argv.slice(2));
