// The successful live migration of the multi-process proof: one conductor process and two
// `compute-manager` bins over RabbitMQ running the real QEMU driver (KVM or TCG, as the driver
// picks), each host with a state path of its own. A small guest with a blank disk and a file
// volume block-migrates from A to B: the database says B, and the QEMU process runs under B's
// state path and no longer under A's. (multiprocess.test.ts runs the rest of the scenario with
// the fake driver, whose hypervisors cannot reach each other across processes.)
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockDeviceMappingList, Migration, PowerState, VmState, type Instance } from '@novakit/objects';
import { uniqueName } from '@novakit/rpc/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, load, newInstance, settled } from './harness.js';
import { deploy, killQemus, qemuMissing, qemuProcesses, rabbitMissing, type Deployment } from './processes.js';

const SUITE = 'compute-manager multi-process QEMU suite';
const missing = (await rabbitMissing(SUITE)) ?? (await qemuMissing(SUITE));
/** Guest operations on TCG without KVM are slower; no guest OS runs, so none waits for one. */
const OP_MS = 30_000;

let d: Deployment | undefined;
/** Everything QEMU touches lives under this directory: the kill marker of afterAll. */
let root = '';
const hostA = uniqueName('mpq-a');
const hostB = uniqueName('mpq-b');
const statePath = (host: string) => join(root, host === hostA ? 'a' : 'b');

function qemuConfig(host: string) {
  return {
    driver: {
      name: 'qemu',
      options: {
        state_path: statePath(host),
        host_ip: '127.0.0.1',
        migration_bind_address: '127.0.0.1',
        migration_timeout_s: 60,
        soft_reboot_timeout_s: 0.5,
        clean_shutdown_timeout_s: 0.5,
        volume_detach_timeout_s: 5,
      },
    },
  };
}

/** The QEMU processes of one instance, by the state path their command line names. */
function qemusOf(uuid: string): { a: number; b: number } {
  const procs = qemuProcesses(uuid);
  return { a: procs.filter((p) => p.cmdline.includes(`${statePath(hostA)}/`)).length, b: procs.filter((p) => p.cmdline.includes(`${statePath(hostB)}/`)).length };
}

describe.skipIf(missing !== null)('separate processes over RabbitMQ with the QEMU driver: a successful live migration A → B', () => {
  beforeAll(async () => {
    // Short: QMP socket paths under the state path must fit a unix socket address.
    root = await mkdtemp(join(tmpdir(), 'nk-cmq-'));
    for (const host of [hostA, hostB]) await mkdir(statePath(host));
    d = await deploy();
    await d.startBin(await d.configFor(hostA, qemuConfig(hostA)));
    await d.startBin(await d.configFor(hostB, qemuConfig(hostB)));
  }, 90_000);

  afterAll(async () => {
    try {
      await d?.close();
    } finally {
      // The computes leave guests running when they stop (as Nova does): kill whatever this suite started.
      const killed = root ? killQemus(root) : 0;
      if (killed > 0) console.warn(`${SUITE}: killed ${killed} QEMU process(es) left behind`);
      if (root) await rm(root, { recursive: true, force: true });
    }
  }, 60_000);

  it('boots on A, attaches a file volume, block-migrates to B, deletes on B', { timeout: 120_000 }, async () => {
    const dep = d!;
    const ctx = dep.ctx;
    const created = await newInstance(ctx, { memory_mb: 64, vcpus: 1, root_gb: 1, image_ref: '' });
    await dep.compute.buildAndRunInstance(ctx, hostA, created, { image: { id: null, properties: {} } });
    const a: Instance = await settled(ctx, created.uuid, VmState.ACTIVE, OP_MS);
    expect(a).toMatchObject({ host: hostA, node: hostA, power_state: PowerState.RUNNING });
    expect(qemusOf(a.uuid)).toEqual({ a: 1, b: 0 });

    // A file volume both hosts see at the same path (as a shared volume backend would give).
    const volumePath = join(root, 'vol-1.img');
    const file = await open(volumePath, 'w');
    await file.truncate(16 << 20).finally(() => file.close());
    const bdm = await dep.compute.reserveBlockDeviceName(ctx, a, { volume_id: 'mpq-vol' });
    bdm.connection_info = JSON.stringify({ driver_volume_type: 'file', data: { path: volumePath, volume_id: 'mpq-vol', format: 'raw' }, serial: 'mpq-vol' });
    await bdm.save();
    await dep.compute.attachVolume(ctx, a, bdm);
    const device = bdm.device_name!.replace('/dev/', '');
    await eventually('volume attached on A', () => dep.compute.getInstanceDiagnostics(ctx, a), (diag) => diag.diskDetails.some((x) => x.id === device), OP_MS);

    // The hosts' state paths differ: a block migration, as the scheduler's caller would ask for.
    const migrateData = await dep.compute.checkCanLiveMigrateDestination(ctx, a, hostB, { block_migration: true, disk_over_commit: false });
    expect(migrateData).toMatchObject({ block_migration: true, is_shared_instance_path: false });
    await dep.compute.liveMigration(ctx, a, { dest: hostB, block_migration: true, migrate_data: { ...migrateData } });

    const b = await eventually('instance on B with no task', () => load(ctx, a.uuid), (i) => i.host === hostB && i.task_state === null, 60_000);
    expect(b).toMatchObject({ host: hostB, node: hostB, launched_on: hostB, vm_state: VmState.ACTIVE, task_state: null, power_state: PowerState.RUNNING });
    // The source's cleanup runs after the destination took over: wait for A's process to go.
    await eventually('QEMU only under B', async () => qemusOf(a.uuid), (q) => q.a === 0 && q.b === 1, OP_MS);
    const migration = await eventually('migration completed', () => Migration.getByInstanceAndStatus(ctx, a.uuid, 'completed'), () => true, OP_MS);
    expect(migration).toMatchObject({ source_compute: hostA, dest_compute: hostB });
    expect(existsSync(join(statePath(hostA), a.uuid))).toBe(false);
    expect(existsSync(join(statePath(hostB), a.uuid))).toBe(true);
    const onB = await dep.compute.getInstanceDiagnostics(ctx, b);
    expect(onB.state).toBe('running');
    expect(onB.diskDetails.map((x) => x.id)).toContain(device);
    expect((await BlockDeviceMappingList.getByInstanceUuid(ctx, b.uuid)).volumeBdms().map((x) => x.volume_id)).toEqual(['mpq-vol']);

    await dep.compute.terminateInstance(ctx, b);
    await eventually('deleted', () => load(ctx, b.uuid), (i) => i.deleted, OP_MS);
    expect(qemusOf(b.uuid)).toEqual({ a: 0, b: 0 });
    expect(existsSync(join(statePath(hostB), b.uuid))).toBe(false);
  });
});
