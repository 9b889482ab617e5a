#!/usr/bin/env -S tsx --conditions=development
// The `compute-manager` command: read the configuration file, start the service, stop it
// gracefully on SIGTERM/SIGINT (a second signal exits at once).
import { Command } from 'commander';
import { loadConfigFile } from './config.js';
import { ConfigError } from './errors.js';
import { startComputeManager } from './service/start.js';

const program = new Command()
  .name('compute-manager')
  .description('The novakit compute service of one hypervisor host')
  .requiredOption('-c, --config <file>', 'configuration file (JSON)')
  .option('--host <name>', 'override the host name of the configuration file')
  .option('--check', 'validate the configuration and exit')
  .action(async (opts: { config: string; host?: string; check?: boolean }) => {
    const fromFile = await loadConfigFile(opts.config);
    const config = opts.host ? { ...fromFile, host: opts.host } : fromFile;
    if (opts.check) {
      process.stdout.write(`configuration ${opts.config} is valid (host ${config.host}, driver ${config.driver.name})\n`);
      return;
    }
    const compute = await startComputeManager({ config });
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals > 1) process.exit(130);
      compute.logger.info({ signal }, 'shutting down');
      compute.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          compute.logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`compute-manager: ${message}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
