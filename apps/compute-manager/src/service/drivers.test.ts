import { DriverNotFound, loadComputeDriver, type VirtAPI } from '@novakit/virt-driver';
import { describe, expect, it } from 'vitest';
import { defaultDriverFactories } from './drivers.js';

const virtapi = {} as VirtAPI;

describe('driver factories', () => {
  it('links fake and qemu by their configuration names', () => {
    expect(Object.keys(defaultDriverFactories()).sort()).toEqual(['fake', 'qemu']);
    expect(loadComputeDriver('fake', defaultDriverFactories(), { host: 'h', virtapi, config: {} }).name).toBe('fake');
  });

  it('names the known drivers when the configured one is unknown', () => {
    expect(() => loadComputeDriver('kvm', defaultDriverFactories(), { host: 'h', virtapi, config: {} })).toThrow(DriverNotFound);
  });
});
