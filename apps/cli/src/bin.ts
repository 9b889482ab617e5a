// The `novakit` entry point: run the command line, exit with its code.
import { processIo } from './output/output.js';
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), { io: processIo, env: process.env, cwd: process.cwd() });
process.exit(code);
