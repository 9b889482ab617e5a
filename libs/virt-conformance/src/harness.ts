import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { NetworkInfo, RequestContext } from '@novakit/objects';
import {
  CAPABILITY_METHODS,
  type CapabilityName,
  type ComputeDriver,
  type ComputeInfo,
  type DriverCapabilities,
  type DriverMethodName,
  type DriverVolume,
  type ImageMeta,
  type VirtAPI,
} from '@novakit/virt-driver';
import { expect } from 'vitest';
import type { DriverExpectations } from './expectations.js';
import { FakeVirtAPI } from './fake-virtapi.js';
import { PLACEHOLDER_CALLS } from './methods.js';
import type { CallOutcome, CaseRecording } from './recorder.js';
import { blockDeviceInfo, createTestInstance, createTestVolume, type TestInstance, type TestInstanceOptions, type TestVolume } from './test-data.js';

/** What the factory gets to build one host's driver. */
export interface ConformanceHost {
  /** The host name; the two hosts of a migration case differ. */
  readonly host: string;
  /** The manager's back-channel (a FakeVirtAPI view for this host). */
  readonly virtapi: VirtAPI;
  /** A fresh directory for this host's state (instance directories, sockets). */
  readonly workDir: string;
}

/**
 * Observations the contract cannot express, from a driver's own state. Each is optional: the
 * suite asserts with the ones given. `driver` is the driver the factory returned.
 */
export interface DriverInspector {
  pluggedVifs?(driver: ComputeDriver, instanceUuid: string): readonly string[] | Promise<readonly string[]>;
  isFiltered?(driver: ComputeDriver, instanceUuid: string): boolean | Promise<boolean>;
  /** Files injected into the guest: path → base64 contents. */
  injectedFiles?(driver: ComputeDriver, instanceUuid: string): Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>;
  /** Network info pushed into the guest, oldest first. */
  injectedNetworkInfo?(driver: ComputeDriver, instanceUuid: string): readonly NetworkInfo[] | Promise<readonly NetworkInfo[]>;
  networkResets?(driver: ComputeDriver, instanceUuid: string): number | Promise<number>;
}

export interface SuiteSetup {
  readonly name: string;
  readonly createDriver: (host: ConformanceHost) => ComputeDriver | Promise<ComputeDriver>;
  readonly destroyDriver?: (driver: ComputeDriver, host: ConformanceHost) => void | Promise<void>;
  readonly expectations: DriverExpectations;
  readonly inspector: DriverInspector;
  readonly workDir: string;
  readonly image: ImageMeta;
}

export type HostRole = 'a' | 'b';

interface HostEntry {
  readonly spec: ConformanceHost;
  readonly raw: ComputeDriver;
  readonly driver: ComputeDriver;
}

/** Thrown to end a case early once it has shown that a capability is missing. */
export class CaseEnded extends Error {}

function outcomeOf(e: unknown): CallOutcome {
  return (e as Error | null)?.name === 'NotSupportedError' ? 'not-supported' : 'error';
}

/** The driver as the case sees it: every contract call is recorded for the report. */
function tracked(driver: ComputeDriver, recording: CaseRecording): ComputeDriver {
  return new Proxy(driver, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function' || typeof prop !== 'string' || !Object.prototype.hasOwnProperty.call(PLACEHOLDER_CALLS, prop)) return value;
      const method = prop as DriverMethodName;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (e) {
          recording.record(method, outcomeOf(e));
          throw e;
        }
        if (result instanceof Promise) {
          return result.then(
            (v) => (recording.record(method, 'ok'), v),
            (e) => {
              recording.record(method, outcomeOf(e));
              throw e;
            },
          );
        }
        recording.record(method, 'ok');
        return result;
      };
    },
  });
}

/** One case's world: its hosts, instances, volumes and the things to tear down. */
export class CaseEnv {
  readonly virtapi = FakeVirtAPI.create();
  readonly ctx: RequestContext = this.virtapi.context();
  private readonly hosts = new Map<string, HostEntry>();
  private readonly spawned = new Set<TestInstance>();
  private volumeDir: string | null = null;

  constructor(
    readonly setup: SuiteSetup,
    readonly recording: CaseRecording,
    private readonly covers: readonly DriverMethodName[],
    private readonly caseId: string,
  ) {}

  get expectations(): DriverExpectations {
    return this.setup.expectations;
  }

  get inspector(): DriverInspector {
    return this.setup.inspector;
  }

  get image(): ImageMeta {
    return this.setup.image;
  }

  hostName(role: HostRole): string {
    return `${this.setup.name}-${this.caseId}-${role}`;
  }

  /** The driver of host `role`, built and initHost-ed on first use. */
  async host(role: HostRole = 'a'): Promise<ComputeDriver> {
    return (this.hosts.get(role) ?? (await this.startHost(role, role))).driver;
  }

  /** A second driver for host `role`, as a restarted compute manager would build. */
  async restartHost(role: HostRole): Promise<ComputeDriver> {
    return (await this.startHost(role, `${role}-restarted`)).driver;
  }

  private async startHost(role: HostRole, key: string): Promise<HostEntry> {
    const host = this.hostName(role);
    const workDir = join(this.setup.workDir, host);
    await mkdir(workDir, { recursive: true });
    const spec: ConformanceHost = { host, virtapi: this.virtapi.forHost(host), workDir };
    const raw = await this.setup.createDriver(spec);
    const entry = { spec, raw, driver: tracked(raw, this.recording) };
    this.hosts.set(key, entry);
    await entry.driver.initHost(host);
    return entry;
  }

  /** The unwrapped driver (for an inspector). */
  raw(driver: ComputeDriver): ComputeDriver {
    for (const entry of this.hosts.values()) if (entry.driver === driver || entry.raw === driver) return entry.raw;
    return driver;
  }

  /** The capabilities of host a, if the case started it. */
  knownCapabilities(): DriverCapabilities | null {
    return this.hosts.get('a')?.raw.capabilities ?? null;
  }

  async capabilities(): Promise<DriverCapabilities> {
    return (await this.host('a')).capabilities;
  }

  instance(opts: TestInstanceOptions = {}): TestInstance {
    const ti = createTestInstance({ host: this.hostName('a'), ctx: this.ctx, ...opts });
    this.virtapi.addInstance(ti.instance);
    return ti;
  }

  async volume(opts: { sizeMb?: number; marker?: string } = {}): Promise<TestVolume> {
    if (!this.volumeDir) {
      this.volumeDir = join(this.setup.workDir, `${this.caseId}-volumes`);
      await mkdir(this.volumeDir, { recursive: true });
    }
    return createTestVolume(this.volumeDir, opts);
  }

  /** The n-th volume mountpoint (1 → `<prefix>b`), on the bus the driver names devices on. */
  mountpoint(n: number): string {
    return `${this.expectations.devicePrefix}${String.fromCharCode(97 + n)}`;
  }

  async spawn(driver: ComputeDriver, ti: TestInstance, volumes: readonly DriverVolume[] = []): Promise<void> {
    this.spawned.add(ti);
    await driver.spawn(this.ctx, ti.instance, { imageMeta: this.image, networkInfo: ti.networkInfo, blockDeviceInfo: blockDeviceInfo(volumes), adminPassword: 'conformance-secret' });
  }

  /** Remember an instance for teardown that reached a host other than by spawn. */
  track(ti: TestInstance): void {
    this.spawned.add(ti);
  }

  /**
   * Whether `capability` holds. When it does not, every method of it that this case covers
   * must throw NotSupportedError (checked here), and the case goes on without them.
   */
  async supports(capability: CapabilityName): Promise<boolean> {
    const driver = await this.host('a');
    if (driver.capabilities[capability]) return true;
    const probe = createTestInstance({ ctx: this.ctx });
    for (const method of CAPABILITY_METHODS[capability]) {
      if (!this.covers.includes(method)) continue;
      const call = Promise.resolve().then(() => PLACEHOLDER_CALLS[method](driver, { ctx: this.ctx, instance: probe.instance, legacy: probe.legacy }));
      await expect(call, `${method} without ${capability}`).rejects.toMatchObject({ name: 'NotSupportedError' });
    }
    return false;
  }

  /** As supports(), but the case ends when the capability is missing. */
  async requires(capability: CapabilityName): Promise<void> {
    if (!(await this.supports(capability))) throw new CaseEnded(`${capability} is false`);
  }

  async computeInfo(driver: ComputeDriver): Promise<ComputeInfo> {
    const [node] = await driver.getAvailableNodes();
    const r = await driver.getAvailableResource(node!);
    return { ...r, free_ram_mb: r.memory_mb - r.memory_mb_used, free_disk_gb: r.local_gb - r.local_gb_used };
  }

  async waitFor(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
    const deadline = Date.now() + this.expectations.eventTimeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out after ${this.expectations.eventTimeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Destroy what the case left on any host, then release the hosts; nothing here is recorded. */
  async teardown(): Promise<void> {
    this.recording.active = false;
    const entries = [...this.hosts.values()];
    for (const ti of this.spawned) {
      for (const { raw } of entries) {
        await raw.destroy(this.ctx, ti.legacy, { networkInfo: ti.networkInfo, blockDeviceInfo: blockDeviceInfo(), destroyDisks: true }).catch(() => {});
      }
    }
    for (const { raw, spec } of entries) {
      await raw.cleanupHost(spec.host).catch(() => {});
      await this.setup.destroyDriver?.(raw, spec);
    }
  }
}
