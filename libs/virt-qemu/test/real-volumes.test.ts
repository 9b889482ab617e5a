import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { attachedVolumes, attachVolume, detachVolume, QemuImg, swapVolume } from '../src/index.js';
import { runCommand } from '../src/host/run-command.js';
import { describeWithQemu, RealHosts, uuid } from './real-qemu.js';

const hosts = new RealHosts();
afterAll(() => hosts.dispose());

describeWithQemu('real QEMU: volume hot-plug', () => {
  it('hot-plugs file volumes on virtio-scsi and unplugs them without a guest OS', { timeout: 60_000 }, async () => {
    const volumes = hosts.tempDir('vq-vols-');
    const images = new QemuImg();
    await images.createQcow2(join(volumes, 'v1.qcow2'), { sizeBytes: 32 << 20 });
    await runCommand('qemu-img', ['create', '-q', '-f', 'raw', join(volumes, 'v2.raw'), String(16 << 20)]);

    const host = hosts.host({ hostName: 'node-v' });
    const guest = await host.createGuest({ uuid: uuid(11), name: 'instance-11', memoryMb: 64, vcpus: 1 }, { sizeBytes: 16 << 20 });
    await guest.start();
    const qmp = await guest.qmp();

    expect(await attachVolume(guest, { path: join(volumes, 'v1.qcow2'), serial: 'vol-1' }, images)).toBe('/dev/sdb');
    expect(await attachVolume(guest, { path: join(volumes, 'v2.raw') }, images)).toBe('/dev/sdc');
    const block = await qmp.execute('query-block');
    expect(block.map((b) => [b.qdev, b.inserted?.drv])).toEqual([
      ['scsi-disk0', 'qcow2'],
      ['scsi-disk1', 'qcow2'],
      ['scsi-disk2', 'raw'],
    ]);
    // The image is locked by QEMU; `info -U` still reads it.
    expect((await images.info(join(volumes, 'v1.qcow2'))).format).toBe('qcow2');

    await detachVolume(guest, '/dev/sdb', 5000);
    await detachVolume(guest, '/dev/sdc', 5000);
    expect((await qmp.execute('query-named-block-nodes')).map((n) => n['node-name']).sort()).toEqual(['disk0', 'disk0-file']);
    expect(attachedVolumes(guest)).toEqual([]);

    // A live swap copies the data and moves the device to the new file; the old one is released.
    await runCommand('qemu-io', ['-c', 'write -P 0x5a 0 1M', join(volumes, 'v2.raw')]);
    await images.createQcow2(join(volumes, 'v3.qcow2'), { sizeBytes: 16 << 20 });
    expect(await attachVolume(guest, { path: join(volumes, 'v2.raw') }, images)).toBe('/dev/sdb');
    await swapVolume(guest, '/dev/sdb', { path: join(volumes, 'v3.qcow2') }, images, { timeoutMs: 10_000, resizeBytes: 32 << 20 });
    expect((await qmp.execute('query-block')).map((b) => [b.qdev, b.inserted?.['node-name'], b.inserted?.file])).toEqual([
      ['scsi-disk0', 'disk0', guest.dir.disk],
      ['scsi-disk1', 'sw1-disk1', join(volumes, 'v3.qcow2')],
    ]);
    await detachVolume(guest, '/dev/sdb', 5000);
    expect((await qmp.execute('query-named-block-nodes')).map((n) => n['node-name']).sort()).toEqual(['disk0', 'disk0-file']);
    const copied = await runCommand('qemu-io', ['-r', '-c', 'read -P 0x5a 0 1M', join(volumes, 'v3.qcow2')]);
    expect(copied.stdout).toContain('read 1048576/1048576 bytes');
    expect((await images.info(join(volumes, 'v3.qcow2'))).virtualSizeBytes).toBe(32 << 20);

    // Same LUN again: nothing was left behind.
    expect(await attachVolume(guest, { path: join(volumes, 'v2.raw') }, images, '/dev/sdb')).toBe('/dev/sdb');
    await guest.terminate();
    await guest.start(); // cold-plugged from the record at the next boot
    expect((await (await guest.qmp()).execute('query-block')).map((b) => b.qdev)).toEqual(['scsi-disk0', 'scsi-disk1']);
    await guest.cleanup();
  });
});
