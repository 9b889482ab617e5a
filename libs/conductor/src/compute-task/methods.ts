// The compute_task endpoint: each method runs its task. Without a way to reach the computes
// (no ComputeRpc given) the methods refuse with ComputeTaskUnavailable before touching anything.
import { COMPUTE_TASK_METHOD_ARGS, ComputeTaskUnavailable, type ComputeTaskMethodArgs } from '@novakit/conductor-api';
import type { Instance, RequestContext } from '@novakit/objects';
import { withArgs, type EndpointMethod } from '@novakit/rpc';
import type { Logger } from 'pino';
import type { Scheduler } from '../scheduler/scheduler.js';
import { BuildInstancesTask } from './build-instances.js';
import type { ComputeRpc } from './compute-rpc.js';
import { LiveMigrationTask } from './live-migrate.js';

export interface ComputeTaskDeps {
  readonly scheduler: Scheduler;
  readonly computeRpc: ComputeRpc | null;
  /** This conductor's host (recorded on faults). */
  readonly host: string;
  readonly log: Logger;
}

export function computeTaskMethods(deps: ComputeTaskDeps): Record<keyof ComputeTaskMethodArgs, EndpointMethod<RequestContext>> {
  const computes = (method: string): ComputeRpc => {
    if (!deps.computeRpc) throw new ComputeTaskUnavailable({ method, reason: 'no compute RPC client was configured' });
    return deps.computeRpc;
  };
  return {
    build_instances: withArgs(COMPUTE_TASK_METHOD_ARGS.build_instances, (ctx: RequestContext, a) =>
      new BuildInstancesTask(deps.log, ctx, a, deps.scheduler, computes('build_instances'), deps.host).execute(),
    ),
    live_migrate_instance: withArgs(COMPUTE_TASK_METHOD_ARGS.live_migrate_instance, (ctx: RequestContext, a) =>
      new LiveMigrationTask(
        deps.log,
        ctx,
        { instance: a.instance as Instance, destination: a.scheduler_hint.host, blockMigration: a.block_migration, diskOverCommit: a.disk_over_commit },
        deps.scheduler,
        computes('live_migrate_instance'),
      ).execute(),
    ),
  };
}
