import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeHost, type FakeHostHandle } from '../testing/fake-host.js';
import { collectDiagnostics } from '../guest/diagnostics.js';
import { attachedVolumes, attachVolume, detachVolume, swapVolume } from './hotplug.js';
import { fileVolumeFromConnectionInfo } from './connection-info.js';
import { volumeConnector } from './connector.js';

const spec = { uuid: '5d2b7c1e-3f4a-4b6c-9d8e-7f6a5b4c3d21', name: 'instance-00000007', memoryMb: 64, vcpus: 2 };
let fake: FakeHostHandle;
beforeEach(() => {
  fake = createFakeHost();
});
afterEach(() => fake.dispose());

async function running() {
  const guest = await fake.host.createGuest(spec, { sizeBytes: 1 << 30 });
  await guest.start();
  return guest;
}

describe('volume hot-plug (fake QEMU)', () => {
  it('attaches at the next free /dev/sdX and detaches, leaving no nodes', async () => {
    const guest = await running();
    const server = fake.qemu.server(guest.runningPid()!);
    expect(await attachVolume(guest, { path: '/v/a.raw', format: 'raw', serial: 'vol-a' }, fake.host.images)).toBe('/dev/sdb');
    expect(await attachVolume(guest, { path: '/v/b.raw', format: 'raw' }, fake.host.images)).toBe('/dev/sdc');
    expect([...server.vm.devices.keys()]).toEqual(expect.arrayContaining(['scsi-disk1', 'scsi-disk2']));
    expect(attachedVolumes(guest).map((v) => v.device)).toEqual(['/dev/sdb', '/dev/sdc']);
    await detachVolume(guest, '/dev/sdb', 1000);
    expect(server.vm.devices.has('scsi-disk1')).toBe(false);
    expect([...server.vm.nodes.keys()].sort()).toEqual(['disk0', 'disk0-file', 'disk2', 'disk2-file']);
    expect(attachedVolumes(guest).map((v) => v.device)).toEqual(['/dev/sdc']);
  });

  it('refuses a taken device and the root disk', async () => {
    const guest = await running();
    await attachVolume(guest, { path: '/v/a.raw', format: 'raw' }, fake.host.images, '/dev/sdd');
    await expect(attachVolume(guest, { path: '/v/b.raw', format: 'raw' }, fake.host.images, '/dev/sdd')).rejects.toMatchObject({ name: 'DeviceBusy' });
    await expect(attachVolume(guest, { path: '/v/b.raw', format: 'raw' }, fake.host.images, '/dev/sda')).rejects.toMatchObject({ name: 'DeviceBusy' });
    await expect(detachVolume(guest, '/dev/sde', 100)).rejects.toMatchObject({ name: 'VolumeNotAttached' });
  });

  it('rolls back the block nodes when device_add fails', async () => {
    const guest = await running();
    const server = fake.qemu.server(guest.runningPid()!);
    server.injectFault('device_add', { kind: 'error', desc: 'Bus scsi0.0 is full' });
    await expect(attachVolume(guest, { path: '/v/a.raw', format: 'raw' }, fake.host.images)).rejects.toMatchObject({ name: 'QmpCommandFailed' });
    expect([...server.vm.nodes.keys()].sort()).toEqual(['disk0', 'disk0-file']);
    expect(attachedVolumes(guest)).toEqual([]);
  });

  it('times out when the unplug never completes and keeps the volume recorded', async () => {
    fake.qemu.vmOptions = { unplugDelayMs: null };
    const guest = await running();
    await attachVolume(guest, { path: '/v/a.raw', format: 'raw' }, fake.host.images);
    await expect(detachVolume(guest, '/dev/sdb', 50)).rejects.toMatchObject({ name: 'QmpTimeout' });
    expect(attachedVolumes(guest)).toHaveLength(1);
  });

  it('swaps a volume live: the device reads the new nodes, the old ones go, detach still cleans up', async () => {
    const guest = await running();
    const server = fake.qemu.server(guest.runningPid()!);
    await attachVolume(guest, { path: '/v/a.raw', format: 'raw', serial: 'vol-a' }, fake.host.images);
    await swapVolume(guest, '/dev/sdb', { path: '/v/b.raw', format: 'raw', serial: 'vol-b' }, fake.host.images, { timeoutMs: 1000, resizeBytes: 2 << 20 });
    expect(server.vm.devices.get('scsi-disk1')).toMatchObject({ drive: 'sw1-disk1' });
    expect([...server.vm.nodes.keys()].sort()).toEqual(['disk0', 'disk0-file', 'sw1-disk1', 'sw1-disk1-file']);
    expect(attachedVolumes(guest)).toEqual([{ device: '/dev/sdb', path: '/v/b.raw', format: 'raw', serial: 'vol-b' }]);
    expect(server.received.map((c) => c.command)).toEqual(expect.arrayContaining(['blockdev-mirror', 'block-job-complete', 'block_resize']));
    await swapVolume(guest, '/dev/sdb', { path: '/v/c.raw', format: 'raw' }, fake.host.images, { timeoutMs: 1000 });
    expect(server.vm.devices.get('scsi-disk1')).toMatchObject({ drive: 'sw2-disk1' });
    expect((await collectDiagnostics(guest, fake.qemu)).disks.map((d) => d.device)).toEqual(['/dev/sda', '/dev/sdb']);
    await detachVolume(guest, '/dev/sdb', 1000);
    expect([...server.vm.nodes.keys()].sort()).toEqual(['disk0', 'disk0-file']);
    await expect(swapVolume(guest, '/dev/sdb', { path: '/v/d.raw', format: 'raw' }, fake.host.images, { timeoutMs: 100 })).rejects.toMatchObject({ name: 'VolumeNotAttached' });
  });

  it('leaves the old volume in place when the copy fails', async () => {
    const guest = await running();
    const server = fake.qemu.server(guest.runningPid()!);
    await attachVolume(guest, { path: '/v/a.raw', format: 'raw' }, fake.host.images);
    server.injectFault('block-job-complete', { kind: 'error', desc: 'mirror target went away' });
    await expect(swapVolume(guest, '/dev/sdb', { path: '/v/b.raw', format: 'raw' }, fake.host.images, { timeoutMs: 1000 })).rejects.toMatchObject({ name: 'QmpCommandFailed' });
    expect(server.vm.devices.get('scsi-disk1')).toMatchObject({ drive: 'disk1' });
    expect([...server.vm.nodes.keys()].sort()).toEqual(['disk0', 'disk0-file', 'disk1', 'disk1-file']);
    expect(attachedVolumes(guest).map((v) => v.path)).toEqual(['/v/a.raw']);
  });

  it('records volumes of a stopped guest and plugs them at start', async () => {
    const guest = await fake.host.createGuest(spec, { sizeBytes: 1 << 30 });
    await attachVolume(guest, { path: '/v/a.qcow2', format: 'qcow2' }, fake.host.images);
    await guest.start();
    expect(fake.qemu.server(guest.runningPid()!).vm.devices.get('scsi-disk1')).toMatchObject({ drive: 'disk1' });
    const diag = await collectDiagnostics(guest, fake.qemu);
    expect(diag.disks.map((d) => d.device)).toEqual(['/dev/sda', '/dev/sdb']);
    expect(diag.vcpus).toHaveLength(2);
    expect(diag).toMatchObject({ state: 'running', memoryMb: 64, rssBytes: 43 << 20 });
  });
});

describe('connection_info and connector', () => {
  it('accepts file volumes only', () => {
    expect(fileVolumeFromConnectionInfo({ driver_volume_type: 'file', data: { path: '/v/x', volume_id: 'x' } })).toEqual({ path: '/v/x', format: undefined, serial: 'x', readOnly: false });
    expect(() => fileVolumeFromConnectionInfo({ driver_volume_type: 'iscsi', data: {} })).toThrow(expect.objectContaining({ name: 'VolumeDriverNotSupported' }));
    expect(() => fileVolumeFromConnectionInfo({ data: {} })).toThrow(expect.objectContaining({ name: 'InvalidConnectionInfo' }));
  });

  it('describes the host', () => {
    expect(volumeConnector('node-1', '10.0.0.5')).toMatchObject({ host: 'node-1', ip: '10.0.0.5', multipath: false });
  });
});
