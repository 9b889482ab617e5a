// The `novakit` command line: global options, the commands, and the one place that turns
// every failure into a message on stderr and an exit code (exit-codes.ts).
import { Command, CommanderError } from 'commander';
import { registerMigrateCommand } from './commands/server-migrate.js';
import { registerFlavorCommands } from './commands/flavor.js';
import { registerOperatorCommands } from './commands/operator.js';
import { registerSecgroupCommands } from './commands/secgroup.js';
import { registerVolumeCommands } from './commands/volume.js';
import { registerServerCommands } from './commands/server.js';
import { registerServerExtras } from './commands/server-extras.js';
import { registerUpCommand, type UpDeps } from './commands/up.js';
import { CliError, ExitCode } from './exit-codes.js';

export function buildProgram(deps: UpDeps): Command {
  const program = new Command()
    .name('novakit')
    .description('novakit: run a compute cloud on this machine (`novakit up`) and operate it')
    .option('--url <url>', 'API URL (default: NOVAKIT_URL, or the config `novakit up` wrote)')
    .option('--token <token>', 'API token (default: NOVAKIT_TOKEN, or the config)')
    .option('--config <file>', 'CLI config file (default: NOVAKIT_CONFIG, ./.novakit/cli.json, ~/.config/novakit/cli.json)')
    .option('--json', 'print JSON (one document) instead of tables')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: deps.io.out, writeErr: deps.io.err })
    .exitOverride();
  registerUpCommand(program, deps);
  const server = program.command('server').description('servers: create, list, show, delete, power, migrate, volumes, actions');
  registerServerCommands(server, deps);
  registerMigrateCommand(server, deps);
  registerServerExtras(server, deps);
  registerVolumeCommands(program, deps);
  registerFlavorCommands(program, deps);
  registerOperatorCommands(program, deps);
  registerSecgroupCommands(program, deps);
  // Subcommands inherit exitOverride, configureOutput and showHelpAfterError from their parent
  // when created (commander's copyInheritedSettings), so usage errors anywhere end up here.
  return program;
}

/** Runs one command line (without `node` and the script); resolves to the exit code. */
export async function runCli(args: readonly string[], deps: UpDeps): Promise<number> {
  const program = buildProgram(deps);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return ExitCode.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version succeed; a bare `novakit` (help shown instead of a command) is a usage error.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? ExitCode.OK : ExitCode.USAGE;
    }
    if (e instanceof CliError) {
      deps.io.err(`novakit: ${e.message}\n`);
      return e.exitCode;
    }
    deps.io.err(`novakit: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return ExitCode.UNEXPECTED;
  }
}
