#!/usr/bin/env node
// The repo has no build step: run the TypeScript entry through tsx, with the `development`
// export condition workspace packages resolve through. Signals are passed on, so SIGTERM to
// this process is a graceful stop of the conductor, and its exit code is this one's.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');
const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const child = spawn(process.execPath, [tsxCli, '--conditions=development', entry, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
