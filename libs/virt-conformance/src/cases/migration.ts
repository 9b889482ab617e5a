import { PowerState } from '@novakit/objects';
import type { ComputeDriver, HostResources } from '@novakit/virt-driver';
import { expect } from 'vitest';
import { CaseEnded, type CaseEnv } from '../harness.js';
import { blockDeviceInfo } from '../test-data.js';
import { expectError, type ConformanceCase } from './case.js';
import { managerCallbacks, preOnDestination, prepareMigration } from './migration-flow.js';

async function usage(d: ComputeDriver): Promise<Pick<HostResources, 'vcpus_used' | 'memory_mb_used' | 'local_gb_used'>> {
  const [node] = await d.getAvailableNodes();
  const { vcpus_used, memory_mb_used, local_gb_used } = await d.getAvailableResource(node!);
  return { vcpus_used, memory_mb_used, local_gb_used };
}

async function isOn(env: CaseEnv, d: ComputeDriver, uuid: string, legacy: Parameters<ComputeDriver['getInfo']>[1]): Promise<boolean> {
  const listed = (await d.listInstanceUuids()).includes(uuid);
  if (!listed) await expectError(d.getInfo(env.ctx, legacy), 'InstanceNotFound', 'get_info on a host without the instance');
  return listed;
}

export const MIGRATION_CASES: readonly ConformanceCase[] = [
  {
    title: 'live-migration checks: destination data, the source decides storage, cleanup; impossible migrations are refused',
    covers: ['checkCanLiveMigrateDestination', 'checkCanLiveMigrateDestinationCleanup', 'checkCanLiveMigrateSource'],
    liveMigration: true,
    async run(env) {
      await env.requires('supportsLiveMigration');
      const m = await prepareMigration(env);
      expect(m.migrateData.is_shared_instance_path ?? false).toBe(m.shared);
      expect(m.migrateData.block_migration ?? m.block).toBe(m.block);
      const src = await env.computeInfo(m.src);
      const dst = await env.computeInfo(m.dst);
      // The opposite storage mode is refused by the source check.
      const wrong = await m.dst.checkCanLiveMigrateDestination(env.ctx, m.ti.legacy, { srcComputeInfo: src, dstComputeInfo: dst, blockMigration: m.shared, diskOverCommit: false });
      await expectError(m.src.checkCanLiveMigrateSource(env.ctx, m.ti.legacy, { destCheckData: { ...wrong, is_volume_backed: false } }), m.shared ? 'InvalidSharedStorage' : 'InvalidLocalStorage');
      await m.dst.checkCanLiveMigrateDestinationCleanup(env.ctx, wrong);
      await m.dst.checkCanLiveMigrateDestinationCleanup(env.ctx, wrong);
      const huge = env.instance({ memoryMb: 1 << 30 });
      await expectError(m.dst.checkCanLiveMigrateDestination(env.ctx, huge.legacy, { srcComputeInfo: src, dstComputeInfo: dst, blockMigration: m.block, diskOverCommit: false }), 'MigrationPreCheckError', 'not enough memory');
      const alien = { ...src, cpu_info: JSON.stringify({ arch: 'novakit-imaginary-arch', model: 'imaginary', vendor: 'nobody', features: [] }) };
      await expectError(m.dst.checkCanLiveMigrateDestination(env.ctx, m.ti.legacy, { srcComputeInfo: alien, dstComputeInfo: dst, blockMigration: m.block, diskOverCommit: false }), 'MigrationPreCheckError', 'incompatible CPU');
    },
  },
  {
    title: 'block migration: refused by the source check with BlockMigrationDisabled without supportsBlockMigration, accepted with it',
    covers: ['checkCanLiveMigrateDestination', 'checkCanLiveMigrateDestinationCleanup', 'checkCanLiveMigrateSource'],
    liveMigration: true,
    async run(env) {
      await env.requires('supportsLiveMigration');
      // Between hosts sharing storage any driver refuses a block migration with InvalidSharedStorage (the case above).
      if (env.expectations.hostsShareStorage) throw new CaseEnded('the hosts share storage');
      const blockMigration = await env.supports('supportsBlockMigration');
      const src = await env.host('a');
      const dst = await env.host('b');
      const ti = env.instance();
      await env.spawn(src, ti);
      const destCheckData = await dst.checkCanLiveMigrateDestination(env.ctx, ti.legacy, {
        srcComputeInfo: await env.computeInfo(src),
        dstComputeInfo: await env.computeInfo(dst),
        blockMigration: true,
        diskOverCommit: false,
      });
      try {
        const check = src.checkCanLiveMigrateSource(env.ctx, ti.legacy, { destCheckData: { ...destCheckData, is_volume_backed: false } });
        if (blockMigration) expect((await check).block_migration ?? true).toBe(true);
        // By name, so the API's `block_migration: auto` asks again without block migration.
        else await expect(check, 'block migration without supportsBlockMigration').rejects.toMatchObject({ name: 'BlockMigrationDisabled', kwargs: { host: env.hostName('a') } });
      } finally {
        await dst.checkCanLiveMigrateDestinationCleanup(env.ctx, destCheckData);
      }
    },
  },
  {
    title: 'live migration between two hosts ends with the instance on the destination only',
    covers: ['preLiveMigration', 'liveMigration', 'postLiveMigration', 'postLiveMigrationAtSource', 'postLiveMigrationAtDestination'],
    liveMigration: true,
    async run(env) {
      await env.requires('supportsLiveMigration');
      const m = await prepareMigration(env, { withVolume: true });
      await env.supports('supportsPostLiveMigrationAtSource');
      const srcBefore = await usage(m.src);
      const data = await preOnDestination(env, m);
      const { log, post, recover } = managerCallbacks(env, m);
      const dest = env.hostName('b');
      await m.src.liveMigration(env.ctx, m.ti.legacy, { dest, postMethod: post, recoverMethod: recover, blockMigration: m.block, migrateData: data, onProgress: (p) => log.progress.push(p) });
      expect(log.recover, 'recover not called').toHaveLength(0);
      expect(log.post, 'post called once').toHaveLength(1);
      expect(log.post[0]).toEqual([env.ctx, m.ti.legacy, dest, m.block, data]);
      expect(log.destinationStateAtPost, 'running on the destination when postMethod is called').toBe(PowerState.RUNNING);
      expect(log.progress.length, 'progress reported').toBeGreaterThan(0);
      for (const p of log.progress) expect(p.transferredBytes + p.remainingBytes).toBe(p.totalBytes);
      for (let i = 1; i < log.progress.length; i++) expect(log.progress[i]!.transferredBytes).toBeGreaterThanOrEqual(log.progress[i - 1]!.transferredBytes);

      expect(await isOn(env, m.dst, m.ti.uuid, m.ti.legacy), 'on the destination').toBe(true);
      expect(await isOn(env, m.src, m.ti.uuid, m.ti.legacy), 'not on the source').toBe(false);
      expect((await m.dst.getInfo(env.ctx, m.ti.legacy)).state).toBe(PowerState.RUNNING);
      if (m.volumes.length && m.dst.capabilities.supportsDiagnostics) {
        const ids = (await m.dst.getInstanceDiagnostics(env.ctx, m.ti.instance)).diskDetails.map((d) => d.id.replace(/^\/dev\//, ''));
        expect(ids, 'the volume came along').toContain(m.volumes[0]!.mountDevice.replace(/^\/dev\//, ''));
      }
      if (env.expectations.resourceAccounting === 'exact') {
        const after = await usage(m.src);
        expect(after.vcpus_used).toBe(srcBefore.vcpus_used - 1);
        expect(after.memory_mb_used).toBe(srcBefore.memory_mb_used - 64);
      }
      await m.src.postLiveMigration(env.ctx, m.ti.legacy, { blockDeviceInfo: blockDeviceInfo(m.volumes), migrateData: data });
      await m.dst.powerOff(m.ti.instance, { timeoutSeconds: 0 });
      expect((await m.dst.getInfo(env.ctx, m.ti.legacy)).state, 'the destination drives it now').toBe(PowerState.SHUTDOWN);
    },
  },
  {
    title: 'a failed live migration calls recover and leaves the instance running on the source',
    covers: ['liveMigration', 'rollbackLiveMigrationAtDestination'],
    liveMigration: true,
    async run(env) {
      await env.requires('supportsLiveMigration');
      const m = await prepareMigration(env);
      const dstBefore = await usage(m.dst);
      const data = await preOnDestination(env, m);
      const { log, post, recover } = managerCallbacks(env, m);
      const bdi = blockDeviceInfo(m.volumes);
      // The destination gives up before the stream starts: its receiver is gone.
      await m.dst.rollbackLiveMigrationAtDestination(env.ctx, m.ti.legacy, { networkInfo: m.ti.networkInfo, blockDeviceInfo: bdi, destroyDisks: !m.shared, migrateData: data });
      const dest = env.hostName('b');
      await m.src.liveMigration(env.ctx, m.ti.legacy, { dest, postMethod: post, recoverMethod: recover, blockMigration: m.block, migrateData: data });
      expect(log.post, 'post not called').toHaveLength(0);
      expect(log.recover, 'recover called once').toHaveLength(1);
      expect(log.recover[0]).toEqual([env.ctx, m.ti.legacy, dest, m.block, data]);
      expect(await isOn(env, m.src, m.ti.uuid, m.ti.legacy), 'still on the source').toBe(true);
      expect((await m.src.getInfo(env.ctx, m.ti.legacy)).state).toBe(PowerState.RUNNING);
      expect(await isOn(env, m.dst, m.ti.uuid, m.ti.legacy), 'not on the destination').toBe(false);
      if (env.expectations.resourceAccounting === 'exact') expect(await usage(m.dst)).toEqual(dstBefore);
    },
  },
  {
    title: 'rollback at the destination undoes pre_live_migration, twice, and accepts an unknown instance',
    covers: ['rollbackLiveMigrationAtDestination', 'preLiveMigration'],
    liveMigration: true,
    async run(env) {
      await env.requires('supportsLiveMigration');
      const m = await prepareMigration(env);
      const dstBefore = await usage(m.dst);
      const data = await preOnDestination(env, m);
      const plugged = env.inspector.pluggedVifs;
      const vifId = m.ti.networkInfo[0]!.id!;
      if (plugged) expect(await plugged(env.raw(m.dst), m.ti.uuid), 'pre_live_migration plugs VIFs').toContain(vifId);
      const args = { networkInfo: m.ti.networkInfo, blockDeviceInfo: blockDeviceInfo(m.volumes), destroyDisks: !m.shared, migrateData: data };
      await m.dst.rollbackLiveMigrationAtDestination(env.ctx, m.ti.legacy, args);
      await m.dst.rollbackLiveMigrationAtDestination(env.ctx, m.ti.legacy, args);
      if (plugged) expect(await plugged(env.raw(m.dst), m.ti.uuid), 'rollback unplugs VIFs').not.toContain(vifId);
      if (env.inspector.isFiltered) expect(await env.inspector.isFiltered(env.raw(m.dst), m.ti.uuid), 'rollback removes filtering').toBe(false);
      expect(await m.dst.listInstanceUuids()).not.toContain(m.ti.uuid);
      if (env.expectations.resourceAccounting === 'exact') expect(await usage(m.dst)).toEqual(dstBefore);
      const unknown = env.instance();
      await m.dst.rollbackLiveMigrationAtDestination(env.ctx, unknown.legacy, { ...args, networkInfo: unknown.networkInfo, migrateData: null });
      expect((await m.src.getInfo(env.ctx, m.ti.legacy)).state, 'the source is untouched').toBe(PowerState.RUNNING);
    },
  },
  {
    title: 'shared storage: the probe is seen by this host, by the peer only when storage is shared, and cleaned up',
    covers: ['checkInstanceSharedStorageLocal', 'checkInstanceSharedStorageRemote', 'checkInstanceSharedStorageCleanup'],
    async run(env) {
      await env.requires('supportsSharedStorageCheck');
      const a = await env.host('a');
      const b = await env.host('b');
      const ti = env.instance();
      await env.spawn(a, ti);
      const probe = await a.checkInstanceSharedStorageLocal(env.ctx, ti.legacy);
      expect(probe, 'a driver with supportsSharedStorageCheck can tell').not.toBeNull();
      expect(await a.checkInstanceSharedStorageRemote(env.ctx, probe!), 'the host sees its own probe').toBe(true);
      expect(await b.checkInstanceSharedStorageRemote(env.ctx, probe!)).toBe(env.expectations.hostsShareStorage);
      await a.checkInstanceSharedStorageCleanup(env.ctx, probe!);
      await a.checkInstanceSharedStorageCleanup(env.ctx, probe!);
      expect(await a.checkInstanceSharedStorageRemote(env.ctx, probe!), 'gone after cleanup').toBe(false);
    },
  },
];
