// The periodic tasks of one compute, with the intervals from configuration. Each run gets a
// context of its own (its own request id in the logs).
import { RequestContext, type ComputeNode, type Service } from '@novakit/objects';
import type { ComputeManagerConfig } from '../config.js';
import type { ManagerEnv } from '../manager/env.js';
import { heartbeat } from '../periodic/heartbeat.js';
import { cleanStaleReservations, reapForeignGuests } from '../periodic/orphans.js';
import { syncPowerStates } from '../periodic/power-sync.js';
import { reportResources } from '../periodic/resource-report.js';
import type { PeriodicTask } from '../periodic/runner.js';

export type PeriodicTaskName = 'heartbeat' | 'resource_report' | 'power_state_sync' | 'orphan_cleanup';

export function periodicTasks(env: ManagerEnv, base: RequestContext, records: { service: Service; node: ComputeNode }, config: ComputeManagerConfig): PeriodicTask[] {
  const fresh = () => RequestContext.create({ ...base, request_id: undefined, timestamp: new Date() });
  const ms = (s: number) => Math.round(s * 1000);
  const task = (name: PeriodicTaskName, seconds: number, run: (ctx: RequestContext) => Promise<unknown>): PeriodicTask => ({
    name,
    intervalMs: ms(seconds),
    run: async () => void (await run(fresh())),
  });
  return [
    task('heartbeat', config.periodic.heartbeatSeconds, () => heartbeat(records.service)),
    task('resource_report', config.periodic.resourceReportSeconds, (ctx) => reportResources(env, ctx, records.node.obj_set_context(ctx))),
    task('power_state_sync', config.periodic.powerStateSyncSeconds, (ctx) => syncPowerStates(env, ctx)),
    task('orphan_cleanup', config.periodic.orphanCleanupSeconds, async (ctx) => {
      await reapForeignGuests(env, ctx, { migratedAway: false, logOnly: config.orphanAction === 'log' });
      await cleanStaleReservations(env, ctx);
    }),
  ];
}
