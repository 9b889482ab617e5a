// The conductor's scheduler: for each instance of a request, filter the hosts, weigh the
// survivors (most free RAM first: Nova's RAMWeigher, spreading), take the best and account
// for what the instance consumes there. When no host survives, NoValidHost names every host
// and the filter that rejected it.
import { NoValidHost } from '@novakit/conductor-api';
import type { RequestContext } from '@novakit/objects';
import { DEFAULT_FILTERS, DEFAULT_SCHEDULER_OPTIONS, type FilterRequest, type HostFilter, type SchedulerOptions } from './filters.js';
import { consume, loadHostStates, type HostState, type ResourceRequest } from './host-state.js';

export interface ScheduleRequest {
  readonly resources: ResourceRequest;
  readonly count?: number;
  readonly ignoreHosts?: readonly string[];
  readonly forceHosts?: readonly string[];
}

/** Where one instance goes, and the limits its compute should claim against (Nova's `limits`). */
export interface Selection {
  readonly host: string;
  readonly nodename: string | null;
  readonly limits: { readonly memory_mb: number; readonly disk_gb: number; readonly vcpu: number };
}

/** Orders hosts, best first. */
export type Weigher = (a: HostState, b: HostState) => number;

/** Most free RAM first; ties by host name, so a schedule is reproducible. */
export const ramWeigher: Weigher = (a, b) => b.freeRamMb - a.freeRamMb || a.host.localeCompare(b.host);

export class Scheduler {
  readonly options: SchedulerOptions;

  constructor(
    options: Partial<SchedulerOptions> = {},
    private readonly filters: readonly HostFilter[] = DEFAULT_FILTERS,
    private readonly weigher: Weigher = ramWeigher,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.options = { ...DEFAULT_SCHEDULER_OPTIONS, ...options };
  }

  /** Reads the hosts (ComputeNodeList, ServiceList on the context's database) and selects. */
  async selectDestinations(ctx: RequestContext, request: ScheduleRequest): Promise<Selection[]> {
    return this.select(await loadHostStates(ctx), request);
  }

  /** One selection per instance; the host states are consumed as instances are placed. */
  select(hosts: HostState[], request: ScheduleRequest): Selection[] {
    const count = request.count ?? 1;
    const filterRequest: FilterRequest = {
      resources: request.resources,
      ignoreHosts: request.ignoreHosts ?? [],
      forceHosts: request.forceHosts ?? [],
      options: this.options,
      now: this.clock(),
    };
    const out: Selection[] = [];
    for (let i = 0; i < count; i++) {
      const rejections: string[] = [];
      const passing = hosts.filter((h) => {
        const why = this.rejection(h, filterRequest);
        if (why) rejections.push(`${label(h)}: ${why}`);
        return !why;
      });
      if (!passing.length) throw new NoValidHost({ reason: noHostReason(hosts, rejections, i, count) });
      const best = [...passing].sort(this.weigher)[0]!;
      consume(best, request.resources);
      out.push({ host: best.host, nodename: best.nodename, limits: this.limits(best) });
    }
    return out;
  }

  private rejection(host: HostState, request: FilterRequest): string | null {
    for (const f of this.filters) {
      const why = f.reject(host, request);
      if (why) return `${f.name}: ${why}`;
    }
    return null;
  }

  private limits(h: HostState): Selection['limits'] {
    const o = this.options;
    return { memory_mb: h.totalRamMb * o.ramAllocationRatio, disk_gb: h.totalDiskGb * o.diskAllocationRatio, vcpu: h.vcpusTotal * o.cpuAllocationRatio };
  }
}

function label(h: HostState): string {
  return h.nodename && h.nodename !== h.host ? `${h.host} (${h.nodename})` : h.host;
}

function noHostReason(hosts: readonly HostState[], rejections: readonly string[], index: number, count: number): string {
  if (!hosts.length) return 'There are no compute hosts.';
  const which = count > 1 ? ` for instance ${index + 1} of ${count}` : '';
  return `There are not enough hosts available${which}. ${rejections.join('; ')}.`;
}
