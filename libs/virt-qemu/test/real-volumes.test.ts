import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { attachedVolumes, attachVolume, detachVolume, QemuImg } from '../src/index.js';
import { describeWithQemu, RealHosts, uuid } from './real-qemu.js';

const hosts = new RealHosts();
afterAll(() => hosts.dispose());

describeWithQemu('real QEMU: volume hot-plug', () => {
  it('hot-plugs file volumes on virtio-scsi and unplugs them without a guest OS', { timeout: 60_000 }, async () => {
    const volumes = hosts.tempDir('vq-vols-');
    const images = new QemuImg();
    await images.createQcow2(join(volumes, 'v1.qcow2'), { sizeBytes: 32 << 20 });
    const { runCommand } = await import('../src/host/run-command.js');
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

    // Same LUN again: nothing was left behind.
    expect(await attachVolume(guest, { path: join(volumes, 'v2.raw') }, images, '/dev/sdb')).toBe('/dev/sdb');
    await guest.terminate();
    await guest.start(); // cold-plugged from the record at the next boot
    expect((await (await guest.qmp()).execute('query-block')).map((b) => b.qdev)).toEqual(['scsi-disk0', 'scsi-disk1']);
    await guest.cleanup();
  });
});
