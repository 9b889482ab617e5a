import { CAPABILITY_METHODS, NO_CAPABILITIES, type CapabilityName, type DriverMethodName } from '@novakit/virt-driver';
import { expect } from 'vitest';
import { PLACEHOLDER_CALLS } from '../methods.js';
import type { ConformanceCase } from './case.js';

const CAPABILITIES = Object.keys(NO_CAPABILITIES) as CapabilityName[];

export const SUPPORT_CASES: readonly ConformanceCase[] = [
  {
    title: 'capabilities: a complete boolean record that matches the expectations for this driver',
    covers: [],
    async run(env) {
      const caps = await env.capabilities();
      expect(Object.keys(caps).sort()).toEqual([...CAPABILITIES].sort());
      for (const c of CAPABILITIES) expect(typeof caps[c], c).toBe('boolean');
      const missing = CAPABILITIES.filter((c) => !caps[c]).sort();
      expect(missing, 'expectations.unsupported lists exactly the false capabilities').toEqual([...env.expectations.unsupported].sort());
    },
  },
  {
    title: 'not supported: every method of a false capability throws NotSupportedError',
    covers: [],
    async run(env) {
      const d = await env.host('a');
      const probe = env.instance();
      const methods: DriverMethodName[] = CAPABILITIES.filter((c) => !d.capabilities[c]).flatMap((c) => [...CAPABILITY_METHODS[c]]);
      env.recording.cover(methods);
      for (const method of methods) {
        const call = Promise.resolve().then(() => PLACEHOLDER_CALLS[method](d, { ctx: env.ctx, instance: probe.instance, legacy: probe.legacy }));
        await expect(call, method).rejects.toMatchObject({ name: 'NotSupportedError', kwargs: { method } });
      }
    },
  },
];
