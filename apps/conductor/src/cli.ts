// The `conductor` command: configuration from a file, the environment and flags; then either
// one worker in this process, or a supervisor forking `workers` worker processes. SIGTERM and
// SIGINT stop gracefully: calls in flight finish, their replies go out, then the process exits 0.
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from './errors.js';
import { checkStandalone, configWarnings, loadConfig, redactedConfig, type ConductorConfig } from './config.js';
import { runConductor, serviceLogger } from './run.js';
import { superviseWorkers, WORKER_STARTED } from './supervisor.js';

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};

interface Flags {
  config?: string;
  host?: string;
  workers?: string;
  databaseUrl?: string;
  transportUrl?: string;
  logLevel?: string;
  checkConfig?: boolean;
  worker?: number;
}

function program(io: CliIo): Command {
  return new Command('conductor')
    .description('The novakit conductor: object methods and legacy DB methods for computes, compute_task orchestration.')
    .option('-c, --config <file>', 'JSON configuration file (default: $NOVAKIT_CONDUCTOR_CONFIG)')
    .option('--host <name>', 'this conductor’s host name (Service record, conductor.<host> queue)')
    .option('--workers <n>', 'conductor processes consuming the topic')
    .option('--database-url <url>', 'database URL (also $NOVAKIT_DB_URL)')
    .option('--transport-url <url>', 'amqp:// URL of RabbitMQ (also $NOVAKIT_TRANSPORT_URL)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (also $NOVAKIT_LOG_LEVEL)')
    .option('--check-config', 'validate the configuration, print it (credentials masked) and exit')
    .addOption(
      new Option('--worker <slot>', 'run as worker <slot> of a supervisor (internal)').hideHelp().argParser((v) => {
        if (!/^\d+$/.test(v)) throw new InvalidArgumentError('a worker slot number');
        return Number(v);
      }),
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
}

/** Parses argv and runs until stopped; resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let flags: Flags;
  try {
    flags = program(io).parse([...argv], { from: 'user' }).opts<Flags>();
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode;
    return typeof code === 'number' ? code : 2;
  }
  let config: ConductorConfig;
  try {
    config = loadConfig({
      file: flags.config ?? io.env.NOVAKIT_CONDUCTOR_CONFIG,
      env: io.env,
      flags: { host: flags.host, workers: flags.workers, 'database.url': flags.databaseUrl, 'transport.url': flags.transportUrl, 'log.level': flags.logLevel },
    });
    checkStandalone(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(err.message);
      return 2;
    }
    throw err;
  }
  const warnings = configWarnings(config);
  if (flags.checkConfig) {
    for (const w of warnings) io.err(`warning: ${w}`);
    io.out(JSON.stringify(redactedConfig(config), null, 2));
    return 0;
  }
  const { worker } = flags;
  const log = serviceLogger(config, worker === undefined ? {} : { worker });
  if (worker === undefined) for (const w of warnings) log.warn(w);
  if (config.workers > 1 && worker === undefined) {
    log.info({ workers: config.workers, config: redactedConfig(config) }, 'starting conductor workers');
    return superviseWorkers({ entry: fileURLToPath(new URL('./main.ts', import.meta.url)), args: argv, workers: config.workers, graceMs: config.shutdown_grace_s * 1000, log });
  }
  let service;
  try {
    service = await runConductor(config, log);
  } catch (err) {
    // Known start failures (old schema, bad URL, broker down) are one clear line, not a stack.
    log.fatal({ err }, 'conductor could not start');
    io.err(`conductor: ${(err as Error).message}`);
    return 1;
  }
  if (process.send) {
    // Tell the supervisor this worker serves; the channel must not keep the process alive after.
    process.send({ type: WORKER_STARTED });
    process.channel?.unref();
  }
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  log.info('stopping: finishing calls in flight');
  await service.stop();
  return 0;
}
