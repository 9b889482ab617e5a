#!/usr/bin/env node
// The repo has no build step: run the TypeScript entry through tsx, with the
// `development` export condition that workspace packages resolve through.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');
const entry = fileURLToPath(new URL('../src/cli-main.ts', import.meta.url));
const result = spawnSync(process.execPath, [tsxCli, '--conditions=development', entry, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
