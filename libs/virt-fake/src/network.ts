import { FakeHypervisor, type FakeHardware } from './hypervisor.js';

/**
 * Instance storage that one or more hosts mount. Disks are sizes by instance uuid; probes are
 * the marker files of shared-storage checks (a host sees a probe iff it mounts the same pool).
 */
export class FakeStoragePool {
  readonly disks = new Map<string, number>();
  private readonly probes = new Set<string>();
  private probeCount = 0;

  constructor(
    readonly id: string,
    readonly capacityGb: number,
  ) {}

  usedGb(): number {
    let sum = 0;
    for (const gb of this.disks.values()) sum += gb;
    return sum;
  }

  createProbe(): string {
    const name = `${this.id}:probe-${++this.probeCount}`;
    this.probes.add(name);
    return name;
  }

  hasProbe(name: unknown): boolean {
    return typeof name === 'string' && this.probes.has(name);
  }

  removeProbe(name: unknown): void {
    if (typeof name === 'string') this.probes.delete(name);
  }
}

/**
 * The in-process "datacenter": fake hypervisors by host name and the storage pools they mount.
 * Live migration finds the destination here, and a driver created again for a known host name
 * attaches to the machine it left (instances survive a compute restart). Per host it holds one
 * small object and a few maps, so hundreds of hosts fit in one test process.
 */
export class FakeHypervisorNetwork {
  private readonly hypervisors = new Map<string, FakeHypervisor>();
  private readonly pools = new Map<string, FakeStoragePool>();

  join(hardware: FakeHardware): FakeHypervisor {
    let hv = this.hypervisors.get(hardware.host);
    if (!hv) {
      hv = new FakeHypervisor(hardware, this.pool(hardware.storage ?? hardware.host, hardware.size.diskGb));
      this.hypervisors.set(hardware.host, hv);
    }
    return hv;
  }

  find(host: string): FakeHypervisor | undefined {
    return this.hypervisors.get(host);
  }

  /** The pool named `id`; its capacity is fixed by the first host that mounts it. */
  pool(id: string, capacityGb: number): FakeStoragePool {
    let pool = this.pools.get(id);
    if (!pool) {
      pool = new FakeStoragePool(id, capacityGb);
      this.pools.set(id, pool);
    }
    return pool;
  }

  hostNames(): string[] {
    return [...this.hypervisors.keys()];
  }

  /** Decommission a host: its machine and everything on it are gone. */
  remove(host: string): void {
    this.hypervisors.delete(host);
  }
}

/** The network drivers join when their options name none (`novakit up` with several fake computes). */
export const defaultFakeNetwork = new FakeHypervisorNetwork();
