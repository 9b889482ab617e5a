/**
 * @novakit/compute-manager — the service on every hypervisor host: serves `compute.<host>`,
 * drives its virt driver, runs the periodic tasks, recovers interrupted operations at start.
 *
 * ```ts
 * const compute = await startComputeManager({
 *   config: { host: 'node-1', transportUrl: 'memory://embedded', driver: { name: 'fake', options: {} } },
 *   transport,                                   // shared in the all-in-one
 * });
 * await compute.runPeriodicTask('resource_report');
 * await compute.stop();
 * ```
 */
export { startComputeManager } from './service/start.js';
export type { ComputeManagerHandle, StartComputeManagerOptions, StopOptions } from './service/start.js';
export type { PeriodicTaskName } from './service/periodic-tasks.js';
export { ComputeManagerConfigSchema, loadConfigFile, parseConfig } from './config.js';
export type { ComputeManagerConfig, ComputeManagerConfigInput } from './config.js';
export { defaultDriverFactories } from './service/drivers.js';
export { COMPUTE_BINARY } from './periodic/heartbeat.js';
export { syncDecision } from './periodic/power-sync.js';
export type { SyncDecision } from './periodic/power-sync.js';
export type { ComputeConductor, ConductorLegacyApi } from './ports.js';
export * from './errors.js';
