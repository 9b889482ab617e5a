import { expect } from 'vitest';
import { b64, expectError, type ConformanceCase } from './case.js';

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

export const NETWORK_CASES: readonly ConformanceCase[] = [
  {
    title: 'macs and DHCP options: null without network constraints, else well-formed',
    covers: ['macsForInstance', 'dhcpOptionsForInstance'],
    async run(env) {
      const d = await env.host('a');
      const ti = env.instance();
      const macs = await d.macsForInstance(env.ctx, ti.legacy);
      const dhcp = await d.dhcpOptionsForInstance(env.ctx, ti.legacy);
      if (!d.capabilities.supportsNetworkConstraints) {
        expect(macs).toBeNull();
        expect(dhcp).toBeNull();
        return;
      }
      if (macs !== null) for (const mac of macs) expect(mac).toMatch(MAC);
      if (dhcp !== null) for (const opt of dhcp) expect(opt).toEqual({ opt_name: expect.stringMatching(/\S/), opt_value: expect.any(String) });
    },
  },
  {
    title: 'VIFs: plugging and unplugging are idempotent, also for an instance not on the host',
    covers: ['plugVifs', 'unplugVifs'],
    async run(env) {
      const d = await env.host('a');
      const ti = env.instance();
      await env.spawn(d, ti);
      const vifId = ti.networkInfo[0]!.id!;
      const plugged = env.inspector.pluggedVifs ? (uuid: string) => env.inspector.pluggedVifs!(env.raw(d), uuid) : null;
      await d.plugVifs(env.ctx, ti.instance, { networkInfo: ti.networkInfo });
      await d.plugVifs(env.ctx, ti.instance, { networkInfo: ti.networkInfo });
      if (plugged) expect(await plugged(ti.uuid)).toEqual([vifId]);
      await d.unplugVifs(env.ctx, ti.legacy, { networkInfo: ti.networkInfo });
      await d.unplugVifs(env.ctx, ti.legacy, { networkInfo: ti.networkInfo });
      if (plugged) expect(await plugged(ti.uuid)).toEqual([]);
      // pre_live_migration plugs before the instance arrives; unplug of what was never plugged succeeds.
      const arriving = env.instance();
      await d.plugVifs(env.ctx, arriving.instance, { networkInfo: arriving.networkInfo });
      if (plugged) expect(await plugged(arriving.uuid)).toContain(arriving.networkInfo[0]!.id);
      await d.unplugVifs(env.ctx, arriving.legacy, { networkInfo: arriving.networkInfo });
      const never = env.instance();
      await d.unplugVifs(env.ctx, never.legacy, { networkInfo: never.networkInfo });
    },
  },
  {
    title: 'inject_file: writes a base64 file into a guest; an unknown instance is InstanceNotFound',
    covers: ['injectFile'],
    async run(env) {
      await env.requires('supportsInjectFile');
      const d = await env.host('a');
      const ti = env.instance();
      await env.spawn(d, ti);
      await d.injectFile(env.ctx, ti.legacy, { path: '/etc/motd', contents: b64('welcome to novakit\n') });
      if (env.inspector.injectedFiles) expect(await env.inspector.injectedFiles(env.raw(d), ti.uuid)).toMatchObject({ '/etc/motd': b64('welcome to novakit\n') });
      await expectError(d.injectFile(env.ctx, env.instance().legacy, { path: '/etc/motd', contents: b64('x') }), 'InstanceNotFound');
    },
  },
  {
    title: 'inject_network_info: pushes the network model into a guest; an unknown instance is InstanceNotFound',
    covers: ['injectNetworkInfo'],
    async run(env) {
      await env.requires('supportsInjectNetworkInfo');
      const d = await env.host('a');
      const ti = env.instance();
      await env.spawn(d, ti);
      await d.injectNetworkInfo(env.ctx, ti.legacy, { networkInfo: ti.networkInfo });
      if (env.inspector.injectedNetworkInfo) expect((await env.inspector.injectedNetworkInfo(env.raw(d), ti.uuid)).at(-1)).toEqual(ti.networkInfo);
      const unknown = env.instance();
      await expectError(d.injectNetworkInfo(env.ctx, unknown.legacy, { networkInfo: unknown.networkInfo }), 'InstanceNotFound');
    },
  },
  {
    title: 'reset_network: asks the guest to reset its networking; an unknown instance is InstanceNotFound',
    covers: ['resetNetwork'],
    async run(env) {
      await env.requires('supportsResetNetwork');
      const d = await env.host('a');
      const ti = env.instance();
      await env.spawn(d, ti);
      await d.resetNetwork(env.ctx, ti.legacy);
      await d.resetNetwork(env.ctx, ti.legacy);
      if (env.inspector.networkResets) expect(await env.inspector.networkResets(env.raw(d), ti.uuid)).toBe(2);
      await expectError(d.resetNetwork(env.ctx, env.instance().legacy), 'InstanceNotFound');
    },
  },
];
