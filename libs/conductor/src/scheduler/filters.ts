// Host filters, after Nova's filter scheduler: each looks at one host and either passes it
// (null) or says, in words an operator can act on, why it cannot take the instance.
import type { HostState, ResourceRequest } from './host-state.js';

export interface SchedulerOptions {
  /** Virtual RAM per physical RAM (Nova's ram_allocation_ratio). */
  readonly ramAllocationRatio: number;
  /** Virtual disk per physical disk (Nova's disk_allocation_ratio). */
  readonly diskAllocationRatio: number;
  /** Virtual CPUs per physical CPU (Nova's cpu_allocation_ratio). */
  readonly cpuAllocationRatio: number;
  /** A service whose last heartbeat is older than this is down (Nova's service_down_time). */
  readonly serviceDownSeconds: number;
  /** Destinations a live migration tries before giving up (Nova's migrate_max_retries + 1). */
  readonly maxMigrationAttempts: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = {
  ramAllocationRatio: 1.5,
  diskAllocationRatio: 1.0,
  cpuAllocationRatio: 16.0,
  serviceDownSeconds: 60,
  maxMigrationAttempts: 3,
};

export interface FilterRequest {
  readonly resources: ResourceRequest;
  readonly ignoreHosts: readonly string[];
  /** Empty: any host. */
  readonly forceHosts: readonly string[];
  readonly options: SchedulerOptions;
  readonly now: Date;
}

export interface HostFilter {
  readonly name: string;
  /** Null to pass the host, else why it is rejected. */
  reject(host: HostState, request: FilterRequest): string | null;
}

const round = (n: number): number => Math.floor(n * 10) / 10;

export const IgnoreHostsFilter: HostFilter = {
  name: 'IgnoreHostsFilter',
  reject: (h, r) => (r.ignoreHosts.includes(h.host) ? 'host excluded by the request (a migration source or a host already tried)' : null),
};

export const ForceHostsFilter: HostFilter = {
  name: 'ForceHostsFilter',
  reject: (h, r) => (r.forceHosts.length && !r.forceHosts.includes(h.host) ? `not one of the forced hosts ${r.forceHosts.join(', ')}` : null),
};

/** The compute service is registered, enabled and up (heartbeat younger than serviceDownSeconds). */
export const ComputeFilter: HostFilter = {
  name: 'ComputeFilter',
  reject(h, r) {
    const s = h.service;
    if (!s) return 'no compute service record for this host';
    if (s.disabled) return `compute service disabled${s.disabledReason ? ` (${s.disabledReason})` : ''}`;
    if (s.forcedDown) return 'compute service forced down';
    if (!s.lastSeen) return 'compute service never reported';
    const age = (r.now.getTime() - s.lastSeen.getTime()) / 1000;
    return age > r.options.serviceDownSeconds ? `compute service down (last heartbeat ${Math.round(age)} s ago, limit ${r.options.serviceDownSeconds} s)` : null;
  },
};

export const RamFilter: HostFilter = {
  name: 'RamFilter',
  reject(h, r) {
    const ratio = r.options.ramAllocationRatio;
    const usable = h.totalRamMb * ratio - (h.totalRamMb - h.freeRamMb);
    return usable < r.resources.memory_mb
      ? `${round(usable)} MB usable RAM < ${r.resources.memory_mb} MB requested (${h.totalRamMb} MB total, ram_allocation_ratio ${ratio})`
      : null;
  },
};

export const DiskFilter: HostFilter = {
  name: 'DiskFilter',
  reject(h, r) {
    const ratio = r.options.diskAllocationRatio;
    const wanted = r.resources.root_gb + r.resources.ephemeral_gb;
    const usable = h.totalDiskGb * ratio - (h.totalDiskGb - h.freeDiskGb);
    return usable < wanted ? `${round(usable)} GB usable disk < ${wanted} GB requested (${h.totalDiskGb} GB total, disk_allocation_ratio ${ratio})` : null;
  },
};

/** Nova's CoreFilter; a host that reports no vCPU count passes (it cannot be judged). */
export const CoreFilter: HostFilter = {
  name: 'CoreFilter',
  reject(h, r) {
    if (!h.vcpusTotal) return null;
    const ratio = r.options.cpuAllocationRatio;
    const usable = h.vcpusTotal * ratio - h.vcpusUsed;
    return usable < r.resources.vcpus
      ? `${round(usable)} usable vCPUs < ${r.resources.vcpus} requested (${h.vcpusTotal} total, ${h.vcpusUsed} used, cpu_allocation_ratio ${ratio})`
      : null;
  },
};

/** In order: the cheap, request-level ones first. */
export const DEFAULT_FILTERS: readonly HostFilter[] = [IgnoreHostsFilter, ForceHostsFilter, ComputeFilter, RamFilter, DiskFilter, CoreFilter];
