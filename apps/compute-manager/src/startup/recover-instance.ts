// init_host's per-instance recovery (Nova's _init_instance): an instance this host owns is
// brought back to a consistent state, whatever operation a crash interrupted. Operations
// that can be finished are finished (delete, stop, start, reboot); the others are reverted
// (build → ERROR, live migration → rolled back to this host). A guest the hypervisor lost
// (the host itself restarted) is booted again from its image and volumes, as Nova's
// resume_guests_state_on_host_boot does, so the database and the hypervisor agree.
import { MigrationList, PowerState, TaskState, VmState, type Instance, type RequestContext } from '@novakit/objects';
import { legacyBlockDeviceInfo } from '../legacy/block-device-info.js';
import { driverDestroy, driverPowerState } from '../legacy/lifecycle.js';
import { legacyMarkMigrationRolledBack } from '../legacy/live-migration.js';
import { driverEnsureFiltering } from '../legacy/networking.js';
import type { ManagerEnv } from '../manager/env.js';
import { blockDeviceInfoOf, networkInfoOf } from '../manager/instance-data.js';
import { terminateInstance } from '../manager/lifecycle/terminate.js';
import { rebootInstance, startInstance, stopInstance } from '../manager/power.js';
import { recordRecovery } from './recovery-record.js';

const BUILDING: readonly (string | null)[] = [TaskState.SCHEDULING, TaskState.NETWORKING, TaskState.BLOCK_DEVICE_MAPPING, TaskState.SPAWNING];
const REBOOTING: readonly (string | null)[] = [
  TaskState.REBOOTING, TaskState.REBOOT_PENDING, TaskState.REBOOT_STARTED, TaskState.REBOOTING_HARD, TaskState.REBOOT_PENDING_HARD, TaskState.REBOOT_STARTED_HARD,
];
/** vm_states whose guest should exist on the hypervisor. */
const HAS_GUEST: readonly (string | null)[] = [VmState.ACTIVE, VmState.STOPPED, VmState.PAUSED, VmState.SUSPENDED];

/** Clears the task (and sets vm_state) guarded by the task state found, so nothing newer is overwritten. */
async function settle(instance: Instance, vmState: string | null, powerState?: PowerState): Promise<void> {
  const held = instance.task_state;
  instance.task_state = null;
  if (vmState !== null) instance.vm_state = vmState as VmState;
  if (powerState !== undefined) instance.power_state = powerState;
  await instance.save({ expectedTaskState: held });
}

/** The destination of this instance's unfinished live migration, from its migration record. */
async function migrationDestination(ctx: RequestContext, instance: Instance, host: string): Promise<string | null> {
  const migrations = await MigrationList.getByFilters(ctx, { instance_uuid: instance.uuid, source_compute: host, status: ['preparing', 'running'] });
  const latest = migrations.objects[migrations.objects.length - 1];
  if (!latest) return null;
  latest.status = 'error';
  await latest.save();
  return latest.dest_compute;
}

async function recoverTask(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<void> {
  const task = instance.task_state;
  if (instance.vm_state === VmState.BUILDING || BUILDING.includes(task)) {
    await driverDestroy(env, ctx, instance, { networkInfo: await networkInfoOf(instance), blockDeviceInfo: await legacyBlockDeviceInfo(env, ctx, instance.uuid, instance.root_device_name), destroyDisks: true });
    await settle(instance, VmState.ERROR, PowerState.NOSTATE);
    return recordRecovery(env, ctx, instance, 'compute_init_instance', { operation: 'build', outcome: 'instance set to ERROR' });
  }
  if (task === TaskState.DELETING) return terminateInstance(env, ctx, instance);
  if (instance.vm_state === VmState.DELETED && !instance.deleted) {
    // The delete ran to its last step (the record says deleted) but the row was not soft-deleted yet.
    await driverDestroy(env, ctx, instance, { networkInfo: [], blockDeviceInfo: await legacyBlockDeviceInfo(env, ctx, instance.uuid, instance.root_device_name), destroyDisks: true });
    await instance.destroy();
    return recordRecovery(env, ctx, instance, 'compute_init_instance', null);
  }
  if (task === TaskState.POWERING_OFF) return stopInstance(env, ctx, instance, false);
  if (task === TaskState.POWERING_ON) return startInstance(env, ctx, instance);
  if (REBOOTING.includes(task)) {
    const power = await driverPowerState(env, ctx, instance);
    if ((task === TaskState.REBOOT_STARTED || task === TaskState.REBOOT_STARTED_HARD) && power === PowerState.RUNNING) {
      await settle(instance, VmState.ACTIVE, power);
      return recordRecovery(env, ctx, instance, 'compute_init_instance', null);
    }
    // Nova retries the reboot, hard this time.
    await settle(instance, null);
    return rebootInstance(env, ctx, instance, 'HARD');
  }
  if (task === TaskState.MIGRATING) {
    const dest = await migrationDestination(ctx, instance, env.host);
    await legacyMarkMigrationRolledBack(env, ctx, instance);
    if (dest) await env.compute.rollbackLiveMigrationAtDestination(ctx, instance, dest, { destroy_disks: true, migrate_data: null }).catch((err: unknown) => env.log.warn({ err, dest }, 'could not roll back the destination'));
    return recordRecovery(env, ctx, instance, 'compute_init_instance', { operation: 'live_migration', outcome: `rolled back to ${env.host}${dest ? `; ${dest} cleaned up` : ''}` });
  }
  if (task !== null) {
    // pausing, suspending …: the hypervisor's state decides where the instance rests.
    const power = await driverPowerState(env, ctx, instance);
    const vm = power === PowerState.PAUSED ? VmState.PAUSED : power === PowerState.SUSPENDED ? VmState.SUSPENDED : power === PowerState.RUNNING ? VmState.ACTIVE : VmState.STOPPED;
    await settle(instance, vm, power);
    return recordRecovery(env, ctx, instance, 'compute_init_instance', { operation: String(task), outcome: `settled as ${vm}` });
  }
}

/** Boots a guest the hypervisor no longer has (its host restarted) back into its recorded state. */
async function recoverLostGuest(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<void> {
  if (instance.task_state !== null || !HAS_GUEST.includes(instance.vm_state) || (await env.driver.instanceExists(instance))) return;
  const networkInfo = await networkInfoOf(instance);
  await env.driver.spawn(ctx, instance, { imageMeta: { id: instance.image_ref, properties: {} }, networkInfo, blockDeviceInfo: await blockDeviceInfoOf(ctx, instance) });
  if (instance.vm_state === VmState.STOPPED) await env.driver.powerOff(instance, { timeoutSeconds: 0 });
  else if (instance.vm_state !== VmState.ACTIVE) {
    // A paused or suspended guest comes back running: that is the state it can be in now.
    instance.vm_state = VmState.ACTIVE;
  }
  instance.power_state = await driverPowerState(env, ctx, instance);
  await instance.save({ expectedTaskState: null });
  await recordRecovery(env, ctx, instance, 'compute_resume_guest_on_host_boot', null);
}

export async function recoverInstance(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<void> {
  await recoverTask(env, ctx, instance);
  if (instance.deleted || instance.host !== env.host) return;
  await recoverLostGuest(env, ctx, instance);
  const power = await driverPowerState(env, ctx, instance);
  if (instance.power_state !== power && instance.task_state === null) {
    instance.power_state = power;
    await instance.save({ expectedTaskState: null });
  }
  if (power === PowerState.RUNNING && env.driver.capabilities.supportsFirewall) {
    await driverEnsureFiltering(env, ctx, instance, await networkInfoOf(instance));
  }
}
