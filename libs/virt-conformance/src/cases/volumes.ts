import { isIPv4 } from 'node:net';
import { expect } from 'vitest';
import { readVolumeHead } from '../test-data.js';
import { expectError, type ConformanceCase } from './case.js';

export const VOLUME_CASES: readonly ConformanceCase[] = [
  {
    title: 'volume connector: ip, initiator and host of this host',
    covers: ['getVolumeConnector'],
    async run(env) {
      await env.requires('supportsVolumeAttach');
      const d = await env.host('a');
      const ti = env.instance();
      await env.spawn(d, ti);
      const c = await d.getVolumeConnector(env.ctx, ti.legacy);
      expect(isIPv4(c.ip), `${c.ip} is IPv4`).toBe(true);
      expect(c.initiator).toMatch(/\S/);
      expect(c.host).toMatch(/\S/);
    },
  },
  {
    title: 'attach and detach: a taken mountpoint is DeviceIsBusy, a missing file VolumeNotFound, no path InvalidConnectionInfo; detaching twice succeeds',
    covers: ['attachVolume', 'detachVolume'],
    async run(env) {
      await env.requires('supportsVolumeAttach');
      const d = await env.host('a');
      const ti = env.instance();
      await env.spawn(d, ti);
      const [v1, v2] = [await env.volume(), await env.volume()];
      const mp = env.mountpoint(1);
      await expectError(d.attachVolume(env.ctx, env.instance().legacy, { connectionInfo: v1.connectionInfo, mountpoint: mp }), 'InstanceNotFound');
      await d.attachVolume(env.ctx, ti.legacy, { connectionInfo: v1.connectionInfo, mountpoint: mp, diskBus: null, deviceType: 'disk' });
      await expectError(d.attachVolume(env.ctx, ti.legacy, { connectionInfo: v2.connectionInfo, mountpoint: mp }), 'DeviceIsBusy');
      const missing = { ...v2.connectionInfo, data: { ...v2.connectionInfo.data, path: `${v2.path}.missing` } };
      await expectError(d.attachVolume(env.ctx, ti.legacy, { connectionInfo: missing, mountpoint: env.mountpoint(2) }), 'VolumeNotFound');
      await expectError(d.attachVolume(env.ctx, ti.legacy, { connectionInfo: { driver_volume_type: 'file', data: {} }, mountpoint: env.mountpoint(2) }), 'InvalidConnectionInfo');
      await d.detachVolume(env.ctx, ti.legacy, { connectionInfo: v2.connectionInfo, mountpoint: env.mountpoint(2) });
      await d.detachVolume(env.ctx, ti.legacy, { connectionInfo: v1.connectionInfo, mountpoint: mp });
      await d.detachVolume(env.ctx, ti.legacy, { connectionInfo: v1.connectionInfo, mountpoint: mp });
      await d.attachVolume(env.ctx, ti.legacy, { connectionInfo: v2.connectionInfo, mountpoint: mp });
    },
  },
  {
    title: 'swap volume: the new volume holds the old data and takes the mountpoint',
    covers: ['swapVolume'],
    async run(env) {
      await env.requires('supportsSwapVolume');
      await env.requires('supportsVolumeAttach');
      const d = await env.host('a');
      const ti = env.instance();
      await env.spawn(d, ti);
      const marker = `conformance-marker-${ti.uuid}`;
      const [oldVol, newVol] = [await env.volume({ marker }), await env.volume()];
      const mp = env.mountpoint(1);
      await d.attachVolume(env.ctx, ti.legacy, { connectionInfo: oldVol.connectionInfo, mountpoint: mp });
      await d.swapVolume(env.ctx, ti.instance, { oldConnectionInfo: oldVol.connectionInfo, newConnectionInfo: newVol.connectionInfo, mountpoint: mp });
      expect(await readVolumeHead(newVol.path, marker.length)).toBe(marker);
      await d.detachVolume(env.ctx, ti.legacy, { connectionInfo: newVol.connectionInfo, mountpoint: mp });
      // The mountpoint is free again: the swapped-in volume was the one attached there.
      await d.attachVolume(env.ctx, ti.legacy, { connectionInfo: oldVol.connectionInfo, mountpoint: mp });
    },
  },
];
