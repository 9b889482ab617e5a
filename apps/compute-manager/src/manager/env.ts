// What every operation of the manager works with: this host, its driver, the conductor's
// legacy methods, the client for other computes, a logger, and the in-flight registry that
// lets shutdown stop taking work and wait for what runs.
import type { ComputeRpcClient } from '@novakit/compute-api';
import type { ComputeDriver } from '@novakit/virt-driver';
import type { Logger } from 'pino';
import { ComputeShuttingDown } from '../errors.js';
import type { ConductorLegacyApi } from '../ports.js';

export interface ManagerEnv {
  readonly host: string;
  /** The node this host reports (the driver's first node); known after init_host. */
  nodename: string;
  readonly driver: ComputeDriver;
  readonly conductor: ConductorLegacyApi;
  /** Calls to other computes (live migration, shared-storage checks). */
  readonly compute: ComputeRpcClient;
  readonly log: Logger;
  readonly inflight: InFlight;
  /**
   * The instances this host accounts for changed (claimed by a build, deleted, migrated in or
   * out): report the node's usage soon rather than at the next periodic report, so the
   * scheduler does not place the next instance on stale numbers (Nova's resource claims).
   */
  usageChanged(): void;
}

/** Operations running now; shutdown closes it and waits for them (or abandons them to init_host). */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly host: string) {}

  get size(): number {
    return this.running.size;
  }

  get accepting(): boolean {
    return !this.closed;
  }

  /** Runs `work` as one in-flight operation; refused with ComputeShuttingDown once closed. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ComputeShuttingDown({ host: this.host }));
    const p = work();
    this.running.add(p);
    const done = () => this.running.delete(p);
    p.then(done, done);
    return p;
  }

  /** Stops taking work and waits up to `graceMs` for what runs; resolves with how many were abandoned. */
  async close(graceMs: number): Promise<number> {
    this.closed = true;
    if (this.running.size === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    const all = Promise.allSettled([...this.running]).then(() => true);
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
    const finished = await Promise.race([all, late]);
    clearTimeout(timer);
    return finished ? 0 : this.running.size;
  }
}
