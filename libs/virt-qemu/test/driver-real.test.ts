// The driver against real QEMU where the conformance suite does not reach: a destination killed
// mid-migration, migration over a shared instance path with a configured port range, and a
// compute restart (a new driver over the same state path).
import { PowerState } from '@novakit/objects';
import { blockDeviceInfo, createTestInstance, FakeVirtAPI, type TestInstance } from '@novakit/virt-conformance';
import type { LifecycleEvent, LiveMigrationCallback, MigrateData, MigrationProgress } from '@novakit/virt-driver';
import { afterAll, expect, it } from 'vitest';
import { procfsProcesses, QemuDriver, type QemuDriverOptions } from '../src/index.js';
import { describeWithQemu, killStrayQemus, RealHosts, TEST_TIMEOUTS } from './real-qemu.js';

const hosts = new RealHosts();
const drivers: QemuDriver[] = [];
afterAll(async () => {
  for (const d of drivers) {
    for (const uuid of await d.listInstanceUuids().catch(() => [])) {
      await d.destroy(ctx, { uuid, name: uuid } as TestInstance['legacy'], { networkInfo: [], blockDeviceInfo: none, destroyDisks: true }).catch(() => {});
    }
    await d.cleanupHost(d.qemuHost.hostName);
  }
  await hosts.dispose();
  killStrayQemus('vq-real-');
});

const virtapi = FakeVirtAPI.create();
const ctx = virtapi.context();
const none = blockDeviceInfo();

async function driver(host: string, options: Partial<QemuDriverOptions> = {}): Promise<QemuDriver> {
  const d = new QemuDriver({
    host,
    virtapi: virtapi.forHost(host),
    statePath: options.statePath ?? hosts.tempDir(),
    hostIp: '127.0.0.1',
    softRebootTimeoutS: 0.3,
    cleanShutdownTimeoutS: 0.3,
    timeouts: TEST_TIMEOUTS,
    ...options,
    migration: { bindAddress: '127.0.0.1', timeoutS: 60, ...options.migration },
  });
  drivers.push(d);
  await d.initHost(host);
  return d;
}

async function spawn(d: QemuDriver): Promise<TestInstance> {
  const ti = createTestInstance({ ctx, memoryMb: 64, rootGb: 1 });
  virtapi.addInstance(ti.instance);
  await d.spawn(ctx, ti.instance, { imageMeta: { id: null, properties: {} }, networkInfo: ti.networkInfo, blockDeviceInfo: none });
  return ti;
}

async function migrateData(src: QemuDriver, dst: QemuDriver, ti: TestInstance, block: boolean): Promise<MigrateData> {
  const info = async (d: QemuDriver) => ({ ...(await d.getAvailableResource(d.qemuHost.hostName)) });
  const check = await dst.checkCanLiveMigrateDestination(ctx, ti.legacy, { srcComputeInfo: await info(src), dstComputeInfo: await info(dst), blockMigration: block, diskOverCommit: false });
  try {
    const data = await src.checkCanLiveMigrateSource(ctx, ti.legacy, { destCheckData: check });
    const pre = await dst.preLiveMigration(ctx, ti.legacy, { blockDeviceInfo: none, networkInfo: ti.networkInfo, diskInfo: null, migrateData: data });
    return { ...data, ...pre, pre_live_migration_result: pre };
  } finally {
    await dst.checkCanLiveMigrateDestinationCleanup(ctx, check);
  }
}

describeWithQemu('QemuDriver on real QEMU', () => {
  it('a destination killed mid-migration: recover is called once and the source keeps running', { timeout: 60_000 }, async () => {
    // A slow link keeps the stream in flight long enough to lose the destination.
    const src = await driver('real-src', { migration: { maxBandwidthMib: 0.25 } });
    const dst = await driver('real-dst');
    const ti = await spawn(src);
    const data = await migrateData(src, dst, ti, true);
    const receiver = dst.qemuHost.instanceDir(ti.uuid).readPid()!;
    const calls = { post: 0, recover: [] as unknown[][] };
    const post: LiveMigrationCallback = async () => void calls.post++;
    const recover: LiveMigrationCallback = async (c, instance, dest, block, md) => {
      calls.recover.push([dest, block]);
      await dst.rollbackLiveMigrationAtDestination(c, instance, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: true, migrateData: md });
    };
    let killed = false;
    const onProgress = (_p: MigrationProgress) => {
      if (!killed) {
        killed = true;
        process.kill(receiver, 'SIGKILL');
      }
    };
    await src.liveMigration(ctx, ti.legacy, { dest: 'real-dst', postMethod: post, recoverMethod: recover, blockMigration: true, migrateData: data, onProgress });
    expect(killed).toBe(true);
    expect(calls).toEqual({ post: 0, recover: [['real-dst', true]] });
    expect((await src.getInfo(ctx, ti.legacy)).state).toBe(PowerState.RUNNING);
    expect(await dst.listInstanceUuids()).toEqual([]);
    expect(procfsProcesses.isAlive(receiver)).toBe(false);
    await src.destroy(ctx, ti.legacy, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: true });
  });

  it('migrates over a shared instance path on ports of the configured range', { timeout: 60_000 }, async () => {
    const statePath = hosts.tempDir();
    const src = await driver('real-a', { statePath });
    const dst = await driver('real-b', { statePath, migration: { portRange: { min: 49_400, max: 49_430 } } });
    const ti = await spawn(src);
    const data = await migrateData(src, dst, ti, false);
    expect(data).toMatchObject({ is_shared_instance_path: true, qemu_nbd: null });
    const port = Number(String(data.migration_uri).split(':').at(-1));
    expect(port).toBeGreaterThanOrEqual(49_400);
    expect(port).toBeLessThanOrEqual(49_430);
    let post = 0;
    const postMethod: LiveMigrationCallback = async (c, instance, _dest, block, md) => {
      post++;
      expect((await dst.getInfo(c, instance)).state, 'already running on the destination').toBe(PowerState.RUNNING);
      await src.postLiveMigration(c, instance, { blockDeviceInfo: none, migrateData: md });
      await dst.postLiveMigrationAtDestination(c, ti.instance, { networkInfo: ti.networkInfo, blockMigration: block, blockDeviceInfo: none });
    };
    await src.liveMigration(ctx, ti.legacy, { dest: 'real-b', postMethod, recoverMethod: async () => {}, blockMigration: false, migrateData: data });
    expect(post).toBe(1);
    expect(await src.listInstanceUuids()).toEqual([]);
    expect(await dst.listInstanceUuids()).toEqual([ti.uuid]);
    expect((await dst.getInfo(ctx, ti.legacy)).state).toBe(PowerState.RUNNING);
    await dst.destroy(ctx, ti.legacy, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: true });
  });

  it('a new driver over the same state path finds the running guests, reports them and can destroy them', { timeout: 60_000 }, async () => {
    const statePath = hosts.tempDir();
    const first = await driver('real-r', { statePath });
    const [running, paused, off] = [await spawn(first), await spawn(first), await spawn(first)];
    await first.pause(paused.instance);
    await first.powerOff(off.instance, { timeoutSeconds: 0 });
    const pids = [running, paused].map((ti) => first.qemuHost.instanceDir(ti.uuid).readPid()!);
    await first.cleanupHost('real-r');

    const second = await driver('real-r', { statePath });
    const events: LifecycleEvent[] = [];
    second.registerEventListener((e) => events.push(e));
    expect((await second.listInstanceUuids()).sort()).toEqual([running.uuid, paused.uuid, off.uuid].sort());
    expect((await second.listInstances()).sort()).toEqual([running.name, paused.name, off.name].sort());
    expect(await second.getInfo(ctx, running.legacy)).toMatchObject({ state: PowerState.RUNNING, maxMemKb: 64 * 1024, id: String(pids[0]) });
    expect((await second.getInfo(ctx, paused.legacy)).state).toBe(PowerState.PAUSED);
    expect((await second.getInfo(ctx, off.legacy)).state).toBe(PowerState.SHUTDOWN);
    await second.unpause(paused.instance);
    // A QEMU killed behind the driver's back is reported by the new driver's monitor watch.
    process.kill(pids[0]!, 'SIGKILL');
    await expect.poll(() => events.filter((e) => e.instanceUuid === running.uuid).map((e) => e.transition), { timeout: 10_000 }).toEqual(['stopped']);
    expect((await second.getInfo(ctx, running.legacy)).state).toBe(PowerState.CRASHED);
    for (const ti of [running, paused, off]) await second.destroy(ctx, ti.legacy, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: true });
    for (const pid of pids) expect(procfsProcesses.isAlive(pid)).toBe(false);
    expect(await second.listInstanceUuids()).toEqual([]);
  });
});
