// Functional: the whole stack in one process (in-process transport, a real conductor on
// SQLite, fake hypervisors for two hosts). Each test asserts the database through objects
// and the hypervisor through the fake's machine.
import { ConductorClient } from '@novakit/conductor-api';
import {
  BlockDeviceMappingList,
  Instance,
  InstanceActionEventList,
  InstanceActionList,
  InstanceFault,
  PowerState,
  SecurityGroup,
  SecurityGroupList,
  SecurityGroupRule,
  TaskState,
  VmState,
} from '@novakit/objects';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE, eventually, fileVolume, load, newInstance, settled, startStack, type Stack } from './harness.js';

let stack: Stack;
let dir: string;
const guest = (host: string, uuid: string) => stack.network.find(host)!.guests.get(uuid);

async function boot(host: string, fields: Record<string, unknown> = {}): Promise<Instance> {
  const instance = await newInstance(stack.ctx, fields);
  await stack.compute.buildAndRunInstance(stack.ctx, host, instance, { image: IMAGE });
  return settled(stack.ctx, instance.uuid, VmState.ACTIVE);
}

async function events(uuid: string): Promise<{ action: string | null; event: string | null; result: string | null }[]> {
  const out = [];
  for (const action of (await InstanceActionList.getByInstanceUuid(stack.ctx, uuid)).objects) {
    for (const e of (await InstanceActionEventList.getByAction(stack.ctx, action.id)).objects) out.push({ action: action.action, event: e.event, result: e.result });
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'novakit-vol-'));
  stack = await startStack();
  await stack.startCompute('node-a');
  await stack.startCompute('node-b');
});
afterAll(async () => stack?.close());

describe('compute manager, in one process with a real conductor', () => {
  it('boots an instance: DB active and running on its host, the guest on that hypervisor, the build recorded', async () => {
    const instance = await boot('node-a');
    expect(instance.host).toBe('node-a');
    expect(instance.node).toBe('node-a');
    expect(instance.power_state).toBe(PowerState.RUNNING);
    expect(instance.launched_at).toBeInstanceOf(Date);
    expect(instance.root_device_name).toMatch(/^\/dev\//);
    const cached = await load(stack.ctx, instance.uuid, ['info_cache']);
    expect(cached.info_cache?.network_info).toHaveLength(1);
    expect(guest('node-a', instance.uuid)?.power).toBe(PowerState.RUNNING);
    expect(guest('node-b', instance.uuid)).toBeUndefined();
    await eventually('build recorded', () => events(instance.uuid), (e) => e.some((x) => x.action === 'create' && x.event === 'compute_build_and_run_instance' && x.result === 'Success'));
  });

  it('reboots, stops and starts, keeping DB and hypervisor in step', async () => {
    const instance = await boot('node-a');
    await stack.compute.rebootInstance(stack.ctx, instance, 'HARD');
    await eventually('reboot event', () => events(instance.uuid), (e) => e.some((x) => x.event === 'compute_reboot_instance' && x.result === 'Success'));
    expect((await settled(stack.ctx, instance.uuid, VmState.ACTIVE)).power_state).toBe(PowerState.RUNNING);

    await stack.compute.stopInstance(stack.ctx, instance);
    const stopped = await settled(stack.ctx, instance.uuid, VmState.STOPPED);
    expect(stopped.power_state).toBe(PowerState.SHUTDOWN);
    expect(guest('node-a', instance.uuid)?.power).toBe(PowerState.SHUTDOWN);

    await stack.compute.startInstance(stack.ctx, stopped);
    const started = await settled(stack.ctx, instance.uuid, VmState.ACTIVE);
    expect(started.power_state).toBe(PowerState.RUNNING);
    expect(guest('node-a', instance.uuid)?.power).toBe(PowerState.RUNNING);
  });

  it('attaches and detaches a volume: the BDM and the guest mount agree at each step', async () => {
    const instance = await boot('node-a');
    const bdm = await stack.compute.reserveBlockDeviceName(stack.ctx, instance, { volume_id: 'vol-1' });
    expect(bdm.device_name).toBe('/dev/vdb');
    await stack.compute.attachVolume(stack.ctx, instance, bdm);
    await eventually('attach recorded', () => events(instance.uuid), (e) => e.some((x) => x.event === 'compute_attach_volume' && x.result === 'Success'));
    const attached = await BlockDeviceMappingList.getByInstanceUuid(stack.ctx, instance.uuid);
    expect(JSON.parse(attached.volumeBdms()[0]!.connection_info!).serial).toBe('vol-1');
    expect([...guest('node-a', instance.uuid)!.mounts.keys()]).toEqual(['/dev/vdb']);

    // A file volume from the volume service: its connection info reaches the hypervisor as given.
    const second = await stack.compute.reserveBlockDeviceName(stack.ctx, instance, { volume_id: 'vol-2' });
    await fileVolume(second, dir);
    await stack.compute.attachVolume(stack.ctx, instance, second);
    await eventually('second volume mounted', async () => guest('node-a', instance.uuid)!.mounts.get('/dev/vdc'), (m) => m?.driver_volume_type === 'file');
    await stack.compute.detachVolume(stack.ctx, instance, 'vol-2');

    await stack.compute.detachVolume(stack.ctx, instance, 'vol-1');
    await eventually('BDM gone', () => BlockDeviceMappingList.getByInstanceUuid(stack.ctx, instance.uuid), (l) => l.volumeBdms().length === 0);
    expect(guest('node-a', instance.uuid)!.mounts.size).toBe(0);
    await eventually('detach recorded', () => events(instance.uuid), (e) => e.filter((x) => x.event === 'compute_detach_volume' && x.result === 'Success').length === 2);
  });

  it('returns diagnostics of a running instance and refuses them for a stopped one', async () => {
    const instance = await boot('node-a');
    const diags = await stack.compute.getDiagnostics(stack.ctx, instance);
    expect(Object.keys(diags).length).toBeGreaterThan(0);
    const typed = await stack.compute.getInstanceDiagnostics(stack.ctx, instance);
    expect(typed.state).toBeDefined();
    await stack.compute.stopInstance(stack.ctx, instance);
    await settled(stack.ctx, instance.uuid, VmState.STOPPED);
    await expect(stack.compute.getDiagnostics(stack.ctx, instance)).rejects.toMatchObject({ name: 'InstanceInvalidState' });
  });

  it('refreshes security rules: the hypervisor reloads the group rules through the legacy VirtAPI calls', async () => {
    const group = new SecurityGroup({ name: 'web', description: 'web', user_id: 'u1', project_id: 'p1' }, stack.ctx);
    await group.create();
    const created = await newInstance(stack.ctx, { security_groups: new SecurityGroupList({ objects: [group] }) });
    await stack.compute.buildAndRunInstance(stack.ctx, 'node-a', created, { image: IMAGE });
    const instance = await settled(stack.ctx, created.uuid, VmState.ACTIVE);
    const rule = new SecurityGroupRule({ protocol: 'tcp', from_port: 80, to_port: 80, cidr: '0.0.0.0/0', parent_group: group }, stack.ctx);
    await rule.create();
    const before = stack.network.find('node-a')!.filters.get(instance.uuid)?.generation ?? 0;
    await stack.compute.refreshInstanceSecurityRules(stack.ctx, instance);
    const filter = await eventually('filter reloaded', async () => stack.network.find('node-a')!.filters.get(instance.uuid), (f) => (f?.generation ?? 0) > before);
    expect(filter!.groupIds).toEqual([group.id]);
    expect(filter!.rules.map((r) => r.from_port)).toEqual([80]);
  });

  it('live-migrates A → B: host, node and state move in the DB, the guest moves between hypervisors', async () => {
    const instance = await boot('node-a');
    const migrateData = await stack.compute.checkCanLiveMigrateDestination(stack.ctx, instance, 'node-b', { block_migration: true, disk_over_commit: false });
    expect(migrateData.block_migration).toBe(true);
    await stack.compute.liveMigration(stack.ctx, instance, { dest: 'node-b', block_migration: true, migrate_data: { ...migrateData } });
    const moved = await eventually('instance on node-b', () => load(stack.ctx, instance.uuid), (i) => i.host === 'node-b' && i.task_state === null);
    expect(moved.vm_state).toBe(VmState.ACTIVE);
    expect(moved.node).toBe('node-b');
    expect(moved.power_state).toBe(PowerState.RUNNING);
    expect(guest('node-b', instance.uuid)?.power).toBe(PowerState.RUNNING);
    await eventually('source cleaned', async () => guest('node-a', instance.uuid), (g) => g === undefined);
    expect((await events(instance.uuid)).map((e) => e.event)).toEqual(expect.arrayContaining(['compute_live_migration', 'compute_pre_live_migration', 'compute_post_live_migration_at_destination']));
  });

  it('records the transfer’s progress on the instance while it migrates', async () => {
    const instance = await boot('node-a');
    stack.driver('node-a').scenario.setMigrationPace({ progressSteps: 8, stepDelayMs: 300 });
    try {
      const migrateData = await stack.compute.checkCanLiveMigrateDestination(stack.ctx, instance, 'node-b', { block_migration: true, disk_over_commit: false });
      await stack.compute.liveMigration(stack.ctx, instance, { dest: 'node-b', block_migration: true, migrate_data: { ...migrateData } });
      const during = await eventually('progress recorded', () => load(stack.ctx, instance.uuid), (i) => (i.progress ?? 0) > 0 && i.task_state === TaskState.MIGRATING);
      expect(during.progress).toBeLessThan(100);
      const moved = await eventually('instance on node-b', () => load(stack.ctx, instance.uuid), (i) => i.host === 'node-b' && i.task_state === null);
      expect(moved.vm_state).toBe(VmState.ACTIVE);
    } finally {
      stack.driver('node-a').scenario.setMigrationPace({ progressSteps: 4, stepDelayMs: 0 });
    }
  });

  it('rolls a failing live migration back: the instance stays on A, B keeps nothing, a fault is recorded', async () => {
    const instance = await boot('node-a');
    stack.driver('node-b').scenario.setMigrationFailure({ stage: 'pre', times: 1 });
    await stack.compute.liveMigration(stack.ctx, instance, { dest: 'node-b', block_migration: true, migrate_data: {} });
    const fault = await eventually('fault recorded', () => InstanceFault.getLatestForInstance(stack.ctx, instance.uuid), (f) => f !== null);
    await settled(stack.ctx, instance.uuid, VmState.ACTIVE);
    expect(fault!.message).toMatch(/MigrationError/);
    const back = await load(stack.ctx, instance.uuid);
    expect(back).toMatchObject({ host: 'node-a', task_state: null, vm_state: VmState.ACTIVE });
    expect(guest('node-a', instance.uuid)?.power).toBe(PowerState.RUNNING);
    expect(guest('node-b', instance.uuid)).toBeUndefined();
    expect(stack.network.find('node-b')!.incoming.has(instance.uuid)).toBe(false);

    // The transfer breaking half way: the driver calls recover, the destination's receiver is rolled back.
    stack.driver('node-a').scenario.setMigrationFailure({ stage: 'transfer', afterProgressReports: 1, times: 1 });
    await stack.compute.liveMigration(stack.ctx, back, { dest: 'node-b', block_migration: true, migrate_data: {} });
    await eventually('second failure recorded', () => events(instance.uuid), (e) => e.filter((x) => x.event === 'compute_live_migration' && x.result === 'Error').length === 2);
    await eventually('destination rolled back', async () => stack.network.find('node-b')!.incoming.has(instance.uuid), (has) => !has);
    expect(await load(stack.ctx, instance.uuid)).toMatchObject({ host: 'node-a', task_state: null, vm_state: VmState.ACTIVE });
    expect(guest('node-a', instance.uuid)?.power).toBe(PowerState.RUNNING);
  });

  it("through the conductor's compute_task: build_instances schedules and builds, live_migrate_instance picks B and moves it", async () => {
    const conductor = new ConductorClient(stack.transport, { timeoutMs: 10_000 });
    await stack.computes.get('node-a')!.runPeriodicTask('resource_report');
    await stack.computes.get('node-b')!.runPeriodicTask('resource_report');
    const request = new Instance({ uuid: randomUUID(), user_id: 'u1', project_id: 'p1', image_ref: 'cirros', display_name: 'sched', memory_mb: 256, vcpus: 1, root_gb: 1, ephemeral_gb: 0 });
    const [created] = await conductor.computeTask.build_instances(stack.ctx, { instances: [request], image: { id: 'cirros', properties: {} }, filter_properties: { force_hosts: ['node-a'] } });
    const built = await settled(stack.ctx, created!.uuid, VmState.ACTIVE);
    expect(built.host).toBe('node-a');
    expect(guest('node-a', built.uuid)?.power).toBe(PowerState.RUNNING);

    const dest = await conductor.computeTask.live_migrate_instance(stack.ctx, { instance: built, host: null, block_migration: true, disk_over_commit: false });
    expect(dest).toBe('node-b');
    const moved = await eventually('moved by compute_task', () => load(stack.ctx, built.uuid), (i) => i.host === 'node-b' && i.task_state === null);
    expect(moved.vm_state).toBe(VmState.ACTIVE);
    expect(guest('node-b', built.uuid)?.power).toBe(PowerState.RUNNING);
  });

  it('deletes: the record is soft-deleted and the hypervisor forgets the guest and its volumes', async () => {
    const instance = await boot('node-b');
    const bdm = await stack.compute.reserveBlockDeviceName(stack.ctx, instance, { volume_id: 'vol-del' });
    await stack.compute.attachVolume(stack.ctx, instance, bdm);
    await eventually('attached', async () => guest('node-b', instance.uuid)?.mounts.size ?? 0, (n) => n === 1);
    await stack.compute.terminateInstance(stack.ctx, instance);
    const gone = await eventually('deleted', () => load(stack.ctx, instance.uuid), (i) => i.deleted);
    expect(gone.vm_state).toBe(VmState.DELETED);
    expect(guest('node-b', instance.uuid)).toBeUndefined();
    expect((await BlockDeviceMappingList.getByInstanceUuid(stack.ctx, instance.uuid)).objects).toHaveLength(0);
  });
});
