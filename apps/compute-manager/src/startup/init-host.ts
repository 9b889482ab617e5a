// Start-up (Nova's init_host): prepare the driver, register this host's Service and
// ComputeNode, clean the hypervisor of instances that are not this host's any more, then
// bring every instance of this host back to a consistent state. One instance failing to
// recover is logged and recorded; the others and the service go on.
import { InstanceList, type ComputeNode, type RequestContext, type Service } from '@novakit/objects';
import type { ManagerEnv } from '../manager/env.js';
import { recordFault } from '../manager/operation.js';
import { reapForeignGuests } from '../periodic/orphans.js';
import { ensureComputeNode } from '../periodic/resource-report.js';
import { ensureService } from '../periodic/heartbeat.js';
import { recoverUnfinishedEvents } from './recover-events.js';
import { recoverInstance } from './recover-instance.js';
import { recoveryContext } from './recovery-record.js';

export interface HostRecords {
  readonly service: Service;
  readonly node: ComputeNode;
}

export async function initHost(env: ManagerEnv, ctx: RequestContext): Promise<HostRecords> {
  await env.driver.initHost(env.host);
  env.nodename = (await env.driver.getAvailableNodes())[0] ?? env.host;
  const service = await ensureService(env, ctx);
  const node = await ensureComputeNode(env, ctx, service);
  await reapForeignGuests(env, ctx, { migratedAway: true });
  const instances = await InstanceList.getByHost(ctx, env.host, { expectedAttrs: ['info_cache', 'security_groups'] });
  for (const instance of instances.objects) {
    const rctx = recoveryContext(ctx);
    instance.obj_set_context(rctx);
    try {
      await recoverUnfinishedEvents(env, rctx, instance);
      await recoverInstance(env, rctx, instance);
    } catch (err) {
      env.log.error({ err, instance_uuid: instance.uuid }, 'could not recover the instance at start');
      await recordFault(env, rctx, instance.uuid, err, env.log);
    }
  }
  env.log.info({ host: env.host, node: env.nodename, instances: instances.objects.length }, 'init_host done');
  return { service, node };
}
