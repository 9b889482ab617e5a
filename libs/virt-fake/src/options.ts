/**
 * The fake driver's options. They are production code: every scenario a test needs (a small
 * host, a flaky method, a slow boot, a migration that breaks half way) is an option here, never
 * a mock. Two kinds:
 * - hardware (size, cpu, storage, ip, nodename) describes the host's hypervisor. It takes
 *   effect when the first driver for a host name joins a network; a later driver for the same
 *   host (a restarted compute) attaches to the machine as it is.
 * - behaviour (failures, delays, liveMigration, disabledCapabilities, clock) belongs to one
 *   driver instance and can be changed at run time through `FakeDriver.scenario`.
 */
import type { CapabilityName, DriverMethodName, VirtAPI } from '@novakit/virt-driver';
import type { FakeHypervisorNetwork } from './network.js';

/** A host's capacity. Memory in MB, disk in GB, as the ComputeNode report counts them. */
export interface FakeHostSize {
  readonly vcpus: number;
  readonly memoryMb: number;
  readonly diskGb: number;
}

/**
 * Named sizes. `unlimited` is the default, as Nova's FakeDriver: tests never hit capacity by
 * accident. `small` fits one or two tiny guests (capacity tests); `medium` a typical node.
 */
export const FAKE_HOST_SIZES = Object.freeze({
  small: Object.freeze({ vcpus: 1, memoryMb: 1024, diskGb: 10 }),
  medium: Object.freeze({ vcpus: 16, memoryMb: 32768, diskGb: 500 }),
  large: Object.freeze({ vcpus: 64, memoryMb: 262144, diskGb: 4000 }),
  unlimited: Object.freeze({ vcpus: 1000, memoryMb: 800000, diskGb: 600000 }),
} satisfies Record<string, FakeHostSize>);

export type FakeHostSizeName = keyof typeof FAKE_HOST_SIZES;

/**
 * The CPU the host reports in `cpu_info`. Live-migration destination checks refuse a source
 * whose architecture differs or that has a feature this CPU lacks.
 */
export interface FakeCpu {
  readonly arch: string;
  readonly model: string;
  readonly vendor: string;
  readonly features: readonly string[];
}

export const DEFAULT_FAKE_CPU: FakeCpu = Object.freeze({
  arch: 'x86_64',
  model: 'novakit-fake',
  vendor: 'novakit',
  features: Object.freeze(['sse2', 'sse4_2', 'vmx']),
});

/**
 * One injected failure. Counting is per driver and per method, so a scenario is deterministic:
 * `{ after: 2, times: 1 }` lets two calls through, fails the third, and lets the rest through.
 * The failure is raised on entry, before any state changes, so nothing is left behind.
 */
export interface FakeFailure {
  /** The error to throw; default InjectedFailure({ method, stage: 'call' }). */
  readonly error?: (method: DriverMethodName) => Error;
  /** Calls (matching `instanceUuid`) that succeed before failures start. Default 0. */
  readonly after?: number;
  /** How many calls fail; default: every call from then on. */
  readonly times?: number;
  /** Only calls about this instance count and fail. */
  readonly instanceUuid?: string;
}

/** `true` is the default failure: every call fails with InjectedFailure. */
export type FakeFailures = Readonly<Partial<Record<DriverMethodName, FakeFailure | true>>>;

/** Milliseconds each call waits before it runs; `default` applies to methods not listed. */
export type FakeDelays = Readonly<Partial<Record<DriverMethodName | 'default', number>>>;

/**
 * Where a live migration breaks. Set it on the host that runs the stage:
 * - `pre` (destination): pre_live_migration throws MigrationError; nothing is left there.
 * - `transfer` (source): the transfer stops after `afterProgressReports` progress reports (at
 *   the switchover when that is not fewer than `progressSteps`); recoverMethod is called and
 *   the instance keeps running on the source; the destination keeps its receiver until the
 *   manager rolls it back.
 * - `post` (destination): post_live_migration_at_destination throws MigrationError; the
 *   instance already runs on the destination.
 */
export interface FakeMigrationFailure {
  readonly stage: 'pre' | 'transfer' | 'post';
  /** For `transfer`: progress reports before the failure. Default 0. */
  readonly afterProgressReports?: number;
  /** How many migrations fail; default every one. */
  readonly times?: number;
}

export interface FakeLiveMigrationOptions {
  /** Progress reports per migration: the transfer is cut into this many equal steps. Default 4. */
  readonly progressSteps?: number;
  /** Wait between progress reports, ms (a slow link). Default 0. */
  readonly stepDelayMs?: number;
  readonly failure?: FakeMigrationFailure;
}

export interface FakeDriverOptions {
  /** The compute host's name; it is also the key other fake hosts find this one by. */
  readonly host: string;
  readonly virtapi: VirtAPI;
  /** The in-process network this host joins; default `defaultFakeNetwork` (one per process). */
  readonly network?: FakeHypervisorNetwork;
  /** Hardware: capacity, a preset name or numbers. Default `unlimited`. */
  readonly size?: FakeHostSizeName | FakeHostSize;
  /** Hardware: the CPU. Default DEFAULT_FAKE_CPU. */
  readonly cpu?: FakeCpu;
  /** Hardware: the storage pool holding instance disks; hosts naming the same pool share storage. Default: the host name (local). */
  readonly storage?: string;
  /** Hardware: the address reported by getHostIpAddr and volume connectors. Default 127.0.0.1. */
  readonly hostIp?: string;
  /** Hardware: the one node this host manages. Default: the host name. */
  readonly nodename?: string;
  readonly failures?: FakeFailures;
  readonly delays?: FakeDelays;
  readonly liveMigration?: FakeLiveMigrationOptions;
  /** Model a lesser hypervisor: these capabilities are false and their methods throw NotSupportedError. */
  readonly disabledCapabilities?: readonly CapabilityName[];
  /** Time source for event timestamps and uptimes; pass a fixed clock for byte-identical runs. */
  readonly clock?: () => Date;
}

export function resolveSize(size: FakeDriverOptions['size']): FakeHostSize {
  if (size === undefined) return FAKE_HOST_SIZES.unlimited;
  return typeof size === 'string' ? FAKE_HOST_SIZES[size] : size;
}
