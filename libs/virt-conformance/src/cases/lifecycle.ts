import { PowerState } from '@novakit/objects';
import type { ComputeDriver, Diagnostics } from '@novakit/virt-driver';
import { expect } from 'vitest';
import type { CaseEnv } from '../harness.js';
import { blockDeviceInfo, driverVolume, type TestInstance } from '../test-data.js';
import { expectError, type ConformanceCase } from './case.js';

const dev = (mountpoint: string) => mountpoint.replace(/^\/dev\//, '');

async function state(env: CaseEnv, d: ComputeDriver, ti: TestInstance): Promise<number> {
  return (await d.getInfo(env.ctx, ti.legacy)).state;
}

function diskIds(diag: Diagnostics): string[] {
  return diag.diskDetails.map((disk) => dev(disk.id));
}

const none = blockDeviceInfo();

export const LIFECYCLE_CASES: readonly ConformanceCase[] = [
  {
    title: 'scenario: spawn, get_info running, attach two volumes, diagnostics show them, detach one, power off, shutdown, destroy, not found',
    covers: ['spawn', 'getInfo', 'instanceExists', 'listInstances', 'listInstanceUuids', 'getVolumeConnector', 'attachVolume', 'getDiagnostics', 'getInstanceDiagnostics', 'detachVolume', 'powerOff', 'destroy'],
    async run(env) {
      const d = await env.host('a');
      const ti = env.instance({ memoryMb: 64, vcpus: 1 });
      await env.spawn(d, ti);
      const info = await d.getInfo(env.ctx, ti.legacy);
      expect(info.state).toBe(PowerState.RUNNING);
      expect(info.maxMemKb).toBe(64 * 1024);
      expect(info.numCpu).toBe(1);
      expect(Number.isInteger(info.cpuTimeNs) && info.cpuTimeNs >= 0).toBe(true);
      expect(await d.instanceExists(ti.instance)).toBe(true);
      expect(await d.listInstances()).toContain(ti.name);
      expect(await d.listInstanceUuids()).toContain(ti.uuid);

      const volumes = await env.supports('supportsVolumeAttach');
      const diagnostics = await env.supports('supportsDiagnostics');
      const [mp1, mp2] = [env.mountpoint(1), env.mountpoint(2)];
      if (volumes) {
        const connector = await d.getVolumeConnector(env.ctx, ti.legacy);
        expect(connector.host).toMatch(/\S/);
        const [v1, v2] = [await env.volume(), await env.volume()];
        await d.attachVolume(env.ctx, ti.legacy, { connectionInfo: v1.connectionInfo, mountpoint: mp1 });
        await d.attachVolume(env.ctx, ti.legacy, { connectionInfo: v2.connectionInfo, mountpoint: mp2 });
        if (diagnostics) {
          const legacy = await d.getDiagnostics(env.ctx, ti.legacy);
          expect(Object.keys(legacy)).toEqual(expect.arrayContaining([`${dev(mp1)}_read_req`, `${dev(mp2)}_read_req`]));
          expect(diskIds(await d.getInstanceDiagnostics(env.ctx, ti.instance))).toEqual(expect.arrayContaining([dev(mp1), dev(mp2)]));
        }
        await d.detachVolume(env.ctx, ti.legacy, { connectionInfo: v1.connectionInfo, mountpoint: mp1 });
        if (diagnostics) {
          const ids = diskIds(await d.getInstanceDiagnostics(env.ctx, ti.instance));
          expect(ids).toContain(dev(mp2));
          expect(ids).not.toContain(dev(mp1));
          expect(Object.keys(await d.getDiagnostics(env.ctx, ti.legacy))).not.toContain(`${dev(mp1)}_read_req`);
        }
      }
      await d.powerOff(ti.instance, { timeoutSeconds: 0 });
      expect(await state(env, d, ti)).toBe(PowerState.SHUTDOWN);
      await d.destroy(env.ctx, ti.legacy, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: true });
      await expectError(d.getInfo(env.ctx, ti.legacy), 'InstanceNotFound', 'get_info after destroy');
      expect(await d.instanceExists(ti.instance)).toBe(false);
      expect(await d.listInstanceUuids()).not.toContain(ti.uuid);
    },
  },
  {
    title: 'spawn: with a volume; twice is InstanceExistsOnHypervisor; a missing volume is InstanceDeployFailure leaving nothing behind',
    covers: ['spawn', 'getInstanceDiagnostics'],
    async run(env) {
      const d = await env.host('a');
      const ti = env.instance();
      const volume = await env.volume();
      await env.spawn(d, ti, [driverVolume(volume, env.mountpoint(1))]);
      if (await env.supports('supportsDiagnostics')) {
        expect(diskIds(await d.getInstanceDiagnostics(env.ctx, ti.instance))).toContain(dev(env.mountpoint(1)));
      }
      await expectError(env.spawn(d, ti), 'InstanceExistsOnHypervisor', 'second spawn');
      const broken = env.instance();
      const gone = { ...volume.connectionInfo, data: { ...volume.connectionInfo.data, path: `${volume.path}.missing` } };
      await expectError(env.spawn(d, broken, [{ ...driverVolume(volume, env.mountpoint(1)), connectionInfo: gone }]), 'InstanceDeployFailure');
      expect(await d.listInstanceUuids()).not.toContain(broken.uuid);
    },
  },
  {
    title: 'get_info: power state, memory, vCPUs; an unknown instance is InstanceNotFound',
    covers: ['getInfo'],
    async run(env) {
      const d = await env.host('a');
      await expectError(d.getInfo(env.ctx, env.instance().legacy), 'InstanceNotFound');
      const ti = env.instance({ memoryMb: 128, vcpus: 2 });
      await env.spawn(d, ti);
      expect(await d.getInfo(env.ctx, ti.legacy)).toMatchObject({ state: PowerState.RUNNING, maxMemKb: 128 * 1024, numCpu: 2 });
    },
  },
  {
    title: 'reboot: SOFT and HARD leave it running; SOFT when stopped is InstanceNotRunning, HARD starts it',
    covers: ['reboot'],
    async run(env) {
      const d = await env.host('a');
      const ti = env.instance();
      const args = (rebootType: 'SOFT' | 'HARD') => ({ rebootType, networkInfo: ti.networkInfo, blockDeviceInfo: none });
      await expectError(d.reboot(env.ctx, ti.instance, args('HARD')), 'InstanceNotFound');
      await env.spawn(d, ti);
      await d.reboot(env.ctx, ti.instance, args('SOFT'));
      expect(await state(env, d, ti)).toBe(PowerState.RUNNING);
      await d.reboot(env.ctx, ti.instance, args('HARD'));
      expect(await state(env, d, ti)).toBe(PowerState.RUNNING);
      await d.powerOff(ti.instance, { timeoutSeconds: 0 });
      await expectError(d.reboot(env.ctx, ti.instance, args('SOFT')), 'InstanceNotRunning');
      await d.reboot(env.ctx, ti.instance, args('HARD'));
      expect(await state(env, d, ti)).toBe(PowerState.RUNNING);
    },
  },
  {
    title: 'power off and on: both idempotent; a volume attached while off is there after power on',
    covers: ['powerOff', 'powerOn', 'attachVolume', 'detachVolume'],
    async run(env) {
      const d = await env.host('a');
      const ti = env.instance();
      await expectError(d.powerOff(ti.instance), 'InstanceNotFound');
      await env.spawn(d, ti);
      await d.powerOff(ti.instance, { timeoutSeconds: 0 });
      await d.powerOff(ti.instance, { timeoutSeconds: 0 });
      expect(await state(env, d, ti)).toBe(PowerState.SHUTDOWN);
      const volumes: ReturnType<typeof driverVolume>[] = [];
      if (await env.supports('supportsVolumeAttach')) {
        const v = await env.volume();
        await d.attachVolume(env.ctx, ti.legacy, { connectionInfo: v.connectionInfo, mountpoint: env.mountpoint(1) });
        volumes.push(driverVolume(v, env.mountpoint(1)));
      }
      await d.powerOn(env.ctx, ti.instance, { networkInfo: ti.networkInfo, blockDeviceInfo: blockDeviceInfo(volumes) });
      await d.powerOn(env.ctx, ti.instance, { networkInfo: ti.networkInfo, blockDeviceInfo: blockDeviceInfo(volumes) });
      expect(await state(env, d, ti)).toBe(PowerState.RUNNING);
      if (volumes.length && d.capabilities.supportsDiagnostics) {
        expect(diskIds(await d.getInstanceDiagnostics(env.ctx, ti.instance))).toContain(dev(env.mountpoint(1)));
      }
      for (const v of volumes) await d.detachVolume(env.ctx, ti.legacy, { connectionInfo: v.connectionInfo, mountpoint: v.mountDevice });
    },
  },
  {
    title: 'pause and unpause; pausing a stopped instance is InstanceNotRunning',
    covers: ['pause', 'unpause'],
    async run(env) {
      await env.requires('supportsPause');
      const d = await env.host('a');
      const ti = env.instance();
      await env.spawn(d, ti);
      await d.pause(ti.instance);
      expect(await state(env, d, ti)).toBe(PowerState.PAUSED);
      await d.unpause(ti.instance);
      expect(await state(env, d, ti)).toBe(PowerState.RUNNING);
      await d.powerOff(ti.instance, { timeoutSeconds: 0 });
      await expectError(d.pause(ti.instance), 'InstanceNotRunning');
      await expectError(d.pause(env.instance().instance), 'InstanceNotFound');
    },
  },
  {
    title: 'suspend and resume; suspending a stopped instance is InstanceNotRunning',
    covers: ['suspend', 'resume'],
    async run(env) {
      await env.requires('supportsSuspend');
      const d = await env.host('a');
      const ti = env.instance();
      await env.spawn(d, ti);
      await d.suspend(env.ctx, ti.instance);
      expect(await state(env, d, ti)).toBe(PowerState.SUSPENDED);
      await d.resume(env.ctx, ti.instance, { networkInfo: ti.networkInfo, blockDeviceInfo: none });
      expect(await state(env, d, ti)).toBe(PowerState.RUNNING);
      await d.powerOff(ti.instance, { timeoutSeconds: 0 });
      await expectError(d.suspend(env.ctx, ti.instance), 'InstanceNotRunning');
    },
  },
  {
    title: 'destroy: an unknown instance does not fail; destroying twice succeeds',
    covers: ['destroy'],
    async run(env) {
      const d = await env.host('a');
      const args = (ti: TestInstance) => ({ networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: true });
      const unknown = env.instance();
      await d.destroy(env.ctx, unknown.legacy, args(unknown));
      const ti = env.instance();
      await env.spawn(d, ti);
      await d.destroy(env.ctx, ti.legacy, args(ti));
      await d.destroy(env.ctx, ti.legacy, args(ti));
      expect(await d.listInstances()).not.toContain(ti.name);
    },
  },
  {
    title: 'cleanup: frees an instance no longer running here, keeps or unplugs VIFs as asked, idempotent',
    covers: ['cleanup'],
    async run(env) {
      const d = await env.host('a');
      const unknown = env.instance();
      await d.cleanup(env.ctx, unknown.legacy, { networkInfo: unknown.networkInfo, blockDeviceInfo: none, destroyDisks: true, destroyVifs: true });
      const [node] = await d.getAvailableNodes();
      const before = await d.getAvailableResource(node!);
      const ti = env.instance({ rootGb: 3 });
      await env.spawn(d, ti);
      await d.destroy(env.ctx, ti.legacy, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: false });
      const exact = env.expectations.resourceAccounting === 'exact';
      if (exact) expect((await d.getAvailableResource(node!)).local_gb_used - before.local_gb_used, 'disks kept by destroy').toBe(3);
      // What a migration leaves on its source: the VIFs are still plugged.
      await d.plugVifs(env.ctx, ti.instance, { networkInfo: ti.networkInfo });
      const vifId = ti.networkInfo[0]!.id!;
      const plugged = env.inspector.pluggedVifs;
      const args = (destroyVifs: boolean) => ({ networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: true, destroyVifs });
      await d.cleanup(env.ctx, ti.legacy, args(false));
      if (plugged) expect(await plugged(env.raw(d), ti.uuid), 'destroyVifs=false keeps VIFs').toContain(vifId);
      await d.cleanup(env.ctx, ti.legacy, args(true));
      await d.cleanup(env.ctx, ti.legacy, args(true));
      if (plugged) expect(await plugged(env.raw(d), ti.uuid), 'destroyVifs=true unplugs').not.toContain(vifId);
      if (exact) expect((await d.getAvailableResource(node!)).local_gb_used).toBe(before.local_gb_used);
    },
  },
];
