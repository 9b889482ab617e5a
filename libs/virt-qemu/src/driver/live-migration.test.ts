import { existsSync } from 'node:fs';
import { PowerState } from '@novakit/objects';
import { blockDeviceInfo, createTestInstance, FakeVirtAPI, type TestInstance } from '@novakit/virt-conformance';
import type { LifecycleEvent, LiveMigrationCallback, MigrateData, MigrationProgress } from '@novakit/virt-driver';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeQemuDriver, type FakeQemuDriverHandle } from '../testing/fake-driver.js';
import { FakeQemu } from '../testing/fake-qemu.js';
import type { QemuDriver } from './qemu-driver.js';

const virtapi = FakeVirtAPI.create();
const ctx = virtapi.context();
const none = blockDeviceInfo();

const handles: FakeQemuDriverHandle[] = [];
afterEach(() => {
  for (const h of handles.splice(0)) h.dispose();
});

interface Hosts {
  src: FakeQemuDriverHandle;
  dst: FakeQemuDriverHandle;
  qemu: FakeQemu;
  events: LifecycleEvent[];
}

async function hosts(opts: { shared?: boolean; steps?: number } = {}): Promise<Hosts> {
  const qemu = new FakeQemu();
  qemu.vmOptions = { migrationSteps: opts.steps ?? 4, migrationStepMs: 5 };
  const src = createFakeQemuDriver({ host: 'src', virtapi: virtapi.forHost('src'), qemu });
  const dst = createFakeQemuDriver({ host: 'dst', virtapi: virtapi.forHost('dst'), qemu, ...(opts.shared ? { statePath: src.statePath } : {}) });
  handles.push(dst, src);
  const events: LifecycleEvent[] = [];
  for (const h of [src, dst]) {
    h.driver.registerEventListener((e) => events.push(e));
    await h.driver.initHost(h.driver.qemuHost.hostName);
  }
  return { src, dst, qemu, events };
}

async function spawn(driver: QemuDriver): Promise<TestInstance> {
  const ti = createTestInstance({ ctx, host: 'src' });
  virtapi.addInstance(ti.instance);
  await driver.spawn(ctx, ti.instance, { imageMeta: { id: null, properties: {} }, networkInfo: ti.networkInfo, blockDeviceInfo: none });
  return ti;
}

/** The manager's flow at Juno: checks, pre on the destination, the transfer with post or rollback. */
async function migrate(h: Hosts, ti: TestInstance, opts: { block: boolean; beforeTransfer?: (data: MigrateData) => Promise<void>; onProgress?: (p: MigrationProgress) => void }) {
  const info = async (d: QemuDriver) => ({ ...(await d.getAvailableResource(d.qemuHost.hostName)) });
  const check = await h.dst.driver.checkCanLiveMigrateDestination(ctx, ti.legacy, { srcComputeInfo: await info(h.src.driver), dstComputeInfo: await info(h.dst.driver), blockMigration: opts.block, diskOverCommit: false });
  const migrateData = await h.src.driver.checkCanLiveMigrateSource(ctx, ti.legacy, { destCheckData: check });
  await h.dst.driver.checkCanLiveMigrateDestinationCleanup(ctx, check);
  const pre = await h.dst.driver.preLiveMigration(ctx, ti.legacy, { blockDeviceInfo: none, networkInfo: ti.networkInfo, diskInfo: null, migrateData });
  const data = { ...migrateData, ...pre, pre_live_migration_result: pre };
  await opts.beforeTransfer?.(data);
  const calls = { post: [] as unknown[][], recover: [] as unknown[][], progress: [] as MigrationProgress[] };
  const net = { networkInfo: ti.networkInfo };
  const post: LiveMigrationCallback = async (c, instance, dest, block, md) => {
    calls.post.push([dest, block]);
    await h.src.driver.postLiveMigration(c, instance, { blockDeviceInfo: none, migrateData: md });
    await h.src.driver.postLiveMigrationAtSource(c, ti.instance, net);
    await h.dst.driver.postLiveMigrationAtDestination(c, ti.instance, { ...net, blockMigration: block, blockDeviceInfo: none });
    if (block || md.is_shared_instance_path !== true) await h.src.driver.cleanup(c, instance, { ...net, blockDeviceInfo: none, destroyDisks: md.is_shared_block_storage !== true, destroyVifs: false, migrateData: md });
  };
  const recover: LiveMigrationCallback = async (c, instance, dest, block, md) => {
    calls.recover.push([dest, block]);
    await h.dst.driver.rollbackLiveMigrationAtDestination(c, instance, { ...net, blockDeviceInfo: none, destroyDisks: md.is_shared_block_storage !== true, migrateData: md });
  };
  await h.src.driver.liveMigration(ctx, ti.legacy, {
    dest: 'dst',
    postMethod: post,
    recoverMethod: recover,
    blockMigration: opts.block,
    migrateData: data,
    onProgress: (p) => {
      calls.progress.push(p);
      opts.onProgress?.(p);
    },
  });
  return { ...calls, data };
}

const transitionsOf = (h: Hosts, ti: TestInstance) => h.events.filter((e) => e.instanceUuid === ti.uuid).map((e) => e.transition);

describe('QemuDriver live migration (fake QEMU)', () => {
  it('block-migrates to a host without shared storage: progress, post once, the destination owns it', async () => {
    const h = await hosts();
    const ti = await spawn(h.src.driver);
    const srcDir = h.src.driver.qemuHost.instanceDir(ti.uuid).path;
    const out = await migrate(h, ti, { block: true });
    expect(out.data).toMatchObject({ block_migration: true, is_shared_instance_path: false, migration_uri: expect.stringMatching(/^tcp:127\.0\.0\.1:/), qemu_nbd: { host: '127.0.0.1' } });
    expect(out.post).toEqual([['dst', true]]);
    expect(out.recover).toEqual([]);
    expect(out.progress.length).toBeGreaterThan(0);
    for (const p of out.progress) expect(p.transferredBytes + p.remainingBytes).toBe(p.totalBytes);
    expect(await h.src.driver.listInstanceUuids()).toEqual([]);
    await expect(h.src.driver.getInfo(ctx, ti.legacy)).rejects.toMatchObject({ name: 'InstanceNotFound' });
    expect(existsSync(srcDir)).toBe(false);
    expect(await h.dst.driver.listInstanceUuids()).toEqual([ti.uuid]);
    expect((await h.dst.driver.getInfo(ctx, ti.legacy)).state).toBe(PowerState.RUNNING);
    expect(transitionsOf(h, ti)).toEqual(['started', 'resumed', 'stopped']);
    await h.src.driver.postLiveMigration(ctx, ti.legacy, { blockDeviceInfo: none, migrateData: out.data });
    await h.dst.driver.powerOff(ti.instance, { timeoutSeconds: 0 });
    expect((await h.dst.driver.getInfo(ctx, ti.legacy)).state).toBe(PowerState.SHUTDOWN);
  });

  it('migrates over a shared instance path without copying disks; the record changes owner', async () => {
    const h = await hosts({ shared: true });
    const ti = await spawn(h.src.driver);
    await expect(migrate(h, ti, { block: true })).rejects.toMatchObject({ name: 'InvalidSharedStorage' });
    const out = await migrate(h, ti, { block: false });
    expect(out.data).toMatchObject({ is_shared_instance_path: true, qemu_nbd: null });
    expect(out.post).toHaveLength(1);
    expect(await h.src.driver.listInstanceUuids()).toEqual([]);
    expect(await h.dst.driver.listInstanceUuids()).toEqual([ti.uuid]);
    expect((await h.dst.driver.getInfo(ctx, ti.legacy)).state).toBe(PowerState.RUNNING);
  });

  it('refuses a migration without block migration when storage is not shared, and a destination short of memory', async () => {
    const h = await hosts();
    const ti = await spawn(h.src.driver);
    await expect(migrate(h, ti, { block: false })).rejects.toMatchObject({ name: 'InvalidLocalStorage' });
    const huge = createTestInstance({ ctx, memoryMb: 1 << 30 });
    const info = { ...(await h.src.driver.getAvailableResource('src')) };
    await expect(h.dst.driver.checkCanLiveMigrateDestination(ctx, huge.legacy, { srcComputeInfo: info, dstComputeInfo: info, blockMigration: true, diskOverCommit: false })).rejects.toMatchObject({
      name: 'MigrationPreCheckError',
    });
    const kvm = { ...info, cpu_info: JSON.stringify({ ...JSON.parse(info.cpu_info), accel: 'kvm' }) };
    await expect(h.dst.driver.checkCanLiveMigrateDestination(ctx, ti.legacy, { srcComputeInfo: kvm, dstComputeInfo: info, blockMigration: true, diskOverCommit: false })).rejects.toMatchObject({
      name: 'MigrationPreCheckError',
    });
  });

  it('a destination killed mid-migration: recover once, the source keeps running, the destination is cleaned', async () => {
    const h = await hosts({ steps: 50 });
    const ti = await spawn(h.src.driver);
    let destPid: number | undefined;
    let killed = false;
    const out = await migrate(h, ti, {
      block: true,
      beforeTransfer: async () => {
        destPid = h.dst.driver.qemuHost.instanceDir(ti.uuid).readPid();
      },
      onProgress: () => {
        if (!killed && destPid !== undefined) {
          killed = true;
          h.qemu.signal(destPid, 'SIGKILL');
        }
      },
    });
    expect(killed).toBe(true);
    expect(out.post).toEqual([]);
    expect(out.recover).toEqual([['dst', true]]);
    expect((await h.src.driver.getInfo(ctx, ti.legacy)).state).toBe(PowerState.RUNNING);
    expect(await h.dst.driver.listInstanceUuids()).toEqual([]);
    expect(existsSync(h.dst.driver.qemuHost.instanceDir(ti.uuid).path)).toBe(false);
    expect(transitionsOf(h, ti)).toEqual(['started']);
  });

  it('rollback at the destination kills the receiver and removes its files, also after a restart, and accepts an unknown instance', async () => {
    const h = await hosts();
    const ti = await spawn(h.src.driver);
    let receiver: number | undefined;
    const out = await migrate(h, ti, {
      block: true,
      beforeTransfer: async (data) => {
        receiver = h.dst.driver.qemuHost.instanceDir(ti.uuid).readPid();
        expect(h.qemu.isAlive(receiver!)).toBe(true);
        // The destination gives up before the stream starts.
        await h.dst.driver.rollbackLiveMigrationAtDestination(ctx, ti.legacy, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: true, migrateData: data });
      },
    });
    expect(h.qemu.isAlive(receiver!)).toBe(false);
    expect(out.recover).toHaveLength(1);
    expect((await h.src.driver.getInfo(ctx, ti.legacy)).state).toBe(PowerState.RUNNING);

    // A receiver the destination lost track of (its compute restarted) is found by its files.
    const again = await hosts();
    const other = await spawn(again.src.driver);
    const info = { ...(await again.src.driver.getAvailableResource('src')) };
    const check = await again.dst.driver.checkCanLiveMigrateDestination(ctx, other.legacy, { srcComputeInfo: info, dstComputeInfo: info, blockMigration: true, diskOverCommit: false });
    const data = await again.src.driver.checkCanLiveMigrateSource(ctx, other.legacy, { destCheckData: check });
    await again.dst.driver.preLiveMigration(ctx, other.legacy, { blockDeviceInfo: none, networkInfo: other.networkInfo, diskInfo: null, migrateData: data });
    const pid = again.dst.driver.qemuHost.instanceDir(other.uuid).readPid()!;
    await again.dst.driver.cleanupHost('dst');
    const restarted = createFakeQemuDriver({ host: 'dst', virtapi, qemu: again.qemu, statePath: again.dst.statePath });
    handles.push(restarted);
    await restarted.driver.initHost('dst');
    await restarted.driver.rollbackLiveMigrationAtDestination(ctx, other.legacy, { networkInfo: other.networkInfo, blockDeviceInfo: none, destroyDisks: true, migrateData: data });
    expect(again.qemu.isAlive(pid)).toBe(false);
    expect(existsSync(restarted.driver.qemuHost.instanceDir(other.uuid).path)).toBe(false);
    const unknown = createTestInstance({ ctx });
    await restarted.driver.rollbackLiveMigrationAtDestination(ctx, unknown.legacy, { networkInfo: unknown.networkInfo, blockDeviceInfo: none, destroyDisks: true, migrateData: null });
  });

  it('calls recover when pre_live_migration left no endpoint', async () => {
    const h = await hosts();
    const ti = await spawn(h.src.driver);
    let post = 0;
    let recover = 0;
    await h.src.driver.liveMigration(ctx, ti.legacy, {
      dest: 'dst',
      postMethod: async () => void post++,
      recoverMethod: async () => void recover++,
      blockMigration: true,
      migrateData: {},
    });
    expect([post, recover]).toEqual([0, 1]);
    expect((await h.src.driver.getInfo(ctx, ti.legacy)).state).toBe(PowerState.RUNNING);
  });
});
