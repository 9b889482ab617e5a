import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import {
  abortIncoming,
  attachVolume,
  createMigrationTarget,
  finishIncoming,
  migrateLive,
  prepareIncoming,
  procfsProcesses,
  QemuImg,
  type MigrationProgress,
} from '../src/index.js';
import { runCommand } from '../src/host/run-command.js';
import { describeWithQemu, RealHosts, uuid } from './real-qemu.js';

const hosts = new RealHosts();
afterAll(() => hosts.dispose());

const spec = (n: number) => ({ uuid: uuid(n), name: `instance-${n}`, memoryMb: 64, vcpus: 1, nics: [{ mac: '52:54:00:00:01:01' }] });

describeWithQemu('real QEMU: live migration over 127.0.0.1', () => {
  it('migrates on shared storage; the destination takes the instance over', { timeout: 60_000 }, async () => {
    const statePath = hosts.tempDir();
    const src = hosts.host({ hostName: 'src', statePath });
    const dst = hosts.host({ hostName: 'dst', statePath });
    const guest = await src.createGuest(spec(21), { sizeBytes: 16 << 20 });
    await guest.start();
    const target = await createMigrationTarget(dst, guest.record, { sharedStorage: true });
    const endpoint = await prepareIncoming(target);
    const progress: MigrationProgress[] = [];
    const result = await migrateLive(guest, { endpoint, onProgress: (p) => progress.push(p) });
    expect(result.blockMigrated).toBe(false);
    expect(result.transferredBytes).toBeGreaterThan(0);
    expect(progress.at(-1)?.status).toBe('completed');
    await finishIncoming(target);
    expect((await target.guest.state()).power).toBe('running');
    expect((await guest.state()).qemuStatus).toBe('postmigrate');
    await guest.cleanup({ keepDisks: true }); // the disk is the destination's now
    expect(await src.listRecords()).toEqual([]);
    expect((await dst.listRecords()).map((r) => r.host)).toEqual(['dst']);
    await (await dst.guest(guest.uuid)).cleanup();
  });

  it('block-migrates the root disk to a host without shared storage, volumes included', { timeout: 60_000 }, async () => {
    const src = hosts.host({ hostName: 'src' });
    const dst = hosts.host({ hostName: 'dst' });
    const images = new QemuImg();
    const volume = join(hosts.tempDir('vq-vols-'), 'v.qcow2');
    await images.createQcow2(volume, { sizeBytes: 16 << 20 });
    const guest = await src.createGuest(spec(22), { sizeBytes: 32 << 20 });
    await runCommand('qemu-io', ['-c', 'write -P 0x5a 1M 2M', guest.dir.disk]); // data that must arrive
    await guest.start();
    await attachVolume(guest, { path: volume }, images);

    const target = await createMigrationTarget(dst, guest.record, { sharedStorage: false, rootDiskSizeBytes: 32 << 20 });
    const endpoint = await prepareIncoming(target);
    expect(endpoint.nbd).toBeDefined();
    const result = await migrateLive(guest, { endpoint });
    expect(result.blockMigrated).toBe(true);
    await finishIncoming(target);
    const moved = await dst.guest(guest.uuid);
    expect((await moved.state()).power).toBe('running');
    expect((await (await moved.qmp()).execute('query-block')).map((b) => b.qdev)).toEqual(['scsi-disk0', 'scsi-disk1']);
    await guest.cleanup();
    expect(guest.dir.exists()).toBe(false);

    await moved.terminate();
    const check = await runCommand('qemu-io', ['-r', '-c', 'read -P 0x5a 1M 2M', moved.dir.disk]);
    expect(check.stdout).toContain('read 2097152/2097152 bytes');
  });

  it('a destination killed mid-migration fails it and the source keeps running', { timeout: 60_000 }, async () => {
    const src = hosts.host({ hostName: 'src' });
    const dst = hosts.host({ hostName: 'dst' });
    const guest = await src.createGuest(spec(23), { sizeBytes: 16 << 20 });
    await guest.start();
    const target = await createMigrationTarget(dst, guest.record, { sharedStorage: false, rootDiskSizeBytes: 16 << 20 });
    const endpoint = await prepareIncoming(target);
    const destPid = target.guest.runningPid()!;
    let killed = false;
    const onProgress = (p: MigrationProgress) => {
      if (!killed && p.status === 'active') {
        killed = true;
        process.kill(destPid, 'SIGKILL');
      }
    };
    // A slow link (256 KiB/s) keeps the migration in flight long enough to lose the destination.
    await expect(migrateLive(guest, { endpoint, onProgress, maxBandwidth: 256 * 1024 })).rejects.toMatchObject({ name: 'MigrationFailed' });
    expect(killed).toBe(true);
    expect(await guest.state()).toMatchObject({ power: 'running', qemuStatus: 'running' });
    await abortIncoming(target);
    expect(target.guest.dir.exists()).toBe(false);
    expect(procfsProcesses.isAlive(destPid)).toBe(false);
    await guest.cleanup();
  });
});
