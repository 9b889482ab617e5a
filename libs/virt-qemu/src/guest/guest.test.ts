import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeHost, type FakeHostHandle } from '../testing/fake-host.js';
import { QemuHost } from '../host/host.js';

const UUID = '0e7c3d1a-9f6b-4c2e-8d4a-5b6c7d8e9f01';
const spec = { uuid: UUID, name: 'instance-00000001', memoryMb: 64, vcpus: 1, nics: [{ mac: '52:54:00:00:00:01' }] };

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

describe('Guest lifecycle (fake QEMU)', () => {
  it('creates the directory, disk and record, shut off until started', async () => {
    const guest = await fake.host.createGuest(spec, { baseImage: { path: '/images/cirros.qcow2', format: 'qcow2' } });
    expect(guest.record).toMatchObject({ host: 'fake-host', powerState: 'shutoff', baseImage: '/images/cirros.qcow2' });
    expect(await guest.state()).toEqual({ power: 'shutdown' });
    await expect(fake.host.createGuest(spec, { sizeBytes: 1 })).rejects.toMatchObject({ name: 'GuestAlreadyExists' });
  });

  it('starts, pauses, unpauses', async () => {
    const guest = await running();
    expect(await guest.state()).toMatchObject({ power: 'running', qemuStatus: 'running' });
    await guest.pause();
    expect(await guest.state()).toMatchObject({ power: 'paused' });
    await guest.unpause();
    expect((await guest.state()).power).toBe('running');
  });

  it('reports a QEMU that fails to start with its stderr', async () => {
    const guest = await fake.host.createGuest(spec, { sizeBytes: 1 << 30 });
    fake.qemu.failNextLaunch = "-device bogus: 'bogus' is not a valid device model name";
    await expect(guest.start()).rejects.toMatchObject({ name: 'GuestSpawnFailed', kwargs: { exitCode: 1 } });
    await expect(guest.start()).resolves.toBeUndefined();
  });

  it('soft reboot falls back to reset without a guest OS, uses ACPI with one', async () => {
    const guest = await running();
    expect(await guest.reboot('soft')).toBe('reset');
    await guest.terminate();
    fake.qemu.vmOptions = { guestOs: true };
    await guest.start();
    expect(await guest.reboot('soft')).toBe('acpi');
    expect((await guest.state()).power).toBe('running');
    expect(await guest.reboot('hard')).toBe('reset');
  });

  it('powers off (QEMU ends, record stays) and on again', async () => {
    const guest = await running();
    const pid = guest.runningPid()!;
    expect(await guest.powerOff()).toEqual({ clean: false });
    expect(fake.qemu.isAlive(pid)).toBe(false);
    expect(await guest.state()).toEqual({ power: 'shutdown' });
    await guest.powerOn();
    expect((await guest.state()).power).toBe('running');
  });

  it('suspends to a file and resumes from it', async () => {
    const guest = await running();
    await guest.suspend();
    expect(await guest.state()).toEqual({ power: 'suspended' });
    await guest.resume();
    expect((await guest.state()).power).toBe('running');
  });

  it('reports a QEMU that died behind our back as crashed', async () => {
    const guest = await running();
    fake.qemu.signal(guest.runningPid()!, 'SIGKILL');
    expect(await guest.state()).toEqual({ power: 'crashed' });
    await expect(guest.pause()).rejects.toMatchObject({ name: 'GuestStateConflict' });
  });

  it('survives QEMU dying in the middle of a command', async () => {
    const guest = await running();
    fake.qemu.server(guest.runningPid()!).injectFault('stop', { kind: 'die' });
    await expect(guest.pause()).rejects.toMatchObject({ name: 'QmpConnectionClosed' });
    expect((await guest.state()).power).toBe('crashed');
  });

  it('terminates a wedged QEMU with signals', async () => {
    const guest = await running();
    const pid = guest.runningPid()!;
    fake.qemu.server(pid).injectFault('quit', { kind: 'no-reply' });
    await guest.terminate();
    expect(fake.qemu.isAlive(pid)).toBe(false);
  });

  it('cleanup removes the directory, or keeps the disk and drops the record', async () => {
    const guest = await running();
    await guest.cleanup({ keepDisks: true });
    expect(guest.dir.exists()).toBe(false);
    expect(await fake.host.listRecords()).toEqual([]);
    const other = await fake.host.createGuest({ ...spec, uuid: '0e7c3d1a-9f6b-4c2e-8d4a-5b6c7d8e9f02' }, { sizeBytes: 1 });
    await other.cleanup();
    await expect(fake.host.guest(other.uuid)).rejects.toMatchObject({ name: 'GuestNotFound' });
  });

  it('a new host over the same state path finds running guests again', async () => {
    const guest = await running();
    const pid = guest.runningPid();
    fake.host.detachAll();
    const again = new QemuHost({ ...fake.host.context, statePath: fake.statePath, hostName: 'fake-host', launcher: fake.qemu, processes: fake.qemu, images: fake.host.images });
    const found = await again.reattach();
    expect(found.map((f) => f.state)).toEqual([{ power: 'running', qemuStatus: 'running', pid }]);
    await found[0]!.guest.cleanup();
    expect(fake.qemu.isAlive(pid!)).toBe(false);
    const elsewhere = new QemuHost({ statePath: fake.statePath, hostName: 'other-host', processes: fake.qemu });
    expect(await elsewhere.listRecords()).toEqual([]);
  });
});
