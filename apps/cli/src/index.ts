/**
 * @novakit/cli — the `novakit` command: `novakit up` (the embedded node: API, conductor and
 * compute hosts in one process on SQLite) and the operator commands over the HTTP API.
 *
 * ```ts
 * const code = await runCli(['server', 'list', '--json'], { io: processIo, env: process.env, cwd: process.cwd() });
 * const node = await startEmbeddedNode({ dataDir: '.novakit', listenHost: '127.0.0.1', port: 8774, hosts: 2, driver: 'fake', logger });
 * ```
 */
export { runCli, buildProgram } from './program.js';
export { ExitCode, CliError } from './exit-codes.js';
export { processIo } from './output/output.js';
export type { Io } from './output/output.js';
export { startEmbeddedNode } from './embedded/node.js';
export type { EmbeddedNode, EmbeddedOptions } from './embedded/node.js';
export { resolveTarget, userConfigPath, configCandidates } from './client/config.js';
