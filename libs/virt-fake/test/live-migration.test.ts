import { MigrationError, PowerState } from '@novakit/virt-driver';
import { describe, expect, it } from 'vitest';
import { FakeDriver, FakeHypervisorNetwork, type FakeDriverOptions } from '../src/index.js';
import { checks, ctx, migrate, none, spawn, virtapi } from './helpers.js';

function hosts(src: Partial<FakeDriverOptions> = {}, dst: Partial<FakeDriverOptions> = {}) {
  const network = new FakeHypervisorNetwork();
  return [new FakeDriver({ host: 'src', virtapi, network, ...src }), new FakeDriver({ host: 'dst', virtapi, network, ...dst })] as const;
}

const on = (d: FakeDriver, uuid: string) => d.hypervisor.guests.has(uuid);

describe('live migration between fake hosts', () => {
  it('block migration moves the guest, its disk and its memory accounting to the destination', async () => {
    const [src, dst] = hosts();
    const ti = await spawn(src, { rootGb: 4, memoryMb: 256 });
    const outcome = await migrate(src, dst, ti);
    expect(outcome).toMatchObject({ post: 1, recover: 0 });
    expect(outcome.progress).toHaveLength(4);
    expect(outcome.progress.at(-1)).toMatchObject({ remainingBytes: 0, totalBytes: (256 + 4 * 1024) * 1024 * 1024 });
    expect([on(src, ti.uuid), on(dst, ti.uuid)]).toEqual([false, true]);
    expect(dst.hypervisor.guests.get(ti.uuid)!.power).toBe(PowerState.RUNNING);
    expect(await src.getAvailableResource('src')).toMatchObject({ memory_mb_used: 0, local_gb_used: 0 });
    expect(await dst.getAvailableResource('dst')).toMatchObject({ memory_mb_used: 256, local_gb_used: 4 });
    expect(src.hypervisor.vifs.has(ti.uuid)).toBe(false);
    expect([...dst.hypervisor.vifs.get(ti.uuid)!]).toEqual([ti.networkInfo[0]!.id]);
  });

  it('on shared storage the disk stays where it is and the source check refuses block migration', async () => {
    const [src, dst] = hosts({ storage: 'nfs-1' }, { storage: 'nfs-1' });
    const ti = await spawn(src, { rootGb: 4 });
    await expect(checks(src, dst, ti, true)).rejects.toMatchObject({ name: 'InvalidSharedStorage' });
    const data = await checks(src, dst, ti, false);
    expect(data).toMatchObject({ is_shared_instance_path: true, is_shared_block_storage: true, block_migration: false });
    const outcome = await migrate(src, dst, ti, { blockMigration: false });
    expect(outcome.post).toBe(1);
    expect(outcome.progress.at(-1)!.totalBytes).toBe(64 * 1024 * 1024);
    expect(on(dst, ti.uuid)).toBe(true);
    expect((await dst.getAvailableResource('dst')).local_gb_used).toBe(4);
    const probe = await src.checkInstanceSharedStorageLocal(ctx, ti.legacy);
    expect(await dst.checkInstanceSharedStorageRemote(ctx, probe!)).toBe(true);
  });

  it('a host without block migration refuses it by name, not with a generic pre-check error', async () => {
    const [src, dst] = hosts({ disabledCapabilities: ['supportsBlockMigration'] });
    const ti = await spawn(src);
    await expect(checks(src, dst, ti, true)).rejects.toMatchObject({ name: 'BlockMigrationDisabled', kwargs: { host: 'src' } });
  });

  it('fails at "pre": pre_live_migration throws MigrationError and leaves nothing on the destination', async () => {
    const [src, dst] = hosts({}, { liveMigration: { failure: { stage: 'pre', times: 1 } } });
    const ti = await spawn(src);
    const e = await migrate(src, dst, ti).catch((x) => x);
    expect(e).toBeInstanceOf(MigrationError);
    expect(dst.hypervisor.incoming.size + dst.hypervisor.vifs.size + dst.hypervisor.storage.disks.size).toBe(0);
    expect(on(src, ti.uuid)).toBe(true);
    expect((await migrate(src, dst, ti)).post).toBe(1);
  });

  it('fails during the transfer after N progress reports: recover is called, the guest keeps running on the source', async () => {
    const [src, dst] = hosts({ liveMigration: { progressSteps: 5, failure: { stage: 'transfer', afterProgressReports: 2 } } });
    const ti = await spawn(src, { rootGb: 2 });
    const outcome = await migrate(src, dst, ti);
    expect(outcome).toMatchObject({ post: 0, recover: 1 });
    expect(outcome.progress).toHaveLength(2);
    expect(src.hypervisor.guests.get(ti.uuid)!.power).toBe(PowerState.RUNNING);
    expect(on(dst, ti.uuid)).toBe(false);
    expect(await dst.getAvailableResource('dst')).toMatchObject({ memory_mb_used: 0, local_gb_used: 0 });
  });

  it('fails at the switchover when the failure comes after the last progress report', async () => {
    const [src, dst] = hosts({ liveMigration: { progressSteps: 3, failure: { stage: 'transfer', afterProgressReports: 3 } } });
    const ti = await spawn(src);
    const outcome = await migrate(src, dst, ti);
    expect(outcome).toMatchObject({ post: 0, recover: 1 });
    expect(outcome.progress).toHaveLength(3);
    expect(on(src, ti.uuid)).toBe(true);
  });

  it('fails at "post": the guest already runs on the destination and the manager gets MigrationError', async () => {
    const [src, dst] = hosts({}, { liveMigration: { failure: { stage: 'post' } } });
    const ti = await spawn(src);
    await expect(migrate(src, dst, ti)).rejects.toMatchObject({ name: 'MigrationError' });
    expect([on(src, ti.uuid), on(dst, ti.uuid)]).toEqual([false, true]);
  });

  it('without a receiver on the destination (no pre, unknown host) the transfer recovers', async () => {
    const [src, dst] = hosts();
    const ti = await spawn(src);
    expect(await migrate(src, dst, ti, { skipPre: true })).toMatchObject({ post: 0, recover: 1, progress: [] });
    let recovered = 0;
    await src.liveMigration(ctx, ti.legacy, { dest: 'nowhere', postMethod: async () => {}, recoverMethod: async () => void recovered++, blockMigration: true, migrateData: {} });
    expect(recovered).toBe(1);
    expect(on(src, ti.uuid)).toBe(true);
  });

  it('a slow link delays each progress report', async () => {
    const [src, dst] = hosts({ liveMigration: { progressSteps: 2, stepDelayMs: 5 } });
    const ti = await spawn(src);
    expect((await migrate(src, dst, ti)).progress).toHaveLength(2);
  });

  it('refuses a source whose CPU has features the destination lacks', async () => {
    const [src, dst] = hosts({ cpu: { arch: 'x86_64', model: 'new', vendor: 'v', features: ['avx512'] } });
    const ti = await spawn(src);
    await expect(checks(src, dst, ti, true)).rejects.toMatchObject({ name: 'MigrationPreCheckError', message: expect.stringContaining('avx512') });
  });

  it('pre_live_migration refuses an instance that already runs on the destination', async () => {
    const [src, dst] = hosts();
    const ti = await spawn(dst);
    await expect(dst.preLiveMigration(ctx, ti.legacy, { blockDeviceInfo: none, networkInfo: ti.networkInfo, diskInfo: null, migrateData: {} })).rejects.toBeInstanceOf(MigrationError);
    expect(src.hypervisor.incoming.size).toBe(0);
  });
});
