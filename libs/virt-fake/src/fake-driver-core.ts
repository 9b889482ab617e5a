import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { truncate } from 'node:fs/promises';
import { PowerState, type Instance, type RequestContext } from '@novakit/objects';
import {
  CAPABILITY_METHODS,
  ComputeDriverBase,
  DeviceIsBusy,
  HypervisorUnavailable,
  InstanceDeployFailure,
  InstanceExistsOnHypervisor,
  InstanceNotFound,
  InstanceNotRunning,
  InvalidConnectionInfo,
  NO_CAPABILITIES,
  VolumeNotFound,
  type BlockDeviceInfo,
  type CapabilityName,
  type ConnectionInfo,
  type Diagnostics,
  type DriverCapabilities,
  type DriverMethodName,
  type HostResources,
  type ImageMeta,
  type InstanceInfo,
  type LegacyInstanceDict,
  type LifecycleEvent,
  type LifecycleTransition,
  type MigrateData,
  type NetworkInfo,
  type RebootType,
  type VolumeConnector,
} from '@novakit/virt-driver';
import { legacyDiagnostics, typedDiagnostics } from './diagnostics.js';
import { rootDeviceFor } from './devices.js';
import { consoleLog, devicesInUse, instanceFacts, newGuest, type FakeGuest } from './guest.js';
import type { FakeHypervisor } from './hypervisor.js';
import { defaultFakeNetwork, type FakeHypervisorNetwork } from './network.js';
import { DEFAULT_FAKE_CPU, resolveSize, type FakeDriverOptions } from './options.js';
import { FakeScenario } from './scenario.js';

// Everything but network constraints: like any virtualising hypervisor, the fake lets the
// network service choose MACs and DHCP options (macs/dhcp answer null).
function capabilitiesWithout(off: ReadonlySet<CapabilityName>): DriverCapabilities {
  const out = {} as Record<CapabilityName, boolean>;
  for (const c of Object.keys(NO_CAPABILITIES) as CapabilityName[]) out[c] = c !== 'supportsNetworkConstraints' && !off.has(c);
  return Object.freeze(out);
}
const CONSOLE_BYTES = 64 * 1024;

/** One host's guests: lifecycle, power, information and volumes. FakeDriver adds the rest. */
export abstract class FakeDriverCore extends ComputeDriverBase {
  readonly name = 'fake';
  override readonly capabilities: DriverCapabilities;
  readonly host: string;
  readonly network: FakeHypervisorNetwork;
  readonly hypervisor: FakeHypervisor;
  readonly scenario: FakeScenario;
  protected readonly disabled: ReadonlySet<DriverMethodName>;
  protected readonly now: () => Date;
  protected readonly deliver = (event: LifecycleEvent) => this.emitLifecycleEvent(event);

  constructor(options: FakeDriverOptions) {
    super(options.virtapi);
    const off = new Set(options.disabledCapabilities ?? []);
    this.capabilities = capabilitiesWithout(off);
    this.disabled = new Set([...off].flatMap((c) => CAPABILITY_METHODS[c]));
    this.host = options.host;
    this.network = options.network ?? defaultFakeNetwork;
    this.hypervisor = this.network.join({
      host: options.host,
      nodename: options.nodename ?? options.host,
      hostIp: options.hostIp ?? '127.0.0.1',
      size: resolveSize(options.size),
      cpu: options.cpu ?? DEFAULT_FAKE_CPU,
      ...(options.storage !== undefined ? { storage: options.storage } : {}),
    });
    this.scenario = new FakeScenario({ failures: options.failures, delays: options.delays, migrationFailure: options.liveMigration?.failure });
    this.scenario.setMigrationPace({ progressSteps: options.liveMigration?.progressSteps ?? 4, stepDelayMs: options.liveMigration?.stepDelayMs ?? 0 });
    this.now = options.clock ?? (() => new Date());
  }

  protected async enter(method: DriverMethodName, instanceUuid?: string): Promise<void> {
    if (this.disabled.has(method)) this.notSupported(method);
    await this.scenario.enter(method, instanceUuid);
  }

  protected guest(uuid: string): FakeGuest {
    const guest = this.hypervisor.guests.get(uuid);
    if (!guest) throw new InstanceNotFound({ instance_id: uuid });
    return guest;
  }

  protected running(uuid: string): FakeGuest {
    const guest = this.guest(uuid);
    if (guest.power !== PowerState.RUNNING) throw new InstanceNotRunning({ instance_id: uuid });
    return guest;
  }

  protected transition(guest: FakeGuest, power: PowerState, event: LifecycleTransition): void {
    if (guest.power === power) return;
    guest.power = power;
    guest.cpuTimeNs += 1_000_000;
    if (power === PowerState.RUNNING && event === 'started') guest.startedAt = this.now();
    consoleLog(guest, `[fake] ${guest.facts.name} ${event}`);
    this.hypervisor.emit({ instanceUuid: guest.facts.uuid, transition: event, timestamp: this.now() });
  }

  protected checkVolume(info: ConnectionInfo): void {
    if (!info || typeof info.driver_volume_type !== 'string' || typeof info.data !== 'object' || info.data === null) {
      throw new InvalidConnectionInfo({ reason: 'driver_volume_type and data are required' });
    }
    if (info.driver_volume_type !== 'file') return;
    const path = info.data.path ?? info.data.device_path;
    if (typeof path !== 'string' || path === '') throw new InvalidConnectionInfo({ reason: 'data.path is missing' });
    if (!existsSync(path)) throw new VolumeNotFound({ volume_id: info.serial ?? info.data.volume_id ?? path });
  }

  protected mountVolumes(guest: FakeGuest, bdi: BlockDeviceInfo): void {
    for (const v of bdi.volumes) if (!guest.mounts.has(v.mountDevice)) guest.mounts.set(v.mountDevice, v.connectionInfo);
  }

  // ------------------------------------------------------------ host and lifecycle

  async initHost(host: string): Promise<void> {
    await this.enter('initHost');
    if (host !== this.host) throw new HypervisorUnavailable({ host, reason: `this fake driver serves ${this.host}` });
    if (this.capabilities.supportsLifecycleEvents) this.hypervisor.attach(this.deliver);
  }

  override async cleanupHost(_host: string): Promise<void> {
    await this.enter('cleanupHost');
    this.hypervisor.detach(this.deliver);
  }

  async listInstances(): Promise<string[]> {
    await this.enter('listInstances');
    return [...this.hypervisor.guests.values()].map((g) => g.facts.name);
  }

  async listInstanceUuids(): Promise<string[]> {
    await this.enter('listInstanceUuids');
    return [...this.hypervisor.guests.keys()];
  }

  override async instanceExists(instance: Instance): Promise<boolean> {
    await this.enter('instanceExists', instance.uuid);
    return this.hypervisor.guests.has(instance.uuid);
  }

  async spawn(_ctx: RequestContext, instance: Instance, args: { imageMeta: ImageMeta; networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; adminPassword?: string | null }): Promise<void> {
    await this.enter('spawn', instance.uuid);
    const facts = instanceFacts(instance);
    if (this.hypervisor.guests.has(facts.uuid)) throw new InstanceExistsOnHypervisor({ name: facts.name });
    for (const v of args.blockDeviceInfo.volumes) {
      try {
        this.checkVolume(v.connectionInfo);
      } catch (e) {
        throw new InstanceDeployFailure({ reason: `volume at ${v.mountDevice}: ${(e as Error).message}` });
      }
    }
    const rootDevice = args.blockDeviceInfo.rootDeviceName ?? facts.rootDeviceName ?? rootDeviceFor(args.imageMeta, null);
    const guest = newGuest(facts, { rootDevice, blockDeviceInfo: args.blockDeviceInfo, networkInfo: args.networkInfo, power: PowerState.NOSTATE });
    guest.adminPassword = args.adminPassword ?? null;
    if (guest.localGb > 0) this.hypervisor.storage.disks.set(facts.uuid, guest.localGb);
    this.hypervisor.plug(facts.uuid, args.networkInfo);
    this.hypervisor.guests.set(facts.uuid, guest);
    consoleLog(guest, `[fake] booting ${args.imageMeta.name ?? args.imageMeta.id ?? 'blank disk'} on ${rootDevice}`);
    this.transition(guest, PowerState.RUNNING, 'started');
  }

  async reboot(_ctx: RequestContext, instance: Instance, args: { rebootType: RebootType; networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo }): Promise<void> {
    await this.enter('reboot', instance.uuid);
    const guest = args.rebootType === 'SOFT' ? this.running(instance.uuid) : this.guest(instance.uuid);
    this.hypervisor.plug(instance.uuid, args.networkInfo);
    this.mountVolumes(guest, args.blockDeviceInfo);
    guest.cpuTimeNs += 1_000_000;
    consoleLog(guest, `[fake] ${guest.facts.name} ${args.rebootType} reboot`);
    this.transition(guest, PowerState.RUNNING, 'started');
  }

  async powerOff(instance: Instance, _args?: { timeoutSeconds?: number; retryIntervalSeconds?: number }): Promise<void> {
    await this.enter('powerOff', instance.uuid);
    this.transition(this.guest(instance.uuid), PowerState.SHUTDOWN, 'stopped');
  }

  async powerOn(_ctx: RequestContext, instance: Instance, args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo }): Promise<void> {
    await this.enter('powerOn', instance.uuid);
    const guest = this.guest(instance.uuid);
    this.hypervisor.plug(instance.uuid, args.networkInfo);
    this.mountVolumes(guest, args.blockDeviceInfo);
    this.transition(guest, PowerState.RUNNING, 'started');
  }

  override async pause(instance: Instance): Promise<void> {
    await this.enter('pause', instance.uuid);
    this.transition(this.running(instance.uuid), PowerState.PAUSED, 'paused');
  }

  override async unpause(instance: Instance): Promise<void> {
    await this.enter('unpause', instance.uuid);
    const guest = this.guest(instance.uuid);
    if (guest.power === PowerState.PAUSED) this.transition(guest, PowerState.RUNNING, 'resumed');
    else if (guest.power !== PowerState.RUNNING) throw new InstanceNotRunning({ instance_id: instance.uuid });
  }

  override async suspend(_ctx: RequestContext, instance: Instance): Promise<void> {
    await this.enter('suspend', instance.uuid);
    this.transition(this.running(instance.uuid), PowerState.SUSPENDED, 'suspended');
  }

  override async resume(_ctx: RequestContext, instance: Instance, args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo }): Promise<void> {
    await this.enter('resume', instance.uuid);
    const guest = this.guest(instance.uuid);
    if (guest.power === PowerState.RUNNING) return;
    if (guest.power !== PowerState.SUSPENDED) throw new InstanceNotRunning({ instance_id: instance.uuid });
    this.hypervisor.plug(instance.uuid, args.networkInfo);
    this.mountVolumes(guest, args.blockDeviceInfo);
    this.transition(guest, PowerState.RUNNING, 'resumed');
  }

  async destroy(_ctx: RequestContext, instance: LegacyInstanceDict, args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; destroyDisks: boolean; migrateData?: MigrateData | null }): Promise<void> {
    await this.enter('destroy', instance.uuid);
    const guest = this.hypervisor.guests.get(instance.uuid);
    if (guest) this.transition(guest, PowerState.SHUTDOWN, 'stopped');
    this.hypervisor.release(instance.uuid, { destroyDisks: args.destroyDisks, destroyVifs: true });
  }

  async cleanup(_ctx: RequestContext, instance: LegacyInstanceDict, args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; destroyDisks: boolean; destroyVifs: boolean; migrateData?: MigrateData | null }): Promise<void> {
    await this.enter('cleanup', instance.uuid);
    const guest = this.hypervisor.guests.get(instance.uuid);
    if (guest) this.transition(guest, PowerState.SHUTDOWN, 'stopped');
    this.hypervisor.release(instance.uuid, { destroyDisks: args.destroyDisks, destroyVifs: args.destroyVifs });
  }

  async getInfo(_ctx: RequestContext, instance: LegacyInstanceDict): Promise<InstanceInfo> {
    await this.enter('getInfo', instance.uuid);
    const guest = this.guest(instance.uuid);
    const active = guest.power === PowerState.RUNNING || guest.power === PowerState.PAUSED;
    return { state: guest.power, maxMemKb: guest.facts.memoryMb * 1024, memKb: active ? guest.facts.memoryMb * 1024 : 0, numCpu: guest.facts.vcpus, cpuTimeNs: guest.cpuTimeNs };
  }

  override async getDiagnostics(_ctx: RequestContext, instance: LegacyInstanceDict): Promise<Record<string, number | string>> {
    await this.enter('getDiagnostics', instance.uuid);
    return legacyDiagnostics(this.running(instance.uuid));
  }

  override async getInstanceDiagnostics(_ctx: RequestContext, instance: Instance): Promise<Diagnostics> {
    await this.enter('getInstanceDiagnostics', instance.uuid);
    return typedDiagnostics(this.running(instance.uuid), this.now());
  }

  override async getConsoleOutput(_ctx: RequestContext, instance: Instance): Promise<string> {
    await this.enter('getConsoleOutput', instance.uuid);
    const text = this.guest(instance.uuid).console.join('\n') + '\n';
    return text.length > CONSOLE_BYTES ? text.slice(-CONSOLE_BYTES) : text;
  }

  // ------------------------------------------------------------ host resources

  async getAvailableResource(nodename: string): Promise<HostResources> {
    await this.enter('getAvailableResource');
    const hv = this.hypervisor;
    const { size, cpu } = hv.hardware;
    const used = hv.usage();
    return {
      vcpus: size.vcpus,
      memory_mb: size.memoryMb,
      local_gb: hv.storage.capacityGb,
      vcpus_used: used.vcpus,
      memory_mb_used: used.memoryMb,
      local_gb_used: hv.storage.usedGb(),
      hypervisor_type: 'fake',
      hypervisor_version: 1000,
      hypervisor_hostname: nodename,
      cpu_info: hv.cpuInfo(),
      disk_available_least: hv.freeDiskGb(),
      supported_instances: [[cpu.arch, 'fake', 'hvm']],
    };
  }

  async getAvailableNodes(): Promise<string[]> {
    await this.enter('getAvailableNodes');
    return [this.hypervisor.hardware.nodename];
  }

  getHostIpAddr(): string {
    return this.hypervisor.hardware.hostIp;
  }

  // ------------------------------------------------------------ volumes

  override async getVolumeConnector(_ctx: RequestContext, instance: LegacyInstanceDict): Promise<VolumeConnector> {
    await this.enter('getVolumeConnector', instance.uuid);
    return { ip: this.getHostIpAddr(), initiator: `iqn.2014-10.org.novakit.fake:${this.host}`, host: this.host };
  }

  override async attachVolume(_ctx: RequestContext, instance: LegacyInstanceDict, args: { connectionInfo: ConnectionInfo; mountpoint: string; diskBus?: string | null; deviceType?: string | null; encryption?: Readonly<Record<string, unknown>> | null }): Promise<void> {
    await this.enter('attachVolume', instance.uuid);
    const guest = this.guest(instance.uuid);
    this.checkVolume(args.connectionInfo);
    if (devicesInUse(guest).has(args.mountpoint)) throw new DeviceIsBusy({ device: args.mountpoint });
    guest.mounts.set(args.mountpoint, args.connectionInfo);
  }

  override async detachVolume(_ctx: RequestContext, instance: LegacyInstanceDict, args: { connectionInfo: ConnectionInfo; mountpoint: string; encryption?: Readonly<Record<string, unknown>> | null }): Promise<void> {
    await this.enter('detachVolume', instance.uuid);
    this.hypervisor.guests.get(instance.uuid)?.mounts.delete(args.mountpoint);
  }

  override async swapVolume(_ctx: RequestContext, instance: Instance, args: { oldConnectionInfo: ConnectionInfo; newConnectionInfo: ConnectionInfo; mountpoint: string; resizeToGb?: number }): Promise<void> {
    await this.enter('swapVolume', instance.uuid);
    const guest = this.guest(instance.uuid);
    const old = guest.mounts.get(args.mountpoint);
    if (!old) throw new VolumeNotFound({ volume_id: args.oldConnectionInfo.serial ?? args.mountpoint });
    this.checkVolume(args.newConnectionInfo);
    const from = old.data.path;
    const to = args.newConnectionInfo.data.path;
    if (old.driver_volume_type === 'file' && args.newConnectionInfo.driver_volume_type === 'file' && typeof from === 'string' && typeof to === 'string') {
      // The new volume keeps its size (a mirror writes into it); resizeTo grows it after the copy.
      await pipeline(createReadStream(from), createWriteStream(to, { flags: 'r+' }));
      if (args.resizeToGb) await truncate(to, args.resizeToGb * 1024 ** 3);
    }
    guest.mounts.set(args.mountpoint, args.newConnectionInfo);
  }
}
