import { expect } from 'vitest';
import { testBdm } from '../test-data.js';
import type { ConformanceCase } from './case.js';

// Nova's match_device: the bus prefix (`/dev/vd`, `/dev/sd`, `/dev/xvd`) and the index letters.
const prefixOf = (device: string) => /^(\/dev\/x?[a-z]?d?)[a-z]+$/.exec(device)?.[1] ?? device;

export const NAMING_CASES: readonly ConformanceCase[] = [
  {
    title: 'device naming: the root device is the first device of the bus',
    covers: ['defaultRootDeviceName'],
    async run(env) {
      await env.requires('supportsDeviceNaming');
      const d = await env.host('a');
      const ti = env.instance();
      const root = await d.defaultRootDeviceName(env.ctx, ti.legacy, { imageMeta: env.image, rootBdm: null });
      expect(root).toMatch(/^\/dev\/[a-z]+a$/);
      const rootBdm = testBdm(env.ctx, ti.uuid, 'volume', null);
      rootBdm.boot_index = 0;
      expect(await d.defaultRootDeviceName(env.ctx, ti.legacy, { imageMeta: env.image, rootBdm })).toMatch(/^\/dev\/[a-z]+a$/);
    },
  },
  {
    title: 'device naming: every unnamed BDM gets a free name on the root bus and is saved; defaults written back through VirtAPI',
    covers: ['defaultDeviceNamesForInstance'],
    async run(env) {
      await env.requires('supportsDeviceNaming');
      const d = await env.host('a');
      const ti = env.instance();
      const root = await d.defaultRootDeviceName(env.ctx, ti.legacy, { imageMeta: env.image, rootBdm: null });
      const prefix = prefixOf(root);
      const taken = `${prefix}b`;
      const ephemeral = testBdm(env.ctx, ti.uuid, 'ephemeral');
      const swap = testBdm(env.ctx, ti.uuid, 'swap');
      const volume = testBdm(env.ctx, ti.uuid, 'volume');
      const named = testBdm(env.ctx, ti.uuid, 'volume', taken);
      const savesBefore = env.virtapi.objectActions.length;
      await d.defaultDeviceNamesForInstance(env.ctx, ti.legacy, { rootDeviceName: root, lists: { ephemerals: [ephemeral], swap: [swap], volumes: [volume, named] } });
      const names = [ephemeral, swap, volume].map((b) => b.device_name);
      for (const n of names) {
        expect(n).toMatch(/^\/dev\/[a-z]+$/);
        expect(prefixOf(n!)).toBe(prefix);
      }
      expect(new Set([root, taken, ...names]).size, 'names are distinct and skip the root and taken ones').toBe(5);
      expect(named.device_name).toBe(taken);
      const saves = env.virtapi.objectActions.slice(savesBefore).filter((a) => a.objname === 'BlockDeviceMapping' && a.method === 'save');
      expect(saves.map((s) => s.changes.device_name).sort()).toEqual([...names].sort());
      const updates = env.virtapi.callsTo('instance_update', (c) => c.args[0] === ti.uuid).map((c) => c.args[1] as Record<string, unknown>);
      const written = Object.assign({}, ...updates);
      expect(written).toMatchObject({ default_ephemeral_device: ephemeral.device_name, default_swap_device: swap.device_name });
      expect(env.virtapi.instanceRow(ti.uuid)).toMatchObject({ default_ephemeral_device: ephemeral.device_name, default_swap_device: swap.device_name });
    },
  },
];
