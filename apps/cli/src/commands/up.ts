// `novakit up`: the embedded node in this process until Ctrl-C (or SIGTERM) stops it cleanly.
import { createWriteStream, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { pino, type Logger } from 'pino';
import { userConfigPath, writeCliConfig } from '../client/config.js';
import type { EmbeddedNode } from '../embedded/node.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { intOption, type CliDeps } from './context.js';

export interface UpDeps extends CliDeps {
  /** Stops the node when aborted (tests); default: SIGINT / SIGTERM. */
  readonly signal?: AbortSignal;
  /** Called once the node is up (tests). */
  readonly onUp?: (node: EmbeddedNode) => void;
}

interface UpOptions {
  dataDir: string;
  port: string;
  listen: string;
  hosts: string;
  driver: 'fake' | 'qemu';
  logLevel: string;
  logFile?: string;
  userConfig: boolean;
}

/**
 * `logFile` null: stderr. The file is opened before anything starts, so a path that cannot
 * be written is a usage error rather than a stream error that kills the running node; a
 * write failure later (disk full) is reported once on stderr and the node keeps running.
 */
function loggerFor(level: string, logFile: string | null, io: CliDeps['io']): Logger {
  if (logFile === null) return pino({ level }, process.stderr);
  let fd: number;
  try {
    fd = openSync(logFile, 'a');
  } catch (e) {
    throw new CliError(`cannot open the log file ${logFile}: ${(e as Error).message}`, ExitCode.USAGE);
  }
  const stream = createWriteStream(logFile, { fd });
  let reported = false;
  stream.on('error', (e) => {
    if (!reported) io.err(`novakit: writing ${logFile} failed, logging stops: ${e.message}\n`);
    reported = true;
  });
  return pino({ level }, stream);
}

function banner(node: EmbeddedNode, o: UpOptions, configs: string[], logFile: string): string {
  const hosts = node.computes.map((c) => c.host).join(', ');
  return [
    `novakit is up: API ${node.api.url}/v2.1 (health: ${node.api.url}/healthz)`,
    `  computes: ${hosts} (${o.driver} driver)   data: ${node.dataDir}`,
    `  the CLI finds this node through ${configs.join(' and ')}; elsewhere set`,
    `  NOVAKIT_URL=${node.api.url} and NOVAKIT_TOKEN from ${join(node.dataDir, 'admin-token')}`,
    '',
    '  try:  npx novakit flavor list',
    '        npx novakit server create demo --flavor m1.tiny --wait',
    '        npx novakit volume create data --size 1 && npx novakit server volume attach demo data',
    ...(node.computes.length > 1 ? ['        npx novakit server migrate demo --live'] : []),
    '        npx novakit server actions demo',
    `  logs: ${logFile}`,
    '',
    ...(o.driver === 'qemu' ? ['QEMU guests keep running after Ctrl-C; the next `novakit up` on this data directory reattaches them.'] : []),
    'Ctrl-C stops it.',
    '',
  ].join('\n');
}

/** Resolves when the node should stop: the test's signal, or the first SIGINT/SIGTERM (a second one exits at once). */
function stopRequested(deps: UpDeps): Promise<string> {
  if (deps.signal) return new Promise((r) => (deps.signal!.aborted ? r('abort') : deps.signal!.addEventListener('abort', () => r('abort'), { once: true })));
  return new Promise((r) => {
    let count = 0;
    const on = (sig: NodeJS.Signals) => {
      if (++count > 1) process.exit(ExitCode.INTERRUPTED);
      r(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export function registerUpCommand(program: Command, deps: UpDeps): void {
  program
    .command('up')
    .description('run the embedded node: API, conductor and compute host(s) in this process')
    .option('--data-dir <dir>', 'SQLite database, volumes, token and logs', './.novakit')
    .option('--port <port>', 'API port (0: any free port)', '8774')
    .option('--listen <address>', 'API address', '127.0.0.1')
    .option('--hosts <n>', 'compute hosts to run (2 or more to try live migration)', '1')
    .addOption(new Option('--driver <driver>', 'virt driver').choices(['fake', 'qemu']).default('fake'))
    .addOption(new Option('--log-level <level>', 'log level').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'))
    .option('--log-file <path>', 'log file, or - for stderr (default: <data-dir>/novakit.log)')
    .option('--no-user-config', `do not write the user-level CLI config (${userConfigPath(deps.env)})`)
    .action(async (o: UpOptions) => {
      const dataDir = resolve(deps.cwd, o.dataDir);
      const port = intOption('port', o.port, 0)!;
      const hosts = intOption('hosts', o.hosts, 1)!;
      if (port > 65535) throw new CliError('--port must be at most 65535', ExitCode.USAGE);
      try {
        await mkdir(dataDir, { recursive: true });
      } catch (e) {
        throw new CliError(`cannot create the data directory ${dataDir}: ${(e as Error).message}`, ExitCode.START_FAILED);
      }
      const logPath = o.logFile === '-' ? null : resolve(deps.cwd, o.logFile ?? join(dataDir, 'novakit.log'));
      const logger = loggerFor(o.logLevel, logPath, deps.io);
      const logFile = logPath ?? 'stderr';
      let node: EmbeddedNode;
      try {
        // Loaded here: the operator commands never pay for the database, drivers and services.
        const { startEmbeddedNode } = await import('../embedded/node.js');
        node = await startEmbeddedNode({ dataDir, listenHost: o.listen, port, hosts, driver: o.driver, logger });
      } catch (e) {
        if (e instanceof CliError) throw e;
        logger.error({ err: e }, 'novakit up failed');
        throw new CliError(`novakit up failed: ${(e as Error).message} (details in ${logFile})`, ExitCode.START_FAILED);
      }
      const config = { url: node.api.url, token: node.token, dataDir };
      const configs = [join(dataDir, 'cli.json'), ...(o.userConfig ? [userConfigPath(deps.env)] : [])];
      for (const path of configs) await writeCliConfig(path, config);
      deps.io.out(banner(node, o, configs, logFile));
      deps.onUp?.(node);
      const why = await stopRequested(deps);
      deps.io.out(`stopping novakit (${why})…\n`);
      await node.stop();
      deps.io.out('novakit stopped\n');
    });
}
