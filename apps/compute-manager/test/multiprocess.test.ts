// The functional scenario over RabbitMQ with separate processes: one conductor and two
// `compute-manager` bins with different host names. Fake hypervisors live in their compute's
// process, so a live migration between the two cannot reach its destination's machine: it
// is the failing migration here, and it must roll back cleanly across processes. The
// successful one runs with real QEMU guests in multiprocess-qemu.test.ts.
import { BlockDeviceMappingList, InstanceActionEventList, InstanceActionList, InstanceFault, PowerState, Service, VmState, type Instance } from '@novakit/objects';
import { uniqueName } from '@novakit/rpc/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE, eventually, load, newInstance, settled } from './harness.js';
import { deploy, rabbitMissing, type Deployment } from './processes.js';

const missing = await rabbitMissing('compute-manager multi-process suite');
let d: Deployment;
const hostA = uniqueName('mp-a');
const hostB = uniqueName('mp-b');

async function boot(host: string): Promise<Instance> {
  const instance = await newInstance(d.ctx);
  await d.compute.buildAndRunInstance(d.ctx, host, instance, { image: IMAGE });
  return settled(d.ctx, instance.uuid, VmState.ACTIVE, 20_000);
}

async function rebootEvents(uuid: string): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (const action of (await InstanceActionList.getByInstanceUuid(d.ctx, uuid)).objects) {
    for (const e of (await InstanceActionEventList.getByAction(d.ctx, action.id)).objects) if (e.event === 'compute_reboot_instance') out.push(e.result);
  }
  return out;
}

describe.skipIf(missing !== null)('separate processes over RabbitMQ: a conductor and two compute-manager bins', () => {
  beforeAll(async () => {
    d = await deploy();
    await d.startBin(await d.configFor(hostA));
    await d.startBin(await d.configFor(hostB));
  }, 90_000);
  afterAll(async () => d?.close(), 60_000);

  it('registers both services and heartbeats them', async () => {
    for (const host of [hostA, hostB]) {
      const first = await Service.getByHostAndBinary(d.ctx, host, 'nova-compute');
      await eventually(`${host} heartbeat`, () => Service.getByHostAndBinary(d.ctx, host, 'nova-compute'), (s) => s.report_count > first.report_count, 10_000);
    }
  });

  it('boot, reboot, stop/start, volumes, diagnostics, security refresh, a rolled-back live migration, delete', async () => {
    const a = await boot(hostA);
    const b = await boot(hostB);
    expect([a.host, b.host]).toEqual([hostA, hostB]);

    await d.compute.rebootInstance(d.ctx, a, 'SOFT');
    // The cast returns before the reboot starts: wait for its event, not for a state it already has.
    await eventually('reboot done', () => rebootEvents(a.uuid), (results) => results.includes('Success'), 20_000);
    await d.compute.stopInstance(d.ctx, a);
    expect((await settled(d.ctx, a.uuid, VmState.STOPPED, 20_000)).power_state).toBe(PowerState.SHUTDOWN);
    await d.compute.startInstance(d.ctx, a);
    expect((await settled(d.ctx, a.uuid, VmState.ACTIVE, 20_000)).power_state).toBe(PowerState.RUNNING);

    const bdm = await d.compute.reserveBlockDeviceName(d.ctx, b, { volume_id: 'mp-vol' });
    await d.compute.attachVolume(d.ctx, b, bdm);
    await eventually('volume attached', () => BlockDeviceMappingList.getByInstanceUuid(d.ctx, b.uuid), (l) => l.volumeBdms().some((x) => !!x.connection_info), 20_000);
    const typed = await d.compute.getInstanceDiagnostics(d.ctx, b);
    expect(typed.diskDetails.map((x) => x.id)).toContain(bdm.device_name!.replace('/dev/', ''));
    await d.compute.detachVolume(d.ctx, b, 'mp-vol');
    await eventually('volume detached', () => BlockDeviceMappingList.getByInstanceUuid(d.ctx, b.uuid), (l) => l.volumeBdms().length === 0, 20_000);
    expect((await d.compute.getInstanceDiagnostics(d.ctx, b)).diskDetails.map((x) => x.id)).not.toContain(bdm.device_name!.replace('/dev/', ''));
    expect(Object.keys(await d.compute.getDiagnostics(d.ctx, a)).length).toBeGreaterThan(0);

    // As a call, so an error would come back.
    await expect(d.call(hostA, 'refresh_instance_security_rules', { instance: a })).resolves.toBeNull();

    const migrateData = await d.compute.checkCanLiveMigrateDestination(d.ctx, a, hostB, { block_migration: true, disk_over_commit: false });
    await d.compute.liveMigration(d.ctx, a, { dest: hostB, block_migration: true, migrate_data: { ...migrateData } });
    await eventually('migration fault', () => InstanceFault.getLatestForInstance(d.ctx, a.uuid), (f) => f !== null, 20_000);
    expect(await settled(d.ctx, a.uuid, VmState.ACTIVE, 20_000)).toMatchObject({ host: hostA, power_state: PowerState.RUNNING });
    expect((await d.compute.getInstanceDiagnostics(d.ctx, a)).state).toBe('running');

    await d.compute.terminateInstance(d.ctx, b);
    await eventually('deleted', () => load(d.ctx, b.uuid), (i) => i.deleted, 20_000);
  });

  it('a graceful stop (SIGTERM) marks the service down', async () => {
    await d.procs[2]!.stop();
    expect((await Service.getByHostAndBinary(d.ctx, hostB, 'nova-compute')).last_seen_up).toBeNull();
  });
});
