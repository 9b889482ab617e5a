/**
 * @novakit/conductor-service — the conductor as a service. `startConductor` runs one worker
 * on a transport and DbApi it is given (the embedded `novakit up` calls it in-process); the
 * `conductor` bin reads a JSON config (plus environment and flags), refuses an old schema and
 * non-AMQP transports, registers and heartbeats the Service record, forks `workers` processes
 * on one topic, and stops gracefully on SIGTERM.
 *
 * ```ts
 * const db = await openDbApi('sqlite:///var/lib/novakit/nova.db', { schema: 'migrate' });
 * const transport = await createTransport('memory://novakit');
 * const conductor = await startConductor({ transport, db, host: 'embedded', computeRpc });
 * ...
 * await conductor.stop();   // then close the transport and the DB
 * ```
 */
export { startConductor } from './start.js';
export type { RunningConductor, StartConductorOptions } from './start.js';
export { runConductor, serviceLogger } from './run.js';
export type { RunningService } from './run.js';
export { checkStandalone, ConductorConfigSchema, configWarnings, loadConfig, redactedConfig } from './config.js';
export type { ConductorConfig, ConfigSources } from './config.js';
export { main } from './cli.js';
export type { CliIo } from './cli.js';
export { registerService } from './service-record.js';
export { ConfigError } from './errors.js';
export { computeRpcPort, conductorComputeClient } from './compute-rpc.js';
