// Orphan cleanup (Nova's _cleanup_running_deleted_instances and, at start,
// _destroy_evacuated_instances): guests on this hypervisor that the database does not place
// here — deleted, unknown, or moved to another host while this compute was away — and volume
// reservations that never got attached.
import { BlockDeviceMappingList, Instance, InstanceList, InstanceNotFound, RequestContext } from '@novakit/objects';
import { driverDestroy } from '../legacy/lifecycle.js';
import { driverSharedStorageProbe } from '../legacy/live-migration.js';
import type { ManagerEnv } from '../manager/env.js';
import { networkInfoOf } from '../manager/instance-data.js';
import { EMPTY_BLOCK_DEVICE_INFO } from '@novakit/virt-driver';

/** A reservation older than this without a connection is an abandoned attach. */
const STALE_RESERVATION_MS = 10 * 60 * 1000;

/** Whether the peer host sees this host's probe, i.e. the instance's disks are shared with it. */
async function sharedWith(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<boolean> {
  const probe = await driverSharedStorageProbe(env, ctx, instance);
  if (!probe || !instance.host) return false;
  try {
    return await env.compute.checkInstanceSharedStorage(ctx, instance, instance.host, probe);
  } catch (err) {
    env.log.warn({ err, peer: instance.host }, 'shared storage check failed; assuming not shared');
    return false;
  } finally {
    await env.driver.checkInstanceSharedStorageCleanup(ctx, probe);
  }
}

/**
 * Destroys guests this host runs for instances the database deleted or never knew; with
 * `migratedAway`, also those the database now places on another host (keeping shared disks).
 */
export async function reapForeignGuests(env: ManagerEnv, ctx: RequestContext, opts: { migratedAway: boolean; logOnly?: boolean }): Promise<string[]> {
  const reaped: string[] = [];
  const readAll = RequestContext.withReadDeleted(ctx, 'yes');
  for (const uuid of await env.driver.listInstanceUuids()) {
    let instance: Instance;
    try {
      instance = await Instance.getByUuid(readAll, uuid, { expectedAttrs: ['info_cache'] });
    } catch (e) {
      if (!(e instanceof InstanceNotFound)) throw e;
      instance = new Instance({ uuid, host: env.host, deleted: true }, readAll);
    }
    const deleted = instance.deleted;
    const movedAway = !deleted && instance.host !== env.host;
    if (!deleted && !(movedAway && opts.migratedAway)) continue;
    const log = env.log.child({ instance_uuid: uuid, reason: deleted ? 'deleted' : `on ${instance.host}` });
    if (opts.logOnly) {
      log.warn('guest on this hypervisor does not belong here');
      continue;
    }
    const destroyDisks = deleted || !(await sharedWith(env, ctx, instance));
    const networkInfo = instance.obj_attr_is_set('info_cache') ? await networkInfoOf(instance) : [];
    await driverDestroy(env, ctx, instance, { networkInfo, blockDeviceInfo: EMPTY_BLOCK_DEVICE_INFO, destroyDisks });
    log.warn({ destroy_disks: destroyDisks }, 'guest that does not belong here destroyed');
    reaped.push(uuid);
  }
  return reaped;
}

/** Volume reservations of this host's instances that never got a connection (an attach that died before reaching here). */
export async function cleanStaleReservations(env: ManagerEnv, ctx: RequestContext, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const instance of (await InstanceList.getByHost(ctx, env.host)).objects) {
    if (instance.task_state !== null) continue;
    const bdms = await BlockDeviceMappingList.getByInstanceUuid(ctx, instance.uuid);
    for (const bdm of bdms.volumeBdms()) {
      const created = bdm.created_at?.getTime() ?? now;
      if (bdm.connection_info || now - created < STALE_RESERVATION_MS) continue;
      await bdm.destroy();
      env.log.warn({ instance_uuid: instance.uuid, volume_id: bdm.volume_id }, 'stale volume reservation removed');
      removed++;
    }
  }
  return removed;
}
