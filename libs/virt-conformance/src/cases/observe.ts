import { PowerState } from '@novakit/objects';
import type { LifecycleEvent, LifecycleTransition } from '@novakit/virt-driver';
import { expect } from 'vitest';
import { blockDeviceInfo } from '../test-data.js';
import { expectError, type ConformanceCase } from './case.js';

const none = blockDeviceInfo();

export const OBSERVE_CASES: readonly ConformanceCase[] = [
  {
    title: 'console output: a bounded string; an unknown instance is InstanceNotFound',
    covers: ['getConsoleOutput'],
    async run(env) {
      await env.requires('supportsConsoleOutput');
      const d = await env.host('a');
      const ti = env.instance();
      await env.spawn(d, ti);
      const out = await d.getConsoleOutput(env.ctx, ti.instance);
      expect(typeof out).toBe('string');
      expect(out.length).toBeLessThanOrEqual(1024 * 1024);
      await expectError(d.getConsoleOutput(env.ctx, env.instance().instance), 'InstanceNotFound');
    },
  },
  {
    title: 'diagnostics: counters and the typed form of a running instance; stopped is InstanceNotRunning, unknown InstanceNotFound',
    covers: ['getDiagnostics', 'getInstanceDiagnostics'],
    async run(env) {
      await env.requires('supportsDiagnostics');
      const d = await env.host('a');
      const ti = env.instance({ memoryMb: 64, vcpus: 1 });
      await env.spawn(d, ti);
      const legacy = await d.getDiagnostics(env.ctx, ti.legacy);
      expect(Object.keys(legacy).length).toBeGreaterThan(0);
      for (const [k, v] of Object.entries(legacy)) expect(['number', 'string'], k).toContain(typeof v);
      const typed = await d.getInstanceDiagnostics(env.ctx, ti.instance);
      expect(typed.version).toBe('1.0');
      expect(typed.driver).toMatch(/\S/);
      expect(typed.cpuDetails.length).toBeGreaterThanOrEqual(1);
      expect(typed.memoryDetails.maximumMb).toBe(64);
      expect(typed.diskDetails.length).toBeGreaterThanOrEqual(1);
      expect(typed.nicDetails.map((n) => n.macAddress?.toLowerCase())).toContain(ti.networkInfo[0]!.address);
      await d.powerOff(ti.instance, { timeoutSeconds: 0 });
      await expectError(d.getDiagnostics(env.ctx, ti.legacy), 'InstanceNotRunning');
      await expectError(d.getInstanceDiagnostics(env.ctx, ti.instance), 'InstanceNotRunning');
      const unknown = env.instance();
      await expectError(d.getDiagnostics(env.ctx, unknown.legacy), 'InstanceNotFound');
      await expectError(d.getInstanceDiagnostics(env.ctx, unknown.instance), 'InstanceNotFound');
    },
  },
  {
    title: 'lifecycle events: in order per instance, a throwing listener is contained, null unregisters',
    covers: ['registerEventListener'],
    async run(env) {
      const d = await env.host('a');
      const events: LifecycleEvent[] = [];
      d.registerEventListener((e) => events.push(e));
      const ti = env.instance();
      const mine = () => events.filter((e) => e.instanceUuid === ti.uuid).map((e) => e.transition);
      const expected: LifecycleTransition[] = [];
      const step = async (transition: LifecycleTransition, action: () => Promise<void>) => {
        await action();
        expected.push(transition);
        await env.waitFor(`${transition} event`, () => mine().length >= expected.length);
      };
      if (!d.capabilities.supportsLifecycleEvents) {
        await env.spawn(d, ti);
        await d.powerOff(ti.instance, { timeoutSeconds: 0 });
        expect(mine(), 'a driver without events sends none').toEqual([]);
        return;
      }
      await step('started', () => env.spawn(d, ti));
      await step('stopped', () => d.powerOff(ti.instance, { timeoutSeconds: 0 }));
      await step('started', () => d.powerOn(env.ctx, ti.instance, { networkInfo: ti.networkInfo, blockDeviceInfo: none }));
      if (d.capabilities.supportsPause) {
        await step('paused', () => d.pause(ti.instance));
        await step('resumed', () => d.unpause(ti.instance));
      }
      if (d.capabilities.supportsSuspend) {
        await step('suspended', () => d.suspend(env.ctx, ti.instance));
        await step('resumed', () => d.resume(env.ctx, ti.instance, { networkInfo: ti.networkInfo, blockDeviceInfo: none }));
      }
      expect(mine()).toEqual(expected);
      for (const e of events) expect(e.timestamp).toBeInstanceOf(Date);

      let thrown = 0;
      d.registerEventListener(() => {
        thrown++;
        throw new Error('listener failure the driver must contain');
      });
      await d.powerOff(ti.instance, { timeoutSeconds: 0 });
      await env.waitFor('the throwing listener to be called', () => thrown > 0);
      expect((await d.getInfo(env.ctx, ti.legacy)).state).toBe(PowerState.SHUTDOWN);

      d.registerEventListener(null);
      const seen = events.length;
      await d.powerOn(env.ctx, ti.instance, { networkInfo: ti.networkInfo, blockDeviceInfo: none });
      expect(events.length, 'no events after unregistering').toBe(seen);
    },
  },
];
