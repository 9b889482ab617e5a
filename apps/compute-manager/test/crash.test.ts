// Crash recovery: kill -9 a compute-manager process in the middle of a volume attach and of
// a live migration (the fake's slow options make the window), start it again, and check the
// end state: no task left, the right vm_state, the hypervisor and the database agreeing, and
// a fault and action events saying what happened. The fake hypervisor lives in the killed
// process, so the restart is also a host restart: init_host boots lost guests again.
import { BlockDeviceMappingList, InstanceActionEventList, InstanceActionList, InstanceFault, MigrationList, PowerState, TaskState, VmState, type Instance } from '@novakit/objects';
import { uniqueName } from '@novakit/rpc/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE, eventually, load, newInstance, settled } from './harness.js';
import { deploy, rabbitMissing, type Deployment } from './processes.js';

const missing = await rabbitMissing('compute-manager crash-recovery suite');
let d: Deployment;

async function boot(host: string): Promise<Instance> {
  const instance = await newInstance(d.ctx);
  await d.compute.buildAndRunInstance(d.ctx, host, instance, { image: IMAGE });
  return settled(d.ctx, instance.uuid, VmState.ACTIVE, 20_000);
}

async function events(uuid: string): Promise<{ event: string | null; result: string | null; host: string | null }[]> {
  const out = [];
  for (const action of (await InstanceActionList.getByInstanceUuid(d.ctx, uuid)).objects) {
    for (const e of (await InstanceActionEventList.getByAction(d.ctx, action.id)).objects) out.push({ event: e.event, result: e.result, host: e.host });
  }
  return out;
}

describe.skipIf(missing !== null)('crash recovery (kill -9, restart)', () => {
  beforeAll(async () => {
    d = await deploy();
  }, 60_000);
  afterAll(async () => d?.close(), 60_000);

  it('during a volume attach: the attach is reverted, the guest is back, a fault and an Error event record it', async () => {
    const host = uniqueName('crash-att');
    const config = await d.configFor(host);
    const first = await d.startRunner([config], { [host]: { delays: { attachVolume: 5000 } } });
    const instance = await boot(host);
    const bdm = await d.compute.reserveBlockDeviceName(d.ctx, instance, { volume_id: 'crash-vol' });
    await d.compute.attachVolume(d.ctx, instance, bdm);
    await eventually('attach started', () => events(instance.uuid), (e) => e.some((x) => x.event === 'compute_attach_volume' && x.result === null), 20_000);
    await first.crash();

    await d.startRunner([config]);
    const after = await load(d.ctx, instance.uuid);
    expect(after).toMatchObject({ vm_state: VmState.ACTIVE, task_state: null, power_state: PowerState.RUNNING, host });
    expect((await BlockDeviceMappingList.getByInstanceUuid(d.ctx, instance.uuid)).volumeBdms()).toHaveLength(0);
    const diags = await d.compute.getInstanceDiagnostics(d.ctx, after);
    expect(diags.state).toBe('running');
    expect(diags.diskDetails.map((x) => x.id)).not.toContain(bdm.device_name!.replace('/dev/', ''));
    const fault = await InstanceFault.getLatestForInstance(d.ctx, instance.uuid);
    expect(fault!.message).toMatch(/InterruptedByRestart.*compute_attach_volume/);
    const recorded = await events(instance.uuid);
    expect(recorded).toContainEqual({ event: 'compute_attach_volume', result: 'Error', host });
    expect(recorded).toContainEqual({ event: 'compute_resume_guest_on_host_boot', result: 'Success', host });
  });

  it('during a live migration: rolled back to the source, the destination cleaned, the migration marked failed', async () => {
    const source = uniqueName('crash-src');
    const dest = uniqueName('crash-dst');
    const configs = [await d.configFor(source), await d.configFor(dest)];
    const first = await d.startRunner(configs, { [source]: { liveMigration: { progressSteps: 100, stepDelayMs: 100 } } });
    const instance = await boot(source);
    const migrateData = await d.compute.checkCanLiveMigrateDestination(d.ctx, instance, dest, { block_migration: true, disk_over_commit: false });
    await d.compute.liveMigration(d.ctx, instance, { dest, block_migration: true, migrate_data: { ...migrateData } });
    await eventually('transfer running', () => MigrationList.getByFilters(d.ctx, { instance_uuid: instance.uuid }), (l) => l.objects.some((m) => m.status === 'running'), 20_000);
    expect((await load(d.ctx, instance.uuid)).task_state).toBe(TaskState.MIGRATING);
    await first.crash();

    await d.startRunner(configs);
    const after = await eventually('recovered', () => load(d.ctx, instance.uuid), (i) => i.task_state === null && i.power_state === PowerState.RUNNING, 20_000);
    expect(after).toMatchObject({ vm_state: VmState.ACTIVE, host: source });
    expect((await d.compute.getInstanceDiagnostics(d.ctx, after)).state).toBe('running');
    const migrations = await MigrationList.getByFilters(d.ctx, { instance_uuid: instance.uuid });
    expect(migrations.objects.map((m) => m.status)).toEqual(['error']);
    expect((await InstanceFault.getLatestForInstance(d.ctx, instance.uuid))!.message).toMatch(/InterruptedByRestart.*live_migration.*rolled back/);
    await eventually('destination rolled back', () => events(instance.uuid), (e) => e.some((x) => x.event === 'compute_rollback_live_migration_at_destination' && x.result === 'Success' && x.host === dest), 20_000);
    expect(await events(instance.uuid)).toContainEqual({ event: 'compute_init_instance', result: 'Error', host: source });
  });
});
