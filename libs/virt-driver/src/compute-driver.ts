/**
 * The ComputeDriver contract: what every virt driver does, method by method. This file is the
 * specification (Nova's nova/virt/driver.py at Juno); implementation files stay quiet.
 *
 * Conventions that hold for every method:
 * - `ctx` is the request context of the operation. Drivers use it only to call back through
 *   VirtAPI or to save objects they were handed; they never reach the database.
 * - Instances are `Instance` objects, except for the 25 work items of the objects migration,
 *   which in release 1 still take a `LegacyInstanceDict` (see legacy.ts and work-items.ts).
 *   A driver may `save()` an Instance or BlockDeviceMapping it was given; it writes back a
 *   legacy dict only through VirtAPI.
 * - Every method is async. "May run long" means minutes (guest boots, migrations); the manager
 *   runs such calls off its RPC dispatch path and never holds a lock across them.
 * - An optional method the driver does not implement throws NotSupportedError (the base class
 *   does this); its capability in `capabilities` is then false. The note "Not supported:" on
 *   each optional method says what the manager does instead.
 * - Instance identity is the uuid; the hypervisor-side name is `instance.name`.
 * - Errors are the typed classes of errors.ts; anything else is a driver bug.
 */
import type { BlockDeviceMapping, Instance, RequestContext } from '@novakit/objects';
import type { DriverCapabilities } from './capabilities.js';
import type { LegacyInstanceDict, VirtAPI } from './legacy.js';
import type {
  BlockDeviceInfo,
  BlockDeviceLists,
  ComputeInfo,
  ConnectionInfo,
  DhcpOption,
  Diagnostics,
  HostResources,
  ImageMeta,
  InstanceInfo,
  LifecycleEvent,
  MigrateData,
  MigrationProgress,
  NetworkInfo,
  RebootType,
  SharedStorageProbe,
  VolumeConnector,
} from './types.js';

/** The manager's half of live_migration: called by the driver when the migration ends. */
export type LiveMigrationCallback = (
  ctx: RequestContext,
  instance: LegacyInstanceDict,
  dest: string,
  blockMigration: boolean,
  migrateData: MigrateData,
) => Promise<void>;

export interface ComputeDriver {
  /** The driver's name as configured (`fake`, `qemu`). */
  readonly name: string;
  /** What this driver supports; constant for the driver's lifetime. */
  readonly capabilities: DriverCapabilities;

  // ---------------------------------------------------------------- host and lifecycle

  /**
   * Prepare the hypervisor on this host and find instances that survived a restart of the
   * compute manager (they keep running). Called once at start, before any other method.
   * Errors: HypervisorUnavailable (the manager does not start).
   */
  initHost(host: string): Promise<void>;

  /** Release what initHost took (connections, timers). Instances keep running. */
  cleanupHost(host: string): Promise<void>;

  /** Hypervisor-side names of every instance on this host, running or not. */
  listInstances(): Promise<string[]>;

  /** Uuids of every instance on this host. */
  listInstanceUuids(): Promise<string[]>;

  /** Whether the hypervisor knows this instance (by uuid). Never throws InstanceNotFound. */
  instanceExists(instance: Instance): Promise<boolean>;

  /**
   * Create and boot a new instance: disks (root from `imageMeta`, ephemeral, swap), the
   * volumes of `blockDeviceInfo`, one virtual NIC per VIF of `networkInfo` with its MAC.
   * Resolves when the hypervisor reports it running. May run long.
   * Errors: InstanceExistsOnHypervisor, InstanceDeployFailure (nothing is left behind).
   */
  spawn(
    ctx: RequestContext,
    instance: Instance,
    args: { imageMeta: ImageMeta; networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; adminPassword?: string | null },
  ): Promise<void>;

  /**
   * Reboot. SOFT asks the guest (ACPI) and falls back to HARD when the guest does not react
   * in time; HARD resets the machine. The instance is running afterwards. May run long.
   * Errors: InstanceNotFound; InstanceNotRunning for SOFT on a stopped instance.
   */
  reboot(ctx: RequestContext, instance: Instance, args: { rebootType: RebootType; networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo }): Promise<void>;

  /**
   * Stop the instance: a clean shutdown for `timeoutSeconds` (0 = immediately), then pull the
   * plug. Disks and volumes stay. Stopping a stopped instance succeeds.
   * Errors: InstanceNotFound, InstancePowerOffFailure.
   */
  powerOff(instance: Instance, args?: { timeoutSeconds?: number; retryIntervalSeconds?: number }): Promise<void>;

  /** Start a stopped instance with its disks and volumes. Starting a running one succeeds. Errors: InstanceNotFound. */
  powerOn(ctx: RequestContext, instance: Instance, args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo }): Promise<void>;

  /**
   * Freeze the guest in memory. Optional (supportsPause).
   * Errors: InstanceNotFound, InstanceNotRunning. Not supported: the API refuses the action.
   */
  pause(instance: Instance): Promise<void>;

  /** Thaw a paused guest. Optional (supportsPause). Errors: InstanceNotFound. */
  unpause(instance: Instance): Promise<void>;

  /**
   * Save the guest's state and release its CPU; resume restores it. Optional (supportsSuspend).
   * Errors: InstanceNotFound, InstanceNotRunning. Not supported: the API refuses the action.
   */
  suspend(ctx: RequestContext, instance: Instance): Promise<void>;

  /** Resume a suspended instance. Optional (supportsSuspend). Errors: InstanceNotFound. */
  resume(ctx: RequestContext, instance: Instance, args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo }): Promise<void>;

  /**
   * Work item `destroy`. Remove the instance from the hypervisor: stop it, unplug VIFs and
   * filtering, detach volumes, and delete local disks when `destroyDisks`. Must succeed for
   * an instance the hypervisor does not know (it may be gone already). May run long.
   */
  destroy(
    ctx: RequestContext,
    instance: LegacyInstanceDict,
    args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; destroyDisks: boolean; migrateData?: MigrateData | null },
  ): Promise<void>;

  /**
   * Work item `cleanup`. Free host resources of an instance no longer running here (after a
   * migration away): VIFs when `destroyVifs`, filtering, volume connections, local disks when
   * `destroyDisks`. Idempotent.
   */
  cleanup(
    ctx: RequestContext,
    instance: LegacyInstanceDict,
    args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; destroyDisks: boolean; destroyVifs: boolean; migrateData?: MigrateData | null },
  ): Promise<void>;

  /**
   * Work item `get_info`. The hypervisor's view of one instance: power state, memory (KiB),
   * vCPUs, CPU time (ns). Errors: InstanceNotFound (the manager records NOSTATE).
   */
  getInfo(ctx: RequestContext, instance: LegacyInstanceDict): Promise<InstanceInfo>;

  /**
   * Work item `get_diagnostics`. Free-form counters (`cpu0_time`, `memory`, `<disk>_read_req`,
   * `<nic>_rx` …; `<disk>` is the device name without `/dev/`, one entry per attached disk).
   * Optional (supportsDiagnostics). Errors: InstanceNotFound, InstanceNotRunning.
   * Not supported: the API answers 501.
   */
  getDiagnostics(ctx: RequestContext, instance: LegacyInstanceDict): Promise<Record<string, number | string>>;

  /** The typed form of diagnostics. Optional (supportsDiagnostics). Errors: InstanceNotFound, InstanceNotRunning. */
  getInstanceDiagnostics(ctx: RequestContext, instance: Instance): Promise<Diagnostics>;

  /** The guest's serial console output, the most recent part (bounded). Optional (supportsConsoleOutput). Errors: InstanceNotFound. */
  getConsoleOutput(ctx: RequestContext, instance: Instance): Promise<string>;

  /**
   * Register the one listener for lifecycle events (started, stopped, paused, resumed,
   * suspended); `null` unregisters. Events arrive in order per instance; a throwing listener
   * is contained (logged, the driver goes on). Drivers without events never call it.
   */
  registerEventListener(listener: ((event: LifecycleEvent) => void) | null): void;

  // ---------------------------------------------------------------- host resources

  /**
   * Resources of the node for the periodic ComputeNode report: totals and usage of vCPUs,
   * memory (MB) and local disk (GB) including every instance's allocation, hypervisor type
   * and version, CPU description.
   */
  getAvailableResource(nodename: string): Promise<HostResources>;

  /** Names of the nodes this host manages (one for every driver here). */
  getAvailableNodes(): Promise<string[]>;

  /** The host's IPv4 address for volume connectors and migration streams. */
  getHostIpAddr(): string;

  // ---------------------------------------------------------------- volumes

  /**
   * Work item `get_volume_connector`. What the volume service needs to export a volume to this
   * host (`ip`, `initiator`, `host`). Optional (supportsVolumeAttach).
   */
  getVolumeConnector(ctx: RequestContext, instance: LegacyInstanceDict): Promise<VolumeConnector>;

  /**
   * Work item `attach_volume`. Hot-plug a volume at `mountpoint` (e.g. `/dev/sdb`) into a
   * running or stopped instance; it stays attached across power cycles. Optional
   * (supportsVolumeAttach). Errors: InstanceNotFound, DeviceIsBusy (mountpoint taken),
   * InvalidConnectionInfo, VolumeNotFound (no such backing). Not supported: the API answers 409.
   */
  attachVolume(
    ctx: RequestContext,
    instance: LegacyInstanceDict,
    args: { connectionInfo: ConnectionInfo; mountpoint: string; diskBus?: string | null; deviceType?: string | null; encryption?: Readonly<Record<string, unknown>> | null },
  ): Promise<void>;

  /**
   * Work item `detach_volume`. Unplug the volume at `mountpoint`. Detaching what is not
   * attached succeeds (the manager may retry). Optional (supportsVolumeAttach).
   * Errors: DeviceDetachFailed (the guest kept the device).
   */
  detachVolume(
    ctx: RequestContext,
    instance: LegacyInstanceDict,
    args: { connectionInfo: ConnectionInfo; mountpoint: string; encryption?: Readonly<Record<string, unknown>> | null },
  ): Promise<void>;

  /** Replace the volume at `mountpoint` with another, copying data. Optional (supportsSwapVolume). */
  swapVolume(ctx: RequestContext, instance: Instance, args: { oldConnectionInfo: ConnectionInfo; newConnectionInfo: ConnectionInfo; mountpoint: string; resizeToGb?: number }): Promise<void>;

  // ---------------------------------------------------------------- live migration

  /**
   * Work item `check_can_live_migrate_destination`. Runs on the destination: can this host
   * take the instance (CPU compatible with `srcComputeInfo`, enough memory and, for block
   * migration, disk)? Returns data for the source check and the later hooks, including a
   * shared-storage probe. Optional (supportsLiveMigration). Errors: MigrationPreCheckError.
   * Not supported: the conductor refuses the migration with NoValidHost-style reasons.
   */
  checkCanLiveMigrateDestination(
    ctx: RequestContext,
    instance: LegacyInstanceDict,
    args: { srcComputeInfo: ComputeInfo; dstComputeInfo: ComputeInfo; blockMigration: boolean; diskOverCommit: boolean },
  ): Promise<MigrateData>;

  /** Remove what checkCanLiveMigrateDestination left behind (its probe files). Idempotent. */
  checkCanLiveMigrateDestinationCleanup(ctx: RequestContext, destCheckData: MigrateData): Promise<void>;

  /**
   * Work item `check_can_live_migrate_source`. Runs on the source with the destination's
   * data: decide shared instance path / shared block storage, refuse impossible combinations.
   * Returns the migrate data the rest of the migration uses.
   * Errors: InvalidSharedStorage (block migration asked on shared storage), BlockMigrationDisabled
   * (block migration asked and supportsBlockMigration is false), InvalidLocalStorage (no block
   * migration without shared storage), MigrationPreCheckError. The first two tell a caller that
   * the same migration without block migration may pass (the API's `block_migration: auto`).
   */
  checkCanLiveMigrateSource(ctx: RequestContext, instance: LegacyInstanceDict, args: { destCheckData: MigrateData }): Promise<MigrateData>;

  /**
   * Work item `pre_live_migration`. Runs on the destination before the source starts: create
   * the instance directory and disks when storage is not shared, connect volumes, plug VIFs,
   * start a paused receiver. Returns data for the source (e.g. where to send the stream): the
   * manager passes `{ ...migrateData, ...result, pre_live_migration_result: result }` to
   * liveMigration. May run long. Errors: MigrationError (the manager rolls back).
   */
  preLiveMigration(
    ctx: RequestContext,
    instance: LegacyInstanceDict,
    args: { blockDeviceInfo: BlockDeviceInfo; networkInfo: NetworkInfo; diskInfo: string | null; migrateData: MigrateData },
  ): Promise<MigrateData>;

  /**
   * Work item `live_migration`. Runs on the source: move the running instance to `dest`,
   * reporting progress through `onProgress`. On success it calls `postMethod`, on failure
   * `recoverMethod` (the instance then still runs here), each exactly once, with the same
   * arguments; the promise resolves after the callback finished. May run long.
   */
  liveMigration(
    ctx: RequestContext,
    instance: LegacyInstanceDict,
    args: {
      dest: string;
      postMethod: LiveMigrationCallback;
      recoverMethod: LiveMigrationCallback;
      blockMigration: boolean;
      migrateData: MigrateData;
      onProgress?: (progress: MigrationProgress) => void;
    },
  ): Promise<void>;

  /**
   * Work item `post_live_migration`. On the source after success: disconnect volumes and
   * forget the instance's runtime state here. Idempotent.
   */
  postLiveMigration(ctx: RequestContext, instance: LegacyInstanceDict, args: { blockDeviceInfo: BlockDeviceInfo; migrateData: MigrateData }): Promise<void>;

  /**
   * On the source after success: unplug the VIFs. Optional (supportsPostLiveMigrationAtSource).
   * Not supported: the manager calls cleanup with destroyVifs instead.
   */
  postLiveMigrationAtSource(ctx: RequestContext, instance: Instance, args: { networkInfo: NetworkInfo }): Promise<void>;

  /** On the destination after success: the instance runs here now; finish networking and filtering. */
  postLiveMigrationAtDestination(ctx: RequestContext, instance: Instance, args: { networkInfo: NetworkInfo; blockMigration: boolean; blockDeviceInfo: BlockDeviceInfo }): Promise<void>;

  /**
   * Work item `rollback_live_migration_at_destination`. Undo pre_live_migration on the
   * destination after a failure: stop the receiver, unplug VIFs, disconnect volumes, delete
   * disks when `destroyDisks`. Idempotent; an unknown instance is not an error.
   */
  rollbackLiveMigrationAtDestination(
    ctx: RequestContext,
    instance: LegacyInstanceDict,
    args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; destroyDisks: boolean; migrateData?: MigrateData | null },
  ): Promise<void>;

  /**
   * Work item `check_instance_shared_storage_local`. Leave a probe the peer host can look for
   * (e.g. a file in the instance directory) and return it; `null` when this driver cannot
   * tell. Optional (supportsSharedStorageCheck). Not supported: the manager assumes not shared.
   */
  checkInstanceSharedStorageLocal(ctx: RequestContext, instance: LegacyInstanceDict): Promise<SharedStorageProbe | null>;

  /** On the peer: whether it sees the probe, i.e. the two hosts share instance storage. */
  checkInstanceSharedStorageRemote(ctx: RequestContext, probe: SharedStorageProbe): Promise<boolean>;

  /** Remove the probe. Idempotent. */
  checkInstanceSharedStorageCleanup(ctx: RequestContext, probe: SharedStorageProbe): Promise<void>;

  // ---------------------------------------------------------------- device naming

  /**
   * Work item `default_root_device_name`. The root device path for this instance on this
   * hypervisor's bus (e.g. `/dev/sda`). Optional (supportsDeviceNaming). Not supported: the
   * manager uses the generic next-device rule.
   */
  defaultRootDeviceName(ctx: RequestContext, instance: LegacyInstanceDict, args: { imageMeta: ImageMeta; rootBdm: BlockDeviceMapping | null }): Promise<string>;

  /**
   * Work item `default_device_names_for_instance`. Give every BDM without `device_name` one,
   * following the bus and skipping names in use, and save each named BDM. In release 1 the
   * instance's default ephemeral/swap device names are written back through VirtAPI
   * `instance_update`. Optional (supportsDeviceNaming). Not supported: the manager names them.
   */
  defaultDeviceNamesForInstance(ctx: RequestContext, instance: LegacyInstanceDict, args: { rootDeviceName: string; lists: BlockDeviceLists }): Promise<void>;

  // ---------------------------------------------------------------- networking

  /**
   * Work item `macs_for_instance`. The MAC addresses the network service must use for this
   * instance, or `null` for no constraint (every virtualising driver).
   */
  macsForInstance(ctx: RequestContext, instance: LegacyInstanceDict): Promise<ReadonlySet<string> | null>;

  /** Work item `dhcp_options_for_instance`. Extra DHCP options, or `null` for none. */
  dhcpOptionsForInstance(ctx: RequestContext, instance: LegacyInstanceDict): Promise<DhcpOption[] | null>;

  /** Plug the virtual NICs of `networkInfo` into the host network. Idempotent. */
  plugVifs(ctx: RequestContext, instance: Instance, args: { networkInfo: NetworkInfo }): Promise<void>;

  /** Work item `unplug_vifs`. Unplug the virtual NICs. Idempotent. */
  unplugVifs(ctx: RequestContext, instance: LegacyInstanceDict, args: { networkInfo: NetworkInfo }): Promise<void>;

  /**
   * Work item `inject_file`. Write a file into the guest's filesystem (agent based,
   * deprecated in Nova). Optional (supportsInjectFile); `contents` is base64.
   * Errors: InstanceNotFound.
   */
  injectFile(ctx: RequestContext, instance: LegacyInstanceDict, args: { path: string; contents: string }): Promise<void>;

  /** Work item `inject_network_info`. Push network configuration into the guest. Optional (supportsInjectNetworkInfo). Errors: InstanceNotFound. */
  injectNetworkInfo(ctx: RequestContext, instance: LegacyInstanceDict, args: { networkInfo: NetworkInfo }): Promise<void>;

  /** Work item `reset_network`. Ask the guest agent to reset its networking. Optional (supportsResetNetwork). Errors: InstanceNotFound. */
  resetNetwork(ctx: RequestContext, instance: LegacyInstanceDict): Promise<void>;

  // ---------------------------------------------------------------- firewall

  /**
   * Work item `ensure_filtering_rules_for_instance`. Install the instance's security-group
   * and provider rules and wait until they are in force (before an instance arrives by live
   * migration). In release 1 the rules are read through VirtAPI's raw calls. Optional
   * (supportsFirewall). Not supported: logged by the manager, the operation goes on.
   */
  ensureFilteringRulesForInstance(ctx: RequestContext, instance: LegacyInstanceDict, args: { networkInfo: NetworkInfo }): Promise<void>;

  /** Work item `unfilter_instance`. Remove the instance's filtering. Idempotent. Optional (supportsFirewall). */
  unfilterInstance(ctx: RequestContext, instance: LegacyInstanceDict, args: { networkInfo: NetworkInfo }): Promise<void>;

  /**
   * Work item `refresh_instance_security_rules`. Re-read the instance's security-group rules
   * and re-apply them. Optional (supportsFirewall). Not supported: logged, the RPC succeeds.
   */
  refreshInstanceSecurityRules(ctx: RequestContext, instance: LegacyInstanceDict): Promise<void>;

  /** Re-apply the rules of every instance in `securityGroupId`. Optional (supportsFirewall). */
  refreshSecurityGroupRules(ctx: RequestContext, securityGroupId: number): Promise<void>;
}

/** How a driver is built: from its configuration and the manager's VirtAPI. */
export interface DriverFactoryOptions {
  readonly host: string;
  readonly virtapi: VirtAPI;
  /** Driver-specific settings from the compute manager's configuration file. */
  readonly config: Readonly<Record<string, unknown>>;
}

export type ComputeDriverFactory = (options: DriverFactoryOptions) => ComputeDriver;
