// Process entry of the `conductor` bin (bin/conductor.js runs it through tsx).
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
