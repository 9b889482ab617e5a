import type { LifecycleEvent, NetworkInfo } from '@novakit/virt-driver';
import type { FakeFilter } from './firewall.js';
import type { FakeGuest } from './guest.js';
import type { FakeStoragePool } from './network.js';
import type { FakeCpu, FakeHostSize } from './options.js';

export interface FakeHardware {
  readonly host: string;
  readonly nodename: string;
  readonly hostIp: string;
  readonly size: FakeHostSize;
  readonly cpu: FakeCpu;
  readonly storage?: string;
}

/**
 * One host's machine: what outlives a compute restart. Guests are the instances the host runs;
 * `incoming` holds receivers that pre_live_migration started (paused, not listed, but holding
 * memory); VIFs and filters are host-side state keyed by instance uuid, so they can exist
 * before an instance arrives or after it left.
 */
export class FakeHypervisor {
  readonly guests = new Map<string, FakeGuest>();
  readonly incoming = new Map<string, FakeGuest>();
  readonly vifs = new Map<string, Set<string>>();
  readonly filters = new Map<string, FakeFilter>();
  private readonly listeners = new Set<(event: LifecycleEvent) => void>();

  constructor(
    readonly hardware: FakeHardware,
    readonly storage: FakeStoragePool,
  ) {}

  get host(): string {
    return this.hardware.host;
  }

  attach(listener: (event: LifecycleEvent) => void): void {
    this.listeners.add(listener);
  }

  detach(listener: (event: LifecycleEvent) => void): void {
    this.listeners.delete(listener);
  }

  emit(event: LifecycleEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  plug(uuid: string, networkInfo: NetworkInfo): void {
    let set = this.vifs.get(uuid);
    if (!set) this.vifs.set(uuid, (set = new Set()));
    networkInfo.forEach((vif, i) => set.add(vif.id ?? `vif-${i}`));
  }

  unplug(uuid: string, networkInfo: NetworkInfo | null): void {
    const set = this.vifs.get(uuid);
    if (!set) return;
    if (networkInfo) networkInfo.forEach((vif, i) => set.delete(vif.id ?? `vif-${i}`));
    if (!networkInfo || set.size === 0) this.vifs.delete(uuid);
  }

  usage(): { vcpus: number; memoryMb: number } {
    let vcpus = 0;
    let memoryMb = 0;
    for (const map of [this.guests, this.incoming]) {
      for (const g of map.values()) {
        vcpus += g.facts.vcpus;
        memoryMb += g.facts.memoryMb;
      }
    }
    return { vcpus, memoryMb };
  }

  freeMemoryMb(): number {
    return this.hardware.size.memoryMb - this.usage().memoryMb;
  }

  freeDiskGb(): number {
    return this.storage.capacityGb - this.storage.usedGb();
  }

  cpuInfo(): string {
    const { arch, model, vendor, features } = this.hardware.cpu;
    return JSON.stringify({ arch, model, vendor, topology: { sockets: 1, cores: this.hardware.size.vcpus, threads: 1 }, features: [...features] });
  }

  /** Forget every trace of an instance here but its disks: the end of destroy, cleanup and rollbacks. */
  release(uuid: string, opts: { destroyDisks: boolean; destroyVifs: boolean }): void {
    this.guests.delete(uuid);
    this.incoming.delete(uuid);
    this.filters.delete(uuid);
    if (opts.destroyVifs) this.vifs.delete(uuid);
    if (opts.destroyDisks) this.storage.disks.delete(uuid);
  }
}
