/**
 * @novakit/conductor — the server side of the conductor: the object methods (only registered
 * objects' declared remotable methods run; results levelled to the caller's versions), the
 * legacy raw methods served from libs/db, `compute_task` (build_instances, live_migrate_instance
 * as task objects with rollback) and its filter/weigher scheduler.
 *
 * ```ts
 * const server = createConductorServer({ transport, db, host: 'ctl-1', computeRpc });
 * await server.start();            // consumes `conductor`, `conductor.ctl-1`, the fanout queue
 * ...
 * await server.stop();             // finishes the calls in flight
 * ```
 */
export { createConductorServer } from './server.js';
export type { ConductorServer, ConductorServerOptions } from './server.js';
export type { BuildAndRunInstanceArgs, ComputeRpc, MigrateData } from './compute-task/compute-rpc.js';
export { TaskBase } from './compute-task/task.js';
export { BuildInstancesTask } from './compute-task/build-instances.js';
export { LiveMigrationTask } from './compute-task/live-migrate.js';
export type { LiveMigrateInput } from './compute-task/live-migrate.js';
export { Scheduler, ramWeigher } from './scheduler/scheduler.js';
export type { ScheduleRequest, Selection, Weigher } from './scheduler/scheduler.js';
export {
  ComputeFilter,
  CoreFilter,
  DEFAULT_FILTERS,
  DEFAULT_SCHEDULER_OPTIONS,
  DiskFilter,
  ForceHostsFilter,
  IgnoreHostsFilter,
  RamFilter,
} from './scheduler/filters.js';
export type { FilterRequest, HostFilter, SchedulerOptions } from './scheduler/filters.js';
export { COMPUTE_TOPIC, consume, hostStateOf, loadHostStates } from './scheduler/host-state.js';
export type { HostState, ResourceRequest, ServiceState } from './scheduler/host-state.js';
export { translateError } from './errors.js';
