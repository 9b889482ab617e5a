import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeHost, type FakeHostHandle } from '../testing/fake-host.js';
import { FakeQemu } from '../testing/fake-qemu.js';
import { abortIncoming, createMigrationTarget, finishIncoming, prepareIncoming } from './destination.js';
import { migrateLive } from './source.js';
import { checkSharedStorageProbe, createSharedStorageProbe, removeSharedStorageProbe } from './shared-storage.js';
import type { MigrationProgress } from './progress.js';

const spec = { uuid: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', name: 'instance-00000009', memoryMb: 64, vcpus: 1 };
const handles: FakeHostHandle[] = [];
afterEach(() => {
  for (const h of handles.splice(0)) h.dispose();
});

function twoHosts(shared: boolean) {
  const qemu = new FakeQemu();
  qemu.vmOptions = { migrationSteps: 4, migrationStepMs: 5 };
  const src = createFakeHost({ hostName: 'src' }, qemu);
  const dst = createFakeHost({ hostName: 'dst', ...(shared ? { statePath: src.statePath } : {}) }, qemu);
  handles.push(dst, src);
  return { src, dst, qemu };
}

async function runningSource(src: FakeHostHandle) {
  const guest = await src.host.createGuest(spec, { sizeBytes: 1 << 30 });
  await guest.start();
  return guest;
}

describe('live migration (fake QEMU)', () => {
  it('block-migrates to a host without shared storage and hands the instance over', async () => {
    const { src, dst, qemu } = twoHosts(false);
    const guest = await runningSource(src);
    const target = await createMigrationTarget(dst.host, guest.record, { sharedStorage: false, rootDiskSizeBytes: 1 << 30 });
    const endpoint = await prepareIncoming(target);
    expect(endpoint.nbd).toMatchObject({ host: '127.0.0.1', exportName: 'disk0' });
    const progress: MigrationProgress[] = [];
    qemu.server(guest.runningPid()!).vm.options.migrationStepMs = 20; // several polls per step
    const result = await migrateLive(guest, { endpoint, pollMs: 5, onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ blockMigrated: true, downtimeMs: 3 });
    expect(progress.some((p) => p.status === 'active' && p.remainingBytes > 0)).toBe(true);
    await finishIncoming(target);
    expect(await target.guest.state()).toMatchObject({ power: 'running' });
    expect(await guest.state()).toMatchObject({ qemuStatus: 'postmigrate' });
    const srcVm = qemu.server(guest.runningPid()!).vm;
    expect(srcVm.nodes.has('mig-nbd0')).toBe(false);
    expect(srcVm.capabilities.get('return-path'), 'completion waits for the destination to run').toBe(true);
    await guest.cleanup();
    expect((await src.host.listRecords()).length).toBe(0);
    expect((await dst.host.listRecords()).map((r) => r.host)).toEqual(['dst']);
  });

  it('migrates over shared storage without a mirror; the record changes owner', async () => {
    const { src, dst } = twoHosts(true);
    const guest = await runningSource(src);
    const target = await createMigrationTarget(dst.host, guest.record, { sharedStorage: true });
    const endpoint = await prepareIncoming(target);
    expect(endpoint.nbd).toBeUndefined();
    expect((await migrateLive(guest, { endpoint })).blockMigrated).toBe(false);
    await finishIncoming(target);
    await guest.cleanup({ keepDisks: true });
    expect(target.guest.dir.exists()).toBe(true);
    expect((await dst.host.listRecords()).map((r) => r.host)).toEqual(['dst']);
    expect(await src.host.listRecords()).toEqual([]);
  });

  it('a destination killed mid-migration fails it and leaves the source running', async () => {
    const { src, dst, qemu } = twoHosts(false);
    qemu.vmOptions = { migrationSteps: 50, migrationStepMs: 5 };
    const guest = await runningSource(src);
    const target = await createMigrationTarget(dst.host, guest.record, { sharedStorage: false, rootDiskSizeBytes: 1 << 30 });
    const endpoint = await prepareIncoming(target);
    const destPid = target.guest.runningPid()!;
    const onProgress = (p: MigrationProgress) => {
      if (p.status === 'active') qemu.signal(destPid, 'SIGKILL');
    };
    await expect(migrateLive(guest, { endpoint, onProgress })).rejects.toMatchObject({ name: 'MigrationFailed' });
    expect(await guest.state()).toMatchObject({ power: 'running' });
    await abortIncoming(target);
    expect(target.guest.dir.exists()).toBe(false);
    // A suspend (a migration to a file) after it must not inherit the live migration's capabilities.
    await guest.suspend();
    await guest.resume();
    expect((await guest.state()).power).toBe('running');
  });

  it('listens on ports of a configured range, skipping taken ones', async () => {
    const { src, dst } = twoHosts(false);
    const guest = await runningSource(src);
    const taken = createServer();
    const first = await new Promise<number>((resolve) => taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)));
    try {
      const target = await createMigrationTarget(dst.host, guest.record, { sharedStorage: false, rootDiskSizeBytes: 1 << 30 });
      const endpoint = await prepareIncoming(target, '127.0.0.1', { min: first, max: first + 20 });
      const ports = [endpoint.nbd!.port, Number(endpoint.uri.split(':').at(-1))];
      for (const port of ports) expect(port).toBeGreaterThan(first);
      expect(ports[0]).not.toBe(ports[1]);
      const server = dst.qemu.server(target.guest.runningPid()!);
      expect(server.received.filter((c) => c.command === 'migrate-incoming').map((c) => c.args.uri)).toEqual([endpoint.uri]);
      await abortIncoming(target);
    } finally {
      taken.close();
    }
  });

  it('refuses to lay out a non-shared target over an existing instance', async () => {
    const { src } = twoHosts(true);
    const guest = await runningSource(src);
    await expect(createMigrationTarget(src.host, guest.record, { sharedStorage: false, rootDiskSizeBytes: 1 })).rejects.toMatchObject({ name: 'GuestAlreadyExists' });
  });
});

describe('shared storage probe', () => {
  it('is visible through the same directory and not through another', async () => {
    const { src, dst } = twoHosts(false);
    const name = await createSharedStorageProbe(src.statePath);
    expect(checkSharedStorageProbe(src.statePath, name)).toBe(true);
    expect(checkSharedStorageProbe(dst.statePath, name)).toBe(false);
    expect(checkSharedStorageProbe(src.statePath, '../etc/passwd')).toBe(false);
    await removeSharedStorageProbe(src.statePath, name);
    expect(checkSharedStorageProbe(src.statePath, name)).toBe(false);
  });
});
