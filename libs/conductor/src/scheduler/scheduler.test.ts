import { NoValidHost } from '@novakit/conductor-api';
import { describe, expect, it } from 'vitest';
import { ComputeFilter, CoreFilter, DEFAULT_SCHEDULER_OPTIONS, DiskFilter, RamFilter, type FilterRequest } from './filters.js';
import type { HostState, ResourceRequest } from './host-state.js';
import { Scheduler } from './scheduler.js';

const NOW = new Date('2030-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);
const small: ResourceRequest = { memory_mb: 1024, vcpus: 1, root_gb: 10, ephemeral_gb: 0 };

function host(name: string, over: Partial<HostState> = {}, service: Partial<NonNullable<HostState['service']>> | null = {}): HostState {
  return {
    host: name,
    nodename: name,
    service: service === null ? null : { id: 1, disabled: false, disabledReason: null, forcedDown: false, lastSeen: ago(5), version: 1, ...service },
    hypervisorType: 'fake',
    hypervisorVersion: 1,
    totalRamMb: 8192,
    freeRamMb: 8192,
    totalDiskGb: 100,
    freeDiskGb: 100,
    vcpusTotal: 4,
    vcpusUsed: 0,
    instancesPlaced: 0,
    ...over,
  };
}

const request = (resources: ResourceRequest = small): FilterRequest => ({ resources, ignoreHosts: [], forceHosts: [], options: DEFAULT_SCHEDULER_OPTIONS, now: NOW });
const scheduler = (options = {}) => new Scheduler(options, undefined, undefined, () => NOW);

describe('filters', () => {
  it('ComputeFilter: registered, enabled, not forced down, heartbeat within serviceDownSeconds', () => {
    expect(ComputeFilter.reject(host('a'), request())).toBeNull();
    expect(ComputeFilter.reject(host('a', {}, null), request())).toBe('no compute service record for this host');
    expect(ComputeFilter.reject(host('a', {}, { disabled: true, disabledReason: 'maintenance' }), request())).toBe('compute service disabled (maintenance)');
    expect(ComputeFilter.reject(host('a', {}, { forcedDown: true }), request())).toBe('compute service forced down');
    expect(ComputeFilter.reject(host('a', {}, { lastSeen: null }), request())).toBe('compute service never reported');
    expect(ComputeFilter.reject(host('a', {}, { lastSeen: ago(95) }), request())).toBe('compute service down (last heartbeat 95 s ago, limit 60 s)');
    expect(ComputeFilter.reject(host('a', {}, { lastSeen: ago(60) }), request())).toBeNull();
  });

  it('RamFilter applies ram_allocation_ratio to the total, not to what is free', () => {
    // 8192 MB total, 7680 used: 8192 * 1.5 - 7680 = 4608 MB usable.
    const h = host('a', { freeRamMb: 512 });
    expect(RamFilter.reject(h, request({ ...small, memory_mb: 4608 }))).toBeNull();
    expect(RamFilter.reject(h, request({ ...small, memory_mb: 4609 }))).toBe('4608 MB usable RAM < 4609 MB requested (8192 MB total, ram_allocation_ratio 1.5)');
    expect(RamFilter.reject(h, { ...request({ ...small, memory_mb: 1024 }), options: { ...DEFAULT_SCHEDULER_OPTIONS, ramAllocationRatio: 1.0 } })).toMatch(/^512 MB usable RAM < 1024/);
  });

  it('DiskFilter counts root and ephemeral disk against disk_allocation_ratio', () => {
    const h = host('a', { freeDiskGb: 15 });
    expect(DiskFilter.reject(h, request({ ...small, root_gb: 10, ephemeral_gb: 5 }))).toBeNull();
    expect(DiskFilter.reject(h, request({ ...small, root_gb: 10, ephemeral_gb: 6 }))).toBe('15 GB usable disk < 16 GB requested (100 GB total, disk_allocation_ratio 1)');
  });

  it('CoreFilter applies cpu_allocation_ratio; a host reporting no vCPUs passes', () => {
    expect(CoreFilter.reject(host('a', { vcpusTotal: 2, vcpusUsed: 31 }), request())).toBeNull();
    expect(CoreFilter.reject(host('a', { vcpusTotal: 2, vcpusUsed: 32 }), request())).toBe('0 usable vCPUs < 1 requested (2 total, 32 used, cpu_allocation_ratio 16)');
    expect(CoreFilter.reject(host('a', { vcpusTotal: 0, vcpusUsed: 99 }), request())).toBeNull();
  });
});

describe('Scheduler', () => {
  it('weighs by free RAM: the host with the most wins, ties by name', () => {
    const hosts = [host('a', { freeRamMb: 2048 }), host('b', { freeRamMb: 6000 }), host('c', { freeRamMb: 6000 })];
    expect(scheduler().select(hosts, { resources: small }).map((s) => s.host)).toEqual(['b']);
  });

  it('consumes what each instance takes, so a multi-instance request spreads', () => {
    const hosts = [host('a', { freeRamMb: 4096 }), host('b', { freeRamMb: 3584 })];
    const picks = scheduler().select(hosts, { resources: small, count: 3 }).map((s) => s.host);
    expect(picks).toEqual(['a', 'b', 'a']);
    expect(hosts[0]!.freeRamMb).toBe(4096 - 2048);
    expect(hosts[0]!.instancesPlaced).toBe(2);
  });

  it('gives the compute its claim limits with the allocation ratios applied', () => {
    const [sel] = scheduler({ ramAllocationRatio: 2 }).select([host('a')], { resources: small });
    expect(sel).toEqual({ host: 'a', nodename: 'a', limits: { memory_mb: 16384, disk_gb: 100, vcpu: 64 } });
  });

  it('honours ignore_hosts and force_hosts', () => {
    const hosts = () => [host('a', { freeRamMb: 8000 }), host('b', { freeRamMb: 4000 })];
    expect(scheduler().select(hosts(), { resources: small, ignoreHosts: ['a'] })[0]!.host).toBe('b');
    expect(scheduler().select(hosts(), { resources: small, forceHosts: ['b'] })[0]!.host).toBe('b');
  });

  it('NoValidHost names every host and the filter that rejected it', () => {
    const hosts = [
      host('down', {}, { lastSeen: ago(300) }),
      host('tiny', { totalRamMb: 1024, freeRamMb: 512 }),
      host('off', {}, { disabled: true, disabledReason: null }),
      host('full', { vcpusTotal: 1, vcpusUsed: 16 }),
      host('ghost', {}, null),
    ];
    const err = (() => {
      try {
        scheduler().select(hosts, { resources: { memory_mb: 2048, vcpus: 1, root_gb: 10, ephemeral_gb: 0 } });
      } catch (e) {
        return e;
      }
    })() as NoValidHost;
    expect(err).toBeInstanceOf(NoValidHost);
    expect(err.message).toBe(
      'No valid host was found. There are not enough hosts available. ' +
        'down: ComputeFilter: compute service down (last heartbeat 300 s ago, limit 60 s); ' +
        'tiny: RamFilter: 1024 MB usable RAM < 2048 MB requested (1024 MB total, ram_allocation_ratio 1.5); ' +
        'off: ComputeFilter: compute service disabled; ' +
        'full: CoreFilter: 0 usable vCPUs < 1 requested (1 total, 16 used, cpu_allocation_ratio 16); ' +
        'ghost: ComputeFilter: no compute service record for this host.',
    );
  });

  it('says which instance of a request found no host, and when there are no hosts at all', () => {
    const two = [host('a', { totalRamMb: 2048, freeRamMb: 2048 })];
    expect(() => scheduler({ ramAllocationRatio: 1 }).select(two, { resources: { ...small, memory_mb: 2048 }, count: 2 })).toThrow(/for instance 2 of 2\. a: RamFilter: 0 MB usable RAM/);
    expect(() => scheduler().select([], { resources: small })).toThrow('No valid host was found. There are no compute hosts.');
  });
});
