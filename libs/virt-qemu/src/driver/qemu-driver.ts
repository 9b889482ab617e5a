/**
 * The QEMU driver: the ComputeDriver contract (libs/virt-driver/src/compute-driver.ts is its
 * specification) as thin orchestration over the building blocks of this lib.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { BlockDeviceMapping, Instance, RequestContext } from '@novakit/objects';
import {
  ComputeDriverBase,
  DeviceDetachFailed,
  DeviceIsBusy,
  HypervisorUnavailable,
  InstanceDeployFailure,
  InstanceExistsOnHypervisor,
  instanceFacts,
  InstanceNotRunning,
  InstancePowerOffFailure,
  InvalidConnectionInfo,
  InvalidLocalStorage,
  InvalidSharedStorage,
  MigrationError,
  MigrationPreCheckError,
  NO_CAPABILITIES,
  VolumeNotFound,
  type BlockDeviceInfo,
  type BlockDeviceLists,
  type ComputeInfo,
  type ConnectionInfo,
  type Diagnostics,
  type DriverCapabilities,
  type HostResources,
  type ImageMeta,
  type InstanceFacts,
  type InstanceInfo,
  type LegacyInstanceDict,
  type LiveMigrationCallback,
  type MigrateData,
  type MigrationProgress,
  type NetworkInfo,
  type RebootType,
  type SharedStorageProbe,
  type VolumeConnector,
} from '@novakit/virt-driver';
import { deviceNameForLun, nextFreeDeviceName, ROOT_DEVICE_NAME } from '../config/device-names.js';
import { isVirtQemuError } from '../errors.js';
import { NftFirewall, nftUsable } from '../firewall/nft.js';
import { readConsoleTail } from '../guest/console.js';
import { collectDiagnostics } from '../guest/diagnostics.js';
import type { Guest } from '../guest/guest.js';
import { QemuHost, type RootDiskSpec } from '../host/host.js';
import { QemuImg } from '../host/images.js';
import { waitForExit } from '../host/processes.js';
import { probeQemu, type QemuProbe } from '../host/tools.js';
import { abortIncoming, createMigrationTarget, finishIncoming, prepareIncoming, type MigrationTarget } from '../migration/destination.js';
import type { MigrationProgress as QemuProgress } from '../migration/progress.js';
import { checkSharedStorageProbe, createSharedStorageProbe, removeSharedStorageProbe } from '../migration/shared-storage.js';
import { describeForMigration, migrateLive } from '../migration/source.js';
import { QmpClient } from '../qmp/client.js';
import type { QmpConnect } from '../guest/context.js';
import { attachedVolumes, attachVolume, detachVolume, swapVolume } from '../volume/hotplug.js';
import { fileVolumeFromConnectionInfo, type FileVolume } from '../volume/connection-info.js';
import { primaryAddress, volumeConnector } from '../volume/connector.js';
import { legacyDiagnostics, typedDiagnostics } from './diagnostics.js';
import { InstanceFiltering } from './filtering.js';
import { fixedAddresses, legacyNetworkInfo, nicMacs } from './instance-facts.js';
import { LifecycleTracker } from './lifecycle.js';
import { assertCpuCompatible, cpuInfo, endpointData, readEndpoint, readSource, sourceData } from './migrate-data.js';
import type { QemuDriverOptions } from './options.js';
import { toObserved, toPowerState } from './power-state.js';
import { toDriverError, type Subject } from './translate.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
/** A blank root disk for a flavor without one (root_gb 0) and no image. */
const DEFAULT_ROOT_BYTES = GiB;

type Failure = (reason: string) => Error;

/** The device a mountpoint asks for on the SCSI bus: /dev/sdX as is, another bus's name by its letter. */
function scsiName(mountpoint: string): string | undefined {
  const m = /^\/dev\/(?:sd|vd|hd|xvd)([a-z])$/.exec(mountpoint);
  return m ? `/dev/sd${m[1]}` : undefined;
}

function pathOf(info: ConnectionInfo | null | undefined): string | undefined {
  const path = info?.data?.path ?? info?.data?.device_path;
  return typeof path === 'string' && path !== '' ? path : undefined;
}

function isEmpty(value: Readonly<Record<string, unknown>> | null | undefined): boolean {
  return value === null || value === undefined || Object.keys(value).length === 0;
}

export class QemuDriver extends ComputeDriverBase {
  readonly name = 'qemu';
  override readonly capabilities: DriverCapabilities;
  /** The host of the building blocks (state path, guests), for inspection and tools. */
  readonly qemuHost: QemuHost;
  private readonly hostName: string;
  private readonly hostIp: string;
  private readonly nodename: string;
  private readonly filtering: InstanceFiltering | undefined;
  private readonly lifecycle: LifecycleTracker;
  private readonly incoming = new Map<string, MigrationTarget>();
  private readonly probe: () => Promise<QemuProbe>;
  /** cpu_info of get_available_resource: fixed by the host and the accelerator. */
  private readonly hostCpuInfo: string;
  private qemuVersion = 0;

  constructor(private readonly options: QemuDriverOptions) {
    super(options.virtapi);
    this.hostName = options.host;
    this.hostIp = options.hostIp ?? primaryAddress();
    this.nodename = options.nodename ?? options.host;
    this.lifecycle = new LifecycleTracker((event) => this.emitLifecycleEvent(event));
    const connect: QmpConnect = options.connectQmp ?? ((path, o) => QmpClient.connectUnix(path, o));
    this.qemuHost = new QemuHost({
      statePath: options.statePath,
      hostName: options.host,
      qemuBinary: options.qemuBinary,
      accel: options.accel,
      machine: options.machine,
      timeouts: options.timeouts,
      launcher: options.launcher,
      processes: options.processes,
      images: options.images ?? new QemuImg(options.qemuImgBinary),
      connectQmp: async (path, o) => this.watch(path, await connect(path, o)),
    });
    this.probe = options.probe ?? (() => probeQemu(this.qemuHost.context.qemuBinary));
    this.hostCpuInfo = cpuInfo(this.qemuHost.accel);
    const nftBinary = options.nftBinary ?? 'nft';
    const firewall = options.manageFirewall === true && nftUsable(nftBinary);
    this.filtering = firewall ? new InstanceFiltering(new NftFirewall({ manage: true, binary: nftBinary }), options.virtapi, options.statePath, options.host) : undefined;
    this.capabilities = Object.freeze({
      ...NO_CAPABILITIES,
      supportsPause: true,
      supportsSuspend: true,
      supportsVolumeAttach: true,
      supportsSwapVolume: true,
      supportsLiveMigration: true,
      supportsBlockMigration: true,
      supportsSharedStorageCheck: true,
      supportsFirewall: firewall,
      supportsDeviceNaming: true,
      supportsDiagnostics: true,
      supportsConsoleOutput: true,
      supportsPostLiveMigrationAtSource: true,
      supportsLifecycleEvents: true,
    });
  }

  /** Whether the instance's firewall table is loaded in the kernel. */
  async isFiltered(uuid: string): Promise<boolean> {
    return (await this.filtering?.tableLoaded(uuid)) ?? false;
  }

  private watch(socketPath: string, client: QmpClient): QmpClient {
    const uuid = basename(dirname(socketPath));
    client.onEvent((event) => this.lifecycle.onQmpEvent(uuid, event));
    client.onClose((reason) => {
      if (reason.name === 'QmpConnectionClosed' && reason.kwargs.reason !== 'closed by client') this.lifecycle.onMonitorLost(uuid);
    });
    return client;
  }

  /** Run an operation on one instance: its QMP events are the operation's, errors the contract's. */
  private op<T>(subject: Subject, body: () => Promise<T>, failure?: Failure): Promise<T> {
    return this.lifecycle.during(subject.uuid, async () => {
      try {
        return await body();
      } catch (err) {
        throw toDriverError(err, this.hostName, subject, failure);
      }
    });
  }

  private guest(uuid: string): Promise<Guest> {
    return this.qemuHost.guest(uuid);
  }

  private async findGuest(uuid: string): Promise<Guest | undefined> {
    try {
      return await this.guest(uuid);
    } catch (err) {
      if (isVirtQemuError(err, 'GuestNotFound')) return undefined;
      throw err;
    }
  }

  private get timeouts() {
    return this.qemuHost.context.timeouts;
  }

  /** The bound of a migration's end on the destination and of a volume swap's block copy. */
  private get migrationTimeoutMs(): number {
    return (this.options.migration?.timeoutS ?? 600) * 1000;
  }

  // ------------------------------------------------------------ host and lifecycle

  async initHost(host: string): Promise<void> {
    if (host !== this.hostName) throw new HypervisorUnavailable({ host, reason: `this driver serves ${this.hostName}` });
    const probe = await this.probe();
    if (!probe.available) throw new HypervisorUnavailable({ host, reason: probe.reason ?? 'QEMU is not available' });
    this.qemuVersion = probe.versionNumber ?? 0;
    try {
      await this.filtering?.load();
      for (const { guest, state } of await this.qemuHost.reattach()) this.lifecycle.assume(guest.uuid, toObserved(state.power));
    } catch (err) {
      throw toDriverError(err, host, { uuid: '' }, (reason) => new HypervisorUnavailable({ host, reason }));
    }
  }

  override async cleanupHost(_host: string): Promise<void> {
    this.qemuHost.detachAll();
  }

  async listInstances(): Promise<string[]> {
    return (await this.qemuHost.listRecords()).map((r) => r.config.name);
  }

  async listInstanceUuids(): Promise<string[]> {
    return (await this.qemuHost.listRecords()).map((r) => r.config.uuid);
  }

  override async instanceExists(instance: Instance): Promise<boolean> {
    return this.ownsRecord(instance.uuid);
  }

  private async ownsRecord(uuid: string): Promise<boolean> {
    return (await this.qemuHost.instanceDir(uuid).readRecord())?.host === this.hostName;
  }

  async spawn(ctx: RequestContext, instance: Instance, args: { imageMeta: ImageMeta; networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; adminPassword?: string | null }): Promise<void> {
    const facts = instanceFacts(instance);
    const deployFailure: Failure = (reason) => new InstanceDeployFailure({ reason });
    await this.op(
      facts,
      async () => {
        if (this.qemuHost.instanceDir(facts.uuid).exists()) throw new InstanceExistsOnHypervisor({ name: facts.name });
        const volumes = args.blockDeviceInfo.volumes.map((v) => {
          try {
            return { device: v.mountDevice, volume: this.fileVolume(v.connectionInfo) };
          } catch (err) {
            throw deployFailure(`volume at ${v.mountDevice}: ${(err as Error).message}`);
          }
        });
        const rootDisk = await this.rootDisk(facts, args.imageMeta);
        const nics = nicMacs(facts.uuid, args.networkInfo).map((mac) => ({ mac }));
        const guest = await this.qemuHost.createGuest({ uuid: facts.uuid, name: facts.name, memoryMb: facts.memoryMb, vcpus: facts.vcpus, nics }, rootDisk);
        try {
          await this.createLocalDisks(guest, args.blockDeviceInfo);
          for (const v of volumes) await attachVolume(guest, v.volume, this.qemuHost.images, scsiName(v.device));
          if (this.filtering) await this.filtering.apply(ctx, facts, fixedAddresses(args.networkInfo));
          await guest.start();
        } catch (err) {
          await guest.cleanup().catch(() => {});
          this.qemuHost.forget(facts.uuid);
          if (this.filtering?.isFiltered(facts.uuid)) await this.filtering.remove(facts).catch(() => {});
          throw deployFailure(toDriverError(err, this.hostName, facts).message);
        }
        this.lifecycle.observe(facts.uuid, 'running');
      },
      deployFailure,
    );
  }

  private async rootDisk(facts: InstanceFacts, image: ImageMeta): Promise<RootDiskSpec> {
    const wanted = facts.rootGb > 0 ? facts.rootGb * GiB : undefined;
    const base = this.baseImage(image);
    if (!base) return { sizeBytes: wanted ?? DEFAULT_ROOT_BYTES };
    const info = await this.qemuHost.images.info(base);
    return { baseImage: { path: base, format: info.format }, sizeBytes: wanted !== undefined && wanted > info.virtualSizeBytes ? wanted : undefined };
  }

  private baseImage(image: ImageMeta): string | undefined {
    if (image.localPath && existsSync(image.localPath)) return image.localPath;
    if (image.id === null) return undefined;
    const inDir = this.options.imagesPath ? join(this.options.imagesPath, image.id) : undefined;
    if (inDir && existsSync(inDir)) return inDir;
    throw new InstanceDeployFailure({ reason: `image ${image.id} is not on this host (no localPath${inDir ? ` and no ${inDir}` : ''})` });
  }

  /** Ephemeral and swap disks: blank qcow2 files in the instance directory, on their LUNs. */
  private async createLocalDisks(guest: Guest, bdi: BlockDeviceInfo): Promise<void> {
    const disks = bdi.ephemerals.map((e, i) => ({ file: `disk.eph${i}`, device: e.deviceName, bytes: e.sizeGb * GiB, serial: `ephemeral${i}` }));
    if (bdi.swap) disks.push({ file: 'disk.swap', device: bdi.swap.deviceName, bytes: bdi.swap.swapSizeMb * MiB, serial: 'swap' });
    for (const d of disks) {
      const path = join(guest.dir.path, d.file);
      await this.qemuHost.images.createQcow2(path, { sizeBytes: d.bytes });
      await attachVolume(guest, { path, format: 'qcow2', serial: d.serial }, this.qemuHost.images, scsiName(d.device));
    }
  }

  /** Attach the volumes of block_device_info the guest lacks (power on, hard reboot, resume). */
  private async addVolumes(guest: Guest, bdi: BlockDeviceInfo): Promise<void> {
    for (const v of bdi.volumes) {
      const path = pathOf(v.connectionInfo);
      if (path === undefined || attachedVolumes(guest).some((a) => a.path === path)) continue;
      await attachVolume(guest, this.fileVolume(v.connectionInfo), this.qemuHost.images, scsiName(v.mountDevice));
    }
  }

  private fileVolume(info: ConnectionInfo): FileVolume {
    let volume: FileVolume;
    try {
      volume = fileVolumeFromConnectionInfo(info);
    } catch (err) {
      throw new InvalidConnectionInfo({ reason: (err as Error).message });
    }
    if (!existsSync(volume.path)) throw new VolumeNotFound({ volume_id: volume.serial ?? volume.path });
    return volume;
  }

  async reboot(_ctx: RequestContext, instance: Instance, args: { rebootType: RebootType; networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo }): Promise<void> {
    await this.op(instance, async () => {
      const guest = await this.guest(instance.uuid);
      const { power } = await guest.state();
      if (args.rebootType === 'SOFT') {
        if (power !== 'running' && power !== 'paused') throw new InstanceNotRunning({ instance_id: instance.uuid });
        await guest.reboot('soft', (this.options.softRebootTimeoutS ?? 120) * 1000);
      } else {
        await this.addVolumes(guest, args.blockDeviceInfo);
        if (power === 'suspended') await rm(guest.dir.savedState, { force: true });
        await guest.reboot('hard');
      }
      this.lifecycle.observe(instance.uuid, 'running');
    });
  }

  async powerOff(instance: Instance, args?: { timeoutSeconds?: number; retryIntervalSeconds?: number }): Promise<void> {
    await this.op(
      instance,
      async () => {
        const guest = await this.guest(instance.uuid);
        await guest.powerOff((args?.timeoutSeconds ?? this.options.cleanShutdownTimeoutS ?? 60) * 1000);
        await rm(guest.dir.savedState, { force: true });
        this.lifecycle.observe(instance.uuid, 'shutdown');
      },
      (reason) => new InstancePowerOffFailure({ reason }),
    );
  }

  async powerOn(_ctx: RequestContext, instance: Instance, args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo }): Promise<void> {
    await this.op(instance, async () => {
      const guest = await this.guest(instance.uuid);
      await this.addVolumes(guest, args.blockDeviceInfo);
      await guest.powerOn();
      this.lifecycle.observe(instance.uuid, 'running');
    });
  }

  override async pause(instance: Instance): Promise<void> {
    await this.op(instance, async () => {
      const guest = await this.guest(instance.uuid);
      if ((await guest.state()).power !== 'running') throw new InstanceNotRunning({ instance_id: instance.uuid });
      await guest.pause();
      this.lifecycle.observe(instance.uuid, 'paused');
    });
  }

  override async unpause(instance: Instance): Promise<void> {
    await this.op(instance, async () => {
      const guest = await this.guest(instance.uuid);
      const { power } = await guest.state();
      if (power === 'paused') await guest.unpause();
      else if (power !== 'running') throw new InstanceNotRunning({ instance_id: instance.uuid });
      this.lifecycle.observe(instance.uuid, 'running');
    });
  }

  override async suspend(_ctx: RequestContext, instance: Instance): Promise<void> {
    await this.op(instance, async () => {
      const guest = await this.guest(instance.uuid);
      if ((await guest.state()).power !== 'running') throw new InstanceNotRunning({ instance_id: instance.uuid });
      await guest.suspend();
      this.lifecycle.observe(instance.uuid, 'suspended');
    });
  }

  override async resume(_ctx: RequestContext, instance: Instance, args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo }): Promise<void> {
    await this.op(instance, async () => {
      const guest = await this.guest(instance.uuid);
      const { power } = await guest.state();
      if (power === 'running') return;
      if (power !== 'suspended') throw new InstanceNotRunning({ instance_id: instance.uuid });
      await this.addVolumes(guest, args.blockDeviceInfo);
      await guest.resume();
      this.lifecycle.observe(instance.uuid, 'running');
    });
  }

  async destroy(_ctx: RequestContext, instance: LegacyInstanceDict, args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; destroyDisks: boolean; migrateData?: MigrateData | null }): Promise<void> {
    await this.op(instance, () => this.release(instance, args.destroyDisks));
  }

  async cleanup(_ctx: RequestContext, instance: LegacyInstanceDict, args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; destroyDisks: boolean; destroyVifs: boolean; migrateData?: MigrateData | null }): Promise<void> {
    await this.op(instance, () => this.release(instance, args.destroyDisks));
  }

  /**
   * Everything this host holds for an instance goes: a migration receiver, the QEMU process, the
   * firewall table, the record, and with `destroyDisks` the directory (unless another host on
   * shared storage owns it).
   */
  private async release(instance: { uuid: string; name: string }, destroyDisks: boolean): Promise<void> {
    const { uuid } = instance;
    const target = this.incoming.get(uuid);
    if (target) {
      await abortIncoming(target);
      this.incoming.delete(uuid);
    } else {
      const guest = await this.findGuest(uuid);
      if (guest) await guest.cleanup({ keepDisks: !destroyDisks });
      else await this.releaseOrphan(uuid, destroyDisks);
    }
    this.qemuHost.forget(uuid);
    if (this.filtering?.isFiltered(uuid)) await this.filtering.remove(instance);
    this.lifecycle.observe(uuid, 'gone');
  }

  /** No record of ours: end a QEMU of ours still running in the directory, remove an unowned directory. */
  private async releaseOrphan(uuid: string, destroyDisks: boolean): Promise<void> {
    const dir = this.qemuHost.instanceDir(uuid);
    const { processes } = this.qemuHost.context;
    const pid = dir.readPid();
    if (pid !== undefined && processes.isAlive(pid, dir.qmpSocket)) {
      processes.signal(pid, 'SIGKILL');
      await waitForExit(processes, pid, this.timeouts.terminateMs, dir.qmpSocket);
    }
    await dir.removeRuntimeFiles().catch(() => {});
    if (destroyDisks && existsSync(dir.path) && !(await dir.readRecord())) await dir.removeAll();
  }

  async getInfo(_ctx: RequestContext, instance: LegacyInstanceDict): Promise<InstanceInfo> {
    try {
      const guest = await this.guest(instance.uuid);
      const state = await guest.state();
      const { memoryMb, vcpus } = guest.config;
      const active = state.power === 'running' || state.power === 'paused';
      const stat = state.pid !== undefined ? this.qemuHost.context.processes.stat(state.pid) : undefined;
      return {
        state: toPowerState(state.power),
        maxMemKb: memoryMb * 1024,
        memKb: active ? memoryMb * 1024 : 0,
        numCpu: vcpus,
        cpuTimeNs: stat?.cpuTimeNs ?? 0,
        ...(state.pid !== undefined ? { id: String(state.pid) } : {}),
      };
    } catch (err) {
      throw toDriverError(err, this.hostName, instance);
    }
  }

  private async runningDiagnostics(uuid: string) {
    try {
      const guest = await this.guest(uuid);
      if ((await guest.state()).power !== 'running') throw new InstanceNotRunning({ instance_id: uuid });
      return await collectDiagnostics(guest, this.qemuHost.context.processes);
    } catch (err) {
      throw toDriverError(err, this.hostName, { uuid });
    }
  }

  override async getDiagnostics(_ctx: RequestContext, instance: LegacyInstanceDict): Promise<Record<string, number | string>> {
    return legacyDiagnostics(await this.runningDiagnostics(instance.uuid));
  }

  override async getInstanceDiagnostics(_ctx: RequestContext, instance: Instance): Promise<Diagnostics> {
    return typedDiagnostics(await this.runningDiagnostics(instance.uuid));
  }

  override async getConsoleOutput(_ctx: RequestContext, instance: Instance): Promise<string> {
    try {
      return await readConsoleTail((await this.guest(instance.uuid)).dir.consoleLog);
    } catch (err) {
      throw toDriverError(err, this.hostName, instance);
    }
  }

  // ------------------------------------------------------------ host resources

  async getAvailableResource(nodename: string): Promise<HostResources> {
    const r = await this.qemuHost.resources().catch((err: unknown) => {
      throw toDriverError(err, this.hostName, { uuid: '' });
    });
    const accel = this.qemuHost.accel;
    return {
      vcpus: r.vcpus,
      memory_mb: r.memoryMb,
      local_gb: r.diskGb,
      vcpus_used: r.vcpusUsed,
      memory_mb_used: Math.max(0, r.memoryMb - r.memoryMbAvailable),
      local_gb_used: r.diskGbUsed,
      hypervisor_type: 'QEMU',
      hypervisor_version: this.qemuVersion,
      hypervisor_hostname: nodename,
      cpu_info: this.hostCpuInfo,
      disk_available_least: r.diskGbAvailable,
      supported_instances: accel === 'kvm' ? [['x86_64', 'kvm', 'hvm'], ['x86_64', 'qemu', 'hvm']] : [['x86_64', 'qemu', 'hvm']],
    };
  }

  async getAvailableNodes(): Promise<string[]> {
    return [this.nodename];
  }

  getHostIpAddr(): string {
    return this.hostIp;
  }

  // ------------------------------------------------------------ volumes

  override async getVolumeConnector(_ctx: RequestContext, _instance: LegacyInstanceDict): Promise<VolumeConnector> {
    return { ...volumeConnector(this.hostName, this.hostIp), initiator: `iqn.2014-10.org.novakit.qemu:${this.hostName}` };
  }

  override async attachVolume(
    _ctx: RequestContext,
    instance: LegacyInstanceDict,
    args: { connectionInfo: ConnectionInfo; mountpoint: string; diskBus?: string | null; deviceType?: string | null; encryption?: Readonly<Record<string, unknown>> | null },
  ): Promise<void> {
    await this.op(instance, async () => {
      const guest = await this.guest(instance.uuid);
      if (!isEmpty(args.encryption)) throw new InvalidConnectionInfo({ reason: 'encrypted volumes are not supported by the qemu driver' });
      const volume = this.fileVolume(args.connectionInfo);
      const already = attachedVolumes(guest).find((v) => v.path === volume.path);
      if (already) throw new DeviceIsBusy({ device: already.device });
      await attachVolume(guest, volume, this.qemuHost.images, scsiName(args.mountpoint));
    });
  }

  override async detachVolume(_ctx: RequestContext, instance: LegacyInstanceDict, args: { connectionInfo: ConnectionInfo; mountpoint: string; encryption?: Readonly<Record<string, unknown>> | null }): Promise<void> {
    await this.op(
      instance,
      async () => {
        const guest = await this.findGuest(instance.uuid);
        if (!guest) return;
        const attached = attachedVolumes(guest);
        const path = pathOf(args.connectionInfo);
        const device = scsiName(args.mountpoint);
        const volume = attached.find((v) => v.path === path) ?? attached.find((v) => v.device === device);
        if (!volume) return;
        try {
          await detachVolume(guest, volume.device, this.timeouts.unplugMs);
        } catch (err) {
          if (isVirtQemuError(err, 'VolumeNotAttached')) return;
          if (isVirtQemuError(err, 'QmpTimeout')) throw new DeviceDetachFailed({ device: args.mountpoint, reason: err.message });
          throw err;
        }
      },
      (reason) => new DeviceDetachFailed({ device: args.mountpoint, reason }),
    );
  }

  override async swapVolume(
    _ctx: RequestContext,
    instance: Instance,
    args: { oldConnectionInfo: ConnectionInfo; newConnectionInfo: ConnectionInfo; mountpoint: string; resizeToGb?: number },
  ): Promise<void> {
    await this.op(instance, async () => {
      const guest = await this.guest(instance.uuid);
      const attached = attachedVolumes(guest);
      const path = pathOf(args.oldConnectionInfo);
      const old = attached.find((v) => v.path === path) ?? attached.find((v) => v.device === scsiName(args.mountpoint));
      if (!old) throw new VolumeNotFound({ volume_id: args.oldConnectionInfo.serial ?? args.mountpoint });
      const volume = this.fileVolume(args.newConnectionInfo);
      await swapVolume(guest, old.device, volume, this.qemuHost.images, {
        timeoutMs: this.migrationTimeoutMs,
        ...(args.resizeToGb ? { resizeBytes: args.resizeToGb * GiB } : {}),
      });
    });
  }

  // ------------------------------------------------------------ live migration

  override async checkCanLiveMigrateDestination(
    _ctx: RequestContext,
    instance: LegacyInstanceDict,
    args: { srcComputeInfo: ComputeInfo; dstComputeInfo: ComputeInfo; blockMigration: boolean; diskOverCommit: boolean },
  ): Promise<MigrateData> {
    const facts = instanceFacts(instance);
    assertCpuCompatible(args.srcComputeInfo.cpu_info, this.hostCpuInfo);
    const r = await this.qemuHost.resources().catch((err: unknown) => {
      throw toDriverError(err, this.hostName, facts, (reason) => new MigrationPreCheckError({ reason }));
    });
    if (facts.memoryMb > r.memoryMbAvailable) {
      throw new MigrationPreCheckError({ reason: `${this.hostName} has ${r.memoryMbAvailable} MB free, the instance needs ${facts.memoryMb} MB` });
    }
    const needGb = facts.rootGb + facts.ephemeralGb;
    if (args.blockMigration && !args.diskOverCommit && needGb > r.diskGbAvailable) {
      throw new MigrationPreCheckError({ reason: `${this.hostName} has ${r.diskGbAvailable} GB free disk, the instance needs ${needGb} GB` });
    }
    return {
      filename: await createSharedStorageProbe(this.qemuHost.statePath),
      image_type: 'qcow2',
      block_migration: args.blockMigration,
      disk_over_commit: args.diskOverCommit,
      disk_available_mb: r.diskGbAvailable * 1024,
    };
  }

  override async checkCanLiveMigrateDestinationCleanup(_ctx: RequestContext, destCheckData: MigrateData): Promise<void> {
    if (typeof destCheckData.filename === 'string') await removeSharedStorageProbe(this.qemuHost.statePath, destCheckData.filename);
  }

  override async checkCanLiveMigrateSource(_ctx: RequestContext, instance: LegacyInstanceDict, args: { destCheckData: MigrateData }): Promise<MigrateData> {
    const dest = args.destCheckData;
    const guest = await this.findGuest(instance.uuid);
    if (!guest?.isRunning()) throw new MigrationPreCheckError({ reason: `instance ${instance.uuid} is not running on ${this.hostName}` });
    const statePath = this.qemuHost.statePath;
    const shared = typeof dest.filename === 'string' && checkSharedStorageProbe(statePath, dest.filename);
    const block = dest.block_migration === true;
    if (block && shared) throw new InvalidSharedStorage({ path: statePath, reason: 'block migration was asked between hosts sharing the instance path' });
    if (!block && !shared) throw new InvalidLocalStorage({ path: statePath, reason: 'live migration without block migration needs a shared instance path' });
    if (block && attachedVolumes(guest).some((v) => v.path.startsWith(`${guest.dir.path}/`))) {
      throw new MigrationPreCheckError({ reason: 'block migration copies the root disk only; this instance has ephemeral or swap disks' });
    }
    const source = await describeForMigration(guest, this.qemuHost.images).catch((err: unknown) => {
      throw toDriverError(err, this.hostName, instance, (reason) => new MigrationPreCheckError({ reason }));
    });
    return { ...dest, block_migration: block, is_shared_instance_path: shared, is_shared_block_storage: shared, instance_relative_path: instance.uuid, ...sourceData(source) };
  }

  override async preLiveMigration(
    _ctx: RequestContext,
    instance: LegacyInstanceDict,
    args: { blockDeviceInfo: BlockDeviceInfo; networkInfo: NetworkInfo; diskInfo: string | null; migrateData: MigrateData },
  ): Promise<MigrateData> {
    const migrationError: Failure = (reason) => new MigrationError({ reason });
    return this.op(
      instance,
      async () => {
        const { uuid } = instance;
        const source = readSource(args.migrateData);
        if (source.record.config.uuid !== uuid) throw migrationError(`migrate_data describes ${source.record.config.uuid}, not ${uuid}`);
        if (this.incoming.has(uuid) || (await this.ownsRecord(uuid))) throw migrationError(`instance ${uuid} is already on ${this.hostName}`);
        const paths = new Map(args.blockDeviceInfo.volumes.map((v) => [scsiName(v.mountDevice), pathOf(v.connectionInfo)]));
        const volumes = source.record.config.volumes.map((v) => ({ ...v, path: paths.get(deviceNameForLun(v.lun)) ?? v.path }));
        const record = { ...source.record, config: { ...source.record.config, volumes } };
        const sharedStorage = args.migrateData.is_shared_instance_path === true;
        let target: MigrationTarget;
        try {
          target = await createMigrationTarget(this.qemuHost, record, { sharedStorage, rootDiskSizeBytes: source.rootDiskSizeBytes });
        } catch (err) {
          throw migrationError((err as Error).message);
        }
        const migration = this.options.migration ?? {};
        const endpoint = await prepareIncoming(target, migration.bindAddress ?? this.hostIp, migration.portRange);
        this.incoming.set(uuid, target);
        this.lifecycle.assume(uuid, 'incoming');
        return endpointData(endpoint, this.hostName);
      },
      migrationError,
    );
  }

  override async liveMigration(
    ctx: RequestContext,
    instance: LegacyInstanceDict,
    args: { dest: string; postMethod: LiveMigrationCallback; recoverMethod: LiveMigrationCallback; blockMigration: boolean; migrateData: MigrateData; onProgress?: (progress: MigrationProgress) => void },
  ): Promise<void> {
    const migration = this.options.migration ?? {};
    const report = (p: QemuProgress) => {
      try {
        args.onProgress?.({ transferredBytes: p.transferredBytes, remainingBytes: p.remainingBytes, totalBytes: p.transferredBytes + p.remainingBytes });
      } catch {
        // The manager's progress listener must not break the migration.
      }
    };
    const migrated = await this.lifecycle.during(instance.uuid, async () => {
      const endpoint = readEndpoint(args.migrateData);
      const guest = await this.findGuest(instance.uuid).catch(() => undefined);
      if (!endpoint || !guest) return false;
      try {
        await migrateLive(guest, {
          endpoint,
          onProgress: report,
          ...(migration.maxBandwidthMib ? { maxBandwidth: migration.maxBandwidthMib * MiB } : {}),
          ...(migration.timeoutS ? { timeoutMs: migration.timeoutS * 1000 } : {}),
        });
        return true;
      } catch (err) {
        process.emitWarning(`live migration of ${instance.uuid} to ${args.dest} failed: ${(err as Error).message}`, { code: 'NOVAKIT_QEMU_MIGRATION' });
        return false;
      }
    });
    await (migrated ? args.postMethod : args.recoverMethod)(ctx, instance, args.dest, args.blockMigration, args.migrateData);
  }

  override async postLiveMigration(_ctx: RequestContext, instance: LegacyInstanceDict, args: { blockDeviceInfo: BlockDeviceInfo; migrateData: MigrateData }): Promise<void> {
    await this.op(instance, async () => {
      const guest = await this.findGuest(instance.uuid);
      if (!guest) return;
      const state = await guest.state().catch(() => undefined);
      // Only a source whose migration completed is taken down; anything else is not ours to end.
      if (state?.pid !== undefined && state.qemuStatus !== 'postmigrate') return;
      await guest.terminate();
      const dest = args.migrateData.qemu_destination_host;
      if (args.migrateData.is_shared_instance_path === true) {
        if (typeof dest === 'string' && dest !== this.hostName) await guest.updateRecord({ host: dest });
      } else {
        await guest.cleanup({ keepDisks: true });
      }
      this.qemuHost.forget(instance.uuid);
      this.lifecycle.observe(instance.uuid, 'gone');
    });
  }

  override async postLiveMigrationAtSource(_ctx: RequestContext, _instance: Instance, _args: { networkInfo: NetworkInfo }): Promise<void> {
    // User-mode NICs live inside QEMU: nothing is plugged on the host to unplug.
  }

  override async postLiveMigrationAtDestination(_ctx: RequestContext, instance: Instance, _args: { networkInfo: NetworkInfo; blockMigration: boolean; blockDeviceInfo: BlockDeviceInfo }): Promise<void> {
    await this.op(
      instance,
      async () => {
        const target = this.incoming.get(instance.uuid);
        if (!target) {
          await this.guest(instance.uuid);
          return;
        }
        await finishIncoming(target, this.migrationTimeoutMs);
        this.incoming.delete(instance.uuid);
        this.lifecycle.observe(instance.uuid, toObserved((await target.guest.state()).power));
      },
      (reason) => new MigrationError({ reason }),
    );
  }

  override async rollbackLiveMigrationAtDestination(
    _ctx: RequestContext,
    instance: LegacyInstanceDict,
    args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; destroyDisks: boolean; migrateData?: MigrateData | null },
  ): Promise<void> {
    await this.op(instance, () => this.release(instance, args.destroyDisks));
  }

  override async checkInstanceSharedStorageLocal(_ctx: RequestContext, instance: LegacyInstanceDict): Promise<SharedStorageProbe | null> {
    const statePath = this.qemuHost.statePath;
    const inInstance = existsSync(join(statePath, instance.uuid));
    const dir = inInstance ? instance.uuid : '';
    const filename = await createSharedStorageProbe(join(statePath, dir)).catch((err: unknown) => {
      throw toDriverError(err, this.hostName, instance);
    });
    return { filename, dir, instance_uuid: instance.uuid };
  }

  private probeDir(probe: SharedStorageProbe): string | undefined {
    const dir = probe.dir ?? '';
    if (typeof dir !== 'string' || (dir !== '' && basename(dir) !== dir) || dir === '..' || dir === '.') return undefined;
    return join(this.qemuHost.statePath, dir);
  }

  override async checkInstanceSharedStorageRemote(_ctx: RequestContext, probe: SharedStorageProbe): Promise<boolean> {
    const dir = this.probeDir(probe);
    return dir !== undefined && typeof probe.filename === 'string' && checkSharedStorageProbe(dir, probe.filename);
  }

  override async checkInstanceSharedStorageCleanup(_ctx: RequestContext, probe: SharedStorageProbe): Promise<void> {
    const dir = this.probeDir(probe);
    if (dir !== undefined && typeof probe.filename === 'string') await removeSharedStorageProbe(dir, probe.filename);
  }

  // ------------------------------------------------------------ device naming

  override async defaultRootDeviceName(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { imageMeta: ImageMeta; rootBdm: BlockDeviceMapping | null }): Promise<string> {
    return ROOT_DEVICE_NAME;
  }

  override async defaultDeviceNamesForInstance(ctx: RequestContext, instance: LegacyInstanceDict, args: { rootDeviceName: string; lists: BlockDeviceLists }): Promise<void> {
    const { ephemerals, swap, volumes } = args.lists;
    const nameOf = (bdm: BlockDeviceMapping | undefined) => (bdm?.obj_attr_is_set('device_name') ? bdm.device_name : null);
    const guest = await this.findGuest(instance.uuid).catch(() => undefined);
    const used = [args.rootDeviceName, ...(guest ? attachedVolumes(guest).map((v) => v.device) : []), ...[...ephemerals, ...swap, ...volumes].map(nameOf)]
      .map((d) => (d ? scsiName(d) : undefined))
      .filter((d): d is string => d !== undefined);
    for (const bdm of [...ephemerals, ...swap, ...volumes]) {
      if (nameOf(bdm)) continue;
      const name = nextFreeDeviceName(used);
      if (name === undefined) throw new DeviceIsBusy({ device: 'every /dev/sdX' });
      used.push(name);
      bdm.device_name = name;
      await bdm.save();
    }
    const updates: Record<string, string> = { root_device_name: args.rootDeviceName };
    const ephemeral = nameOf(ephemerals[0]);
    const swapName = nameOf(swap[0]);
    if (ephemeral) updates.default_ephemeral_device = ephemeral;
    if (swapName) updates.default_swap_device = swapName;
    await this.virtapi.instance_update(ctx, instance.uuid, updates);
  }

  // ------------------------------------------------------------ networking

  async plugVifs(_ctx: RequestContext, _instance: Instance, _args: { networkInfo: NetworkInfo }): Promise<void> {
    // User-mode networking: each NIC is QEMU's own (slirp), there is no host device to plug.
  }

  async unplugVifs(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { networkInfo: NetworkInfo }): Promise<void> {}

  // ------------------------------------------------------------ firewall

  private requireFiltering(method: string): InstanceFiltering {
    if (!this.filtering) this.notSupported(method);
    return this.filtering;
  }

  override async ensureFilteringRulesForInstance(ctx: RequestContext, instance: LegacyInstanceDict, args: { networkInfo: NetworkInfo }): Promise<void> {
    const filtering = this.requireFiltering('ensureFilteringRulesForInstance');
    const networkInfo = args.networkInfo.length ? args.networkInfo : legacyNetworkInfo(instance);
    await filtering.apply(ctx, instance, fixedAddresses(networkInfo)).catch((err: unknown) => {
      throw toDriverError(err, this.hostName, instance);
    });
  }

  override async unfilterInstance(_ctx: RequestContext, instance: LegacyInstanceDict, _args: { networkInfo: NetworkInfo }): Promise<void> {
    const filtering = this.requireFiltering('unfilterInstance');
    await filtering.remove(instance).catch((err: unknown) => {
      throw toDriverError(err, this.hostName, instance);
    });
  }

  override async refreshInstanceSecurityRules(ctx: RequestContext, instance: LegacyInstanceDict): Promise<void> {
    const filtering = this.requireFiltering('refreshInstanceSecurityRules');
    await filtering.refreshInstance(ctx, instance.uuid).catch((err: unknown) => {
      throw toDriverError(err, this.hostName, instance);
    });
  }

  override async refreshSecurityGroupRules(ctx: RequestContext, securityGroupId: number): Promise<void> {
    const filtering = this.requireFiltering('refreshSecurityGroupRules');
    await filtering.refreshGroup(ctx, securityGroupId).catch((err: unknown) => {
      throw toDriverError(err, this.hostName, { uuid: '' });
    });
  }
}
