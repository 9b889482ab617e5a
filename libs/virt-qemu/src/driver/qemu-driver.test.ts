import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PowerState } from '@novakit/objects';
import { blockDeviceInfo, createTestInstance, FakeVirtAPI, PLACEHOLDER_CALLS, testBdm, type TestInstance } from '@novakit/virt-conformance';
import { CAPABILITY_METHODS, type LifecycleEvent } from '@novakit/virt-driver';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeQemuDriver, type FakeQemuDriverHandle } from '../testing/fake-driver.js';
import { FakeQemu } from '../testing/fake-qemu.js';
import { createQemuDriver } from './factory.js';
import { qemuOptionsFromConfig } from './options.js';
import type { QemuDriver } from './qemu-driver.js';

const virtapi = FakeVirtAPI.create();
const ctx = virtapi.context();
const none = blockDeviceInfo();
const blank = { id: null, properties: {} };

const handles: FakeQemuDriverHandle[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const h of handles.splice(0)) h.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vq-driver-test-'));
  dirs.push(dir);
  return dir;
}

async function started(options: Partial<Parameters<typeof createFakeQemuDriver>[0]> = {}): Promise<FakeQemuDriverHandle & { events: LifecycleEvent[] }> {
  const host = options.host ?? 'node-1';
  const handle = createFakeQemuDriver({ ...options, host, virtapi: virtapi.forHost(host) });
  handles.push(handle);
  const events: LifecycleEvent[] = [];
  handle.driver.registerEventListener((e) => events.push(e));
  await handle.driver.initHost(host);
  return { ...handle, events };
}

function instance(opts: Parameters<typeof createTestInstance>[0] = {}): TestInstance {
  const ti = createTestInstance({ ctx, ...opts });
  virtapi.addInstance(ti.instance);
  return ti;
}

async function spawn(driver: QemuDriver, ti = instance(), bdi = none): Promise<TestInstance> {
  await driver.spawn(ctx, ti.instance, { imageMeta: blank, networkInfo: ti.networkInfo, blockDeviceInfo: bdi });
  return ti;
}

function volumeFile(dir: string, name = 'v.raw'): { path: string; info: { driver_volume_type: string; data: { path: string; format: string }; serial: string } } {
  const path = join(dir, name);
  writeFileSync(path, '');
  return { path, info: { driver_volume_type: 'file', data: { path, format: 'raw' }, serial: name } };
}

const pidOf = (h: FakeQemuDriverHandle, ti: TestInstance) => h.driver.qemuHost.instanceDir(ti.uuid).readPid()!;
const commands = (h: FakeQemuDriverHandle, ti: TestInstance) => h.qemu.server(pidOf(h, ti)).received.map((c) => c.command);
const transitions = (events: LifecycleEvent[], ti: TestInstance) => events.filter((e) => e.instanceUuid === ti.uuid).map((e) => e.transition);

describe('QemuDriver capabilities and configuration', () => {
  it('declares what it does, with the firewall only when managed and nft is usable', () => {
    const bin = tempDir();
    const nft = join(bin, 'nft');
    writeFileSync(nft, '#!/bin/sh\nexit 0\n');
    chmodSync(nft, 0o755);
    const plain = createFakeQemuDriver({ host: 'n', virtapi });
    const managed = createFakeQemuDriver({ host: 'n', virtapi, manageFirewall: true, nftBinary: nft });
    const noNft = createFakeQemuDriver({ host: 'n', virtapi, manageFirewall: true, nftBinary: join(bin, 'missing') });
    handles.push(plain, managed, noNft);
    expect(plain.driver.capabilities).toMatchObject({
      supportsPause: true,
      supportsSuspend: true,
      supportsVolumeAttach: true,
      supportsSwapVolume: true,
      supportsLiveMigration: true,
      supportsBlockMigration: true,
      supportsSharedStorageCheck: true,
      supportsDeviceNaming: true,
      supportsDiagnostics: true,
      supportsConsoleOutput: true,
      supportsLifecycleEvents: true,
      supportsInjectFile: false,
      supportsInjectNetworkInfo: false,
      supportsResetNetwork: false,
      supportsNetworkConstraints: false,
      supportsFirewall: false,
    });
    expect(managed.driver.capabilities.supportsFirewall).toBe(true);
    expect(noNft.driver.capabilities.supportsFirewall).toBe(false);
  });

  it('throws NotSupportedError from every method of a missing capability', async () => {
    const { driver } = await started();
    const probe = instance();
    for (const [capability, methods] of Object.entries(CAPABILITY_METHODS)) {
      if (driver.capabilities[capability as keyof typeof CAPABILITY_METHODS]) continue;
      for (const method of methods) {
        await expect(Promise.resolve().then(() => PLACEHOLDER_CALLS[method](driver, { ctx, instance: probe.instance, legacy: probe.legacy })), method).rejects.toMatchObject({
          name: 'NotSupportedError',
          kwargs: { method },
        });
      }
    }
    expect(await driver.macsForInstance(ctx, probe.legacy)).toBeNull();
    expect(await driver.dhcpOptionsForInstance(ctx, probe.legacy)).toBeNull();
  });

  it('reads its options from the configuration, refusing unknown keys and bad values', () => {
    expect(qemuOptionsFromConfig({ state_path: '/srv/i', manage_firewall: true, migration_port_min: 49152, migration_port_max: 49215, soft_reboot_timeout_s: 30 })).toMatchObject({
      statePath: '/srv/i',
      accel: 'auto',
      machine: 'q35',
      manageFirewall: true,
      softRebootTimeoutS: 30,
      cleanShutdownTimeoutS: 60,
      migration: { portRange: { min: 49152, max: 49215 }, timeoutS: 600 },
    });
    expect(() => qemuOptionsFromConfig({ state_pth: '/x' })).toThrow(expect.objectContaining({ name: 'QemuDriverConfigInvalid', kwargs: { key: 'state_pth', reason: 'unknown key' } }));
    expect(() => qemuOptionsFromConfig({ accel: 'xen' })).toThrow(expect.objectContaining({ name: 'QemuDriverConfigInvalid', kwargs: expect.objectContaining({ key: 'accel' }) }));
    expect(() => qemuOptionsFromConfig({ migration_port_min: 5 })).toThrow(expect.objectContaining({ name: 'QemuDriverConfigInvalid' }));
    const statePath = tempDir();
    const driver = createQemuDriver({ host: 'node-9', virtapi, config: { state_path: statePath, accel: 'tcg', host_ip: '10.1.2.3' } });
    expect(driver.name).toBe('qemu');
    expect(driver.getHostIpAddr()).toBe('10.1.2.3');
  });

  it('fails initHost with HypervisorUnavailable when QEMU is missing', async () => {
    const handle = createFakeQemuDriver({ host: 'node-1', virtapi, probe: async () => ({ available: false, reason: 'ENOENT' }) });
    handles.push(handle);
    await expect(handle.driver.initHost('node-1')).rejects.toMatchObject({ name: 'HypervisorUnavailable' });
  });
});

describe('QemuDriver lifecycle (fake QEMU)', () => {
  it('spawns with the flavor, one NIC per VIF and a root disk over the base image', async () => {
    const h = await started();
    const image = join(tempDir(), 'base.qcow2');
    writeFileSync(image, JSON.stringify({ format: 'qcow2', virtualSizeBytes: 2 ** 30 }));
    const ti = instance({ memoryMb: 96, vcpus: 2, rootGb: 3 });
    await h.driver.spawn(ctx, ti.instance, { imageMeta: { id: 'img', properties: {}, localPath: image }, networkInfo: ti.networkInfo, blockDeviceInfo: none });
    const argv = h.qemu.processes.get(pidOf(h, ti))!.argv;
    const after = (flag: string) => argv.filter((_, i) => argv[i - 1] === flag);
    expect(after('-m')).toEqual(['96']);
    expect(after('-smp')).toEqual(['2']);
    expect(after('-device').some((d) => d.includes(`mac=${ti.networkInfo[0]!.address}`))).toBe(true);
    const record = (await h.driver.qemuHost.guest(ti.uuid)).record;
    expect(record).toMatchObject({ baseImage: image, powerState: 'running' });
    expect(await h.driver.qemuHost.images.info(record.config.rootDisk.path)).toMatchObject({ backingFile: image, virtualSizeBytes: 3 * 2 ** 30 });
    expect(await h.driver.getInfo(ctx, ti.legacy)).toMatchObject({ state: PowerState.RUNNING, maxMemKb: 96 * 1024, memKb: 96 * 1024, numCpu: 2, cpuTimeNs: 250_000_000 });
    expect(transitions(h.events, ti)).toEqual(['started']);
  });

  it('refuses an image it does not have, and a second spawn; leaves nothing behind a failed one', async () => {
    const h = await started();
    const ti = instance();
    await expect(h.driver.spawn(ctx, ti.instance, { imageMeta: { id: 'nowhere', properties: {} }, networkInfo: ti.networkInfo, blockDeviceInfo: none })).rejects.toMatchObject({
      name: 'InstanceDeployFailure',
    });
    expect(h.driver.qemuHost.instanceDir(ti.uuid).exists()).toBe(false);
    h.qemu.failNextLaunch = 'could not load PC BIOS';
    await expect(spawn(h.driver, ti)).rejects.toMatchObject({ name: 'InstanceDeployFailure', message: expect.stringContaining('PC BIOS') });
    expect(existsSync(h.driver.qemuHost.instanceDir(ti.uuid).path)).toBe(false);
    await spawn(h.driver, ti);
    await expect(spawn(h.driver, ti)).rejects.toMatchObject({ name: 'InstanceExistsOnHypervisor' });
    expect(await h.driver.listInstanceUuids()).toEqual([ti.uuid]);
  });

  it('creates ephemeral and swap disks on their LUNs', async () => {
    const h = await started();
    const ti = instance({ ephemeralGb: 1 });
    await spawn(h.driver, ti, { ...none, ephemerals: [{ deviceName: '/dev/sdb', sizeGb: 1 }], swap: { deviceName: '/dev/sdc', swapSizeMb: 64 } });
    const devices = [...h.qemu.server(pidOf(h, ti)).vm.devices.keys()];
    expect(devices).toEqual(expect.arrayContaining(['scsi-disk0', 'scsi-disk1', 'scsi-disk2']));
    const diag = await h.driver.getInstanceDiagnostics(ctx, ti.instance);
    expect(diag.diskDetails.map((d) => d.id)).toEqual(['sda', 'sdb', 'sdc']);
  });

  it('powers off and on, pauses, suspends and reboots over QMP, one event per change', async () => {
    const h = await started();
    const ti = await spawn(h.driver);
    await h.driver.pause(ti.instance);
    expect((await h.driver.getInfo(ctx, ti.legacy)).state).toBe(PowerState.PAUSED);
    await h.driver.unpause(ti.instance);
    await h.driver.unpause(ti.instance);
    await h.driver.suspend(ctx, ti.instance);
    expect((await h.driver.getInfo(ctx, ti.legacy))).toMatchObject({ state: PowerState.SUSPENDED, memKb: 0 });
    await h.driver.resume(ctx, ti.instance, { networkInfo: ti.networkInfo, blockDeviceInfo: none });
    await h.driver.reboot(ctx, ti.instance, { rebootType: 'SOFT', networkInfo: ti.networkInfo, blockDeviceInfo: none });
    expect(commands(h, ti)).toEqual(expect.arrayContaining(['system_powerdown', 'system_reset']));
    await h.driver.powerOff(ti.instance, { timeoutSeconds: 0 });
    await h.driver.powerOff(ti.instance);
    expect((await h.driver.getInfo(ctx, ti.legacy)).state).toBe(PowerState.SHUTDOWN);
    await expect(h.driver.pause(ti.instance)).rejects.toMatchObject({ name: 'InstanceNotRunning' });
    await expect(h.driver.suspend(ctx, ti.instance)).rejects.toMatchObject({ name: 'InstanceNotRunning' });
    await expect(h.driver.reboot(ctx, ti.instance, { rebootType: 'SOFT', networkInfo: ti.networkInfo, blockDeviceInfo: none })).rejects.toMatchObject({ name: 'InstanceNotRunning' });
    await h.driver.reboot(ctx, ti.instance, { rebootType: 'HARD', networkInfo: ti.networkInfo, blockDeviceInfo: none });
    await h.driver.powerOff(ti.instance, { timeoutSeconds: 0 });
    await h.driver.powerOn(ctx, ti.instance, { networkInfo: ti.networkInfo, blockDeviceInfo: none });
    expect((await h.driver.getInfo(ctx, ti.legacy)).state).toBe(PowerState.RUNNING);
    expect(transitions(h.events, ti)).toEqual(['started', 'paused', 'resumed', 'suspended', 'resumed', 'stopped', 'started', 'stopped', 'started']);
  });

  it('reports changes nobody asked for from QMP events: a guest that powers off, a QEMU that dies', async () => {
    const h = await started();
    const [a, b] = [await spawn(h.driver), await spawn(h.driver)];
    h.qemu.server(pidOf(h, a)).vm.shutdown('guest-shutdown');
    h.qemu.server(pidOf(h, b)).emitEvent('STOP');
    await expect.poll(() => [transitions(h.events, a), transitions(h.events, b)]).toEqual([
      ['started', 'stopped'],
      ['started', 'paused'],
    ]);
    expect((await h.driver.getInfo(ctx, a.legacy)).state).toBe(PowerState.SHUTDOWN);
    h.qemu.signal(pidOf(h, b), 'SIGKILL');
    await expect.poll(() => transitions(h.events, b)).toEqual(['started', 'paused', 'stopped']);
    expect((await h.driver.getInfo(ctx, b.legacy)).state).toBe(PowerState.CRASHED);
    await h.driver.powerOn(ctx, b.instance, { networkInfo: b.networkInfo, blockDeviceInfo: none });
    expect(transitions(h.events, b).at(-1)).toBe('started');
  });

  it('turns a monitor that dies mid-command or answers garbage into typed errors', async () => {
    const h = await started();
    const ti = await spawn(h.driver);
    const server = h.qemu.server(pidOf(h, ti));
    server.injectFault('query-status', { kind: 'wrong-shape', value: { status: 42 } });
    await expect(h.driver.getInfo(ctx, ti.legacy)).rejects.toMatchObject({ name: 'HypervisorUnavailable' });
    server.injectFault('stop', { kind: 'die' });
    await expect(h.driver.pause(ti.instance)).rejects.toMatchObject({ name: 'HypervisorUnavailable' });
    expect((await h.driver.getInfo(ctx, ti.legacy)).state).toBe(PowerState.CRASHED);
  });

  it('answers InstanceNotFound for an unknown instance; destroy and cleanup of one succeed', async () => {
    const h = await started();
    const ti = instance();
    await expect(h.driver.getInfo(ctx, ti.legacy)).rejects.toMatchObject({ name: 'InstanceNotFound' });
    await expect(h.driver.powerOff(ti.instance)).rejects.toMatchObject({ name: 'InstanceNotFound' });
    await expect(h.driver.getConsoleOutput(ctx, ti.instance)).rejects.toMatchObject({ name: 'InstanceNotFound' });
    await expect(h.driver.getDiagnostics(ctx, ti.legacy)).rejects.toMatchObject({ name: 'InstanceNotFound' });
    await h.driver.destroy(ctx, ti.legacy, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: true });
    await h.driver.cleanup(ctx, ti.legacy, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: true, destroyVifs: true });
    expect(await h.driver.instanceExists(ti.instance)).toBe(false);
  });

  it('destroy keeps the disks when asked, and a later cleanup removes them', async () => {
    const h = await started();
    const ti = await spawn(h.driver);
    const dir = h.driver.qemuHost.instanceDir(ti.uuid);
    const pid = pidOf(h, ti);
    await h.driver.destroy(ctx, ti.legacy, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: false });
    expect(h.qemu.isAlive(pid)).toBe(false);
    expect(existsSync(dir.disk)).toBe(true);
    expect(await h.driver.listInstances()).toEqual([]);
    await h.driver.cleanup(ctx, ti.legacy, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: true, destroyVifs: true });
    expect(existsSync(dir.path)).toBe(false);
    expect(transitions(h.events, ti)).toEqual(['started', 'stopped']);
  });

  it('a new driver over the same state path finds the guests, reports them and can destroy them', async () => {
    const qemu = new FakeQemu();
    const first = await started({ qemu });
    const [running, paused, off] = [await spawn(first.driver), await spawn(first.driver), await spawn(first.driver)];
    await first.driver.pause(paused.instance);
    await first.driver.powerOff(off.instance, { timeoutSeconds: 0 });
    await first.driver.cleanupHost('node-1');
    const second = await started({ qemu, statePath: first.statePath });
    expect((await second.driver.listInstanceUuids()).sort()).toEqual([running.uuid, paused.uuid, off.uuid].sort());
    expect((await second.driver.getInfo(ctx, running.legacy)).state).toBe(PowerState.RUNNING);
    expect((await second.driver.getInfo(ctx, paused.legacy)).state).toBe(PowerState.PAUSED);
    expect((await second.driver.getInfo(ctx, off.legacy)).state).toBe(PowerState.SHUTDOWN);
    // Its monitors are watched: a change nobody asked for is reported by the new driver.
    qemu.server(pidOf(second, paused)).emitEvent('RESUME');
    await expect.poll(() => transitions(second.events, paused)).toEqual(['resumed']);
    const pids = [pidOf(second, running), pidOf(second, paused)];
    for (const ti of [running, paused, off]) await second.driver.destroy(ctx, ti.legacy, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: true });
    for (const pid of pids) expect(qemu.isAlive(pid)).toBe(false);
    expect(await second.driver.listInstances()).toEqual([]);
  });
});

describe('QemuDriver volumes, naming and diagnostics (fake QEMU)', () => {
  it('hot-plugs at the mountpoint, finds the volume to detach by its path, and reports a stuck unplug', async () => {
    const h = await started();
    const ti = await spawn(h.driver);
    const dir = tempDir();
    const [v1, v2] = [volumeFile(dir, 'v1.raw'), volumeFile(dir, 'v2.raw')];
    await h.driver.attachVolume(ctx, ti.legacy, { connectionInfo: v1.info, mountpoint: '/dev/sdc' });
    await expect(h.driver.attachVolume(ctx, ti.legacy, { connectionInfo: v1.info, mountpoint: '/dev/sdd' })).rejects.toMatchObject({ name: 'DeviceIsBusy' });
    await expect(h.driver.attachVolume(ctx, ti.legacy, { connectionInfo: v2.info, mountpoint: '/dev/sda' })).rejects.toMatchObject({ name: 'DeviceIsBusy' });
    await expect(h.driver.attachVolume(ctx, ti.legacy, { connectionInfo: { driver_volume_type: 'iscsi', data: {} }, mountpoint: '/dev/sdd' })).rejects.toMatchObject({
      name: 'InvalidConnectionInfo',
    });
    await expect(h.driver.attachVolume(ctx, ti.legacy, { connectionInfo: v2.info, mountpoint: '/dev/sdd', encryption: { provider: 'luks' } })).rejects.toMatchObject({
      name: 'InvalidConnectionInfo',
    });
    expect(Object.keys(await h.driver.getDiagnostics(ctx, ti.legacy))).toEqual(expect.arrayContaining(['sda_read_req', 'sdc_read_req', 'cpu0_time', 'memory']));
    await h.driver.detachVolume(ctx, ti.legacy, { connectionInfo: v1.info, mountpoint: '/dev/vdz' });
    expect(h.qemu.server(pidOf(h, ti)).vm.devices.has('scsi-disk2')).toBe(false);
    await h.driver.detachVolume(ctx, ti.legacy, { connectionInfo: v1.info, mountpoint: '/dev/sdc' });

    h.qemu.server(pidOf(h, ti)).vm.options.unplugDelayMs = null;
    await h.driver.attachVolume(ctx, ti.legacy, { connectionInfo: v2.info, mountpoint: '/dev/sdb' });
    await expect(h.driver.detachVolume(ctx, ti.legacy, { connectionInfo: v2.info, mountpoint: '/dev/sdb' })).rejects.toMatchObject({ name: 'DeviceDetachFailed' });
    expect(await h.driver.getVolumeConnector(ctx, ti.legacy)).toMatchObject({ host: 'node-1', ip: '127.0.0.1', initiator: expect.stringMatching(/\S/) });
  });

  it('swaps a volume of a running guest live; a stopped guest is InstanceNotRunning', async () => {
    const h = await started();
    const ti = await spawn(h.driver);
    const dir = tempDir();
    const [v1, v2, v3] = [volumeFile(dir, 'v1.raw'), volumeFile(dir, 'v2.raw'), volumeFile(dir, 'v3.raw')];
    await h.driver.attachVolume(ctx, ti.legacy, { connectionInfo: v1.info, mountpoint: '/dev/sdb' });
    await expect(h.driver.swapVolume(ctx, ti.instance, { oldConnectionInfo: v3.info, newConnectionInfo: v2.info, mountpoint: '/dev/sdc' })).rejects.toMatchObject({ name: 'VolumeNotFound' });
    await h.driver.swapVolume(ctx, ti.instance, { oldConnectionInfo: v1.info, newConnectionInfo: v2.info, mountpoint: '/dev/sdb', resizeToGb: 1 });
    expect(h.qemu.server(pidOf(h, ti)).vm.devices.get('scsi-disk1')).toMatchObject({ drive: 'sw1-disk1' });
    // The old volume is free again, the new one sits at the mountpoint.
    await h.driver.attachVolume(ctx, ti.legacy, { connectionInfo: v1.info, mountpoint: '/dev/sdc' });
    await expect(h.driver.attachVolume(ctx, ti.legacy, { connectionInfo: v3.info, mountpoint: '/dev/sdb' })).rejects.toMatchObject({ name: 'DeviceIsBusy' });
    await h.driver.powerOff(ti.instance, { timeoutSeconds: 0 });
    await expect(h.driver.swapVolume(ctx, ti.instance, { oldConnectionInfo: v2.info, newConnectionInfo: v3.info, mountpoint: '/dev/sdb' })).rejects.toMatchObject({ name: 'InstanceNotRunning' });
  });

  it('names devices on the SCSI bus, saves the BDMs and writes the defaults back through VirtAPI', async () => {
    const h = await started();
    const ti = instance();
    expect(await h.driver.defaultRootDeviceName(ctx, ti.legacy, { imageMeta: blank, rootBdm: null })).toBe('/dev/sda');
    const [eph, swap, vol, named] = [testBdm(ctx, ti.uuid, 'ephemeral'), testBdm(ctx, ti.uuid, 'swap'), testBdm(ctx, ti.uuid, 'volume'), testBdm(ctx, ti.uuid, 'volume', '/dev/sdb')];
    const saves = virtapi.objectActions.length;
    await h.driver.defaultDeviceNamesForInstance(ctx, ti.legacy, { rootDeviceName: '/dev/sda', lists: { ephemerals: [eph], swap: [swap], volumes: [vol, named] } });
    expect([eph, swap, vol].map((b) => b.device_name)).toEqual(['/dev/sdc', '/dev/sdd', '/dev/sde']);
    expect(virtapi.objectActions.slice(saves).filter((a) => a.method === 'save')).toHaveLength(3);
    expect(virtapi.instanceRow(ti.uuid)).toMatchObject({ root_device_name: '/dev/sda', default_ephemeral_device: '/dev/sdc', default_swap_device: '/dev/sdd' });
  });

  it('gives diagnostics of a running guest only, and a bounded console', async () => {
    const h = await started();
    const ti = await spawn(h.driver);
    writeFileSync(h.driver.qemuHost.instanceDir(ti.uuid).consoleLog, 'x'.repeat(200 * 1024) + 'tail');
    const out = await h.driver.getConsoleOutput(ctx, ti.instance);
    expect(out.endsWith('tail')).toBe(true);
    expect(out.length).toBeLessThanOrEqual(100 * 1024);
    const typed = await h.driver.getInstanceDiagnostics(ctx, ti.instance);
    expect(typed).toMatchObject({ driver: 'qemu', state: 'running', memoryDetails: { maximumMb: 64 }, version: '1.0' });
    expect(typed.nicDetails.map((n) => n.macAddress)).toEqual([ti.networkInfo[0]!.address]);
    await h.driver.pause(ti.instance);
    await expect(h.driver.getInstanceDiagnostics(ctx, ti.instance)).rejects.toMatchObject({ name: 'InstanceNotRunning' });
  });

  it('reports host resources with every instance counted', async () => {
    const h = await started();
    await spawn(h.driver, instance({ vcpus: 2, memoryMb: 128, rootGb: 2 }));
    const r = await h.driver.getAvailableResource('node-1');
    expect(r).toMatchObject({ vcpus_used: 2, local_gb_used: 2, hypervisor_type: 'QEMU', hypervisor_version: 7_002_022, hypervisor_hostname: 'node-1' });
    expect(JSON.parse(r.cpu_info)).toMatchObject({ arch: 'x86_64', model: 'qemu64', accel: 'tcg' });
    expect(r.supported_instances).toEqual([['x86_64', 'qemu', 'hvm']]);
    expect(await h.driver.getAvailableNodes()).toEqual(['node-1']);
  });

  it('answers the shared-storage probe from the instance directory', async () => {
    const h = await started();
    const other = await started({ host: 'node-2' });
    const sharing = await started({ host: 'node-3', statePath: h.statePath });
    const ti = await spawn(h.driver);
    const probe = (await h.driver.checkInstanceSharedStorageLocal(ctx, ti.legacy))!;
    expect(probe).toMatchObject({ dir: ti.uuid });
    expect(await h.driver.checkInstanceSharedStorageRemote(ctx, probe)).toBe(true);
    expect(await other.driver.checkInstanceSharedStorageRemote(ctx, probe)).toBe(false);
    expect(await sharing.driver.checkInstanceSharedStorageRemote(ctx, probe)).toBe(true);
    expect(await h.driver.checkInstanceSharedStorageRemote(ctx, { ...probe, dir: '..' })).toBe(false);
    await h.driver.checkInstanceSharedStorageCleanup(ctx, probe);
    expect(await h.driver.checkInstanceSharedStorageRemote(ctx, probe)).toBe(false);
  });
});

describe('QemuDriver firewall (a fake nft)', () => {
  function fakeNft(): { binary: string; log: string } {
    const dir = tempDir();
    const binary = join(dir, 'nft');
    const log = join(dir, 'nft.log');
    writeFileSync(binary, `#!/bin/sh\necho "nft $*" >> ${log}\n[ "$1" = "-f" ] && cat >> ${log}\nexit 0\n`);
    chmodSync(binary, 0o755);
    return { binary, log };
  }

  it('loads rules read through VirtAPI, refreshes filtered instances only, and removes them', async () => {
    const nft = fakeNft();
    const h = await started({ manageFirewall: true, nftBinary: nft.binary });
    const ti = instance();
    const mark = virtapi.calls.length;
    await h.driver.ensureFilteringRulesForInstance(ctx, ti.legacy, { networkInfo: ti.networkInfo });
    expect(virtapi.calls.slice(mark).map((c) => c.method)).toEqual(['security_group_get_by_instance', 'security_group_rule_get_by_security_group', 'provider_fw_rule_get_all']);
    const applied = readFileSync(nft.log, 'utf8');
    expect(applied).toContain(`table inet novakit-${ti.name} {`);
    expect(applied).toContain(`ip daddr { ${ti.networkInfo[0]!.network!.subnets![0]!.ips![0]!.address} } jump instance`);
    expect(applied).toContain('ip saddr 0.0.0.0/0 meta l4proto tcp tcp dport 22 accept');
    expect(applied).toContain('ip saddr 0.0.0.0/0 meta l4proto tcp tcp dport 25 drop');
    expect(await h.driver.isFiltered(ti.uuid)).toBe(true);

    const again = await started({ host: 'node-1', manageFirewall: true, nftBinary: nft.binary, statePath: h.statePath });
    const before = virtapi.calls.length;
    await again.driver.refreshSecurityGroupRules(ctx, 1);
    expect(virtapi.calls.slice(before).some((c) => c.method === 'security_group_rule_get_by_security_group'), 'a restarted driver refreshes what it filtered before').toBe(true);

    await again.driver.unfilterInstance(ctx, ti.legacy, { networkInfo: ti.networkInfo });
    await again.driver.unfilterInstance(ctx, ti.legacy, { networkInfo: ti.networkInfo });
    expect(await again.driver.isFiltered(ti.uuid)).toBe(false);
    const quiet = virtapi.calls.length;
    await again.driver.refreshInstanceSecurityRules(ctx, ti.legacy);
    await again.driver.refreshSecurityGroupRules(ctx, 1);
    expect(virtapi.calls.length, 'an unfiltered instance is not filtered again by a refresh').toBe(quiet);
  });

  it('filters at spawn and unfilters at destroy', async () => {
    const nft = fakeNft();
    const h = await started({ manageFirewall: true, nftBinary: nft.binary });
    const ti = await spawn(h.driver);
    expect(await h.driver.isFiltered(ti.uuid)).toBe(true);
    await h.driver.destroy(ctx, ti.legacy, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: true });
    expect(await h.driver.isFiltered(ti.uuid)).toBe(false);
    expect(readFileSync(nft.log, 'utf8')).toContain(`delete table inet novakit-${ti.name}`);
  });
});

