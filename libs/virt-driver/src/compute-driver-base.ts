import type { BlockDeviceMapping, Instance, RequestContext } from '@novakit/objects';
import { NO_CAPABILITIES, type DriverCapabilities } from './capabilities.js';
import type { ComputeDriver, LiveMigrationCallback } from './compute-driver.js';
import { NotSupportedError } from './errors.js';
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

/**
 * The base every driver extends: required methods are abstract, optional ones throw
 * NotSupportedError, so a method added to the contract later does not break old drivers.
 */
export abstract class ComputeDriverBase implements ComputeDriver {
  abstract readonly name: string;
  readonly capabilities: DriverCapabilities = NO_CAPABILITIES;
  private listener: ((event: LifecycleEvent) => void) | null = null;

  constructor(protected readonly virtapi: VirtAPI) {}

  protected notSupported(method: string): never {
    throw new NotSupportedError({ driver: this.name, method });
  }

  abstract initHost(host: string): Promise<void>;
  async cleanupHost(_host: string): Promise<void> {}
  abstract listInstances(): Promise<string[]>;
  abstract listInstanceUuids(): Promise<string[]>;
  async instanceExists(instance: Instance): Promise<boolean> {
    return (await this.listInstanceUuids()).includes(instance.uuid);
  }
  abstract spawn(ctx: RequestContext, instance: Instance, args: { imageMeta: ImageMeta; networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; adminPassword?: string | null }): Promise<void>;
  abstract reboot(ctx: RequestContext, instance: Instance, args: { rebootType: RebootType; networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo }): Promise<void>;
  abstract powerOff(instance: Instance, args?: { timeoutSeconds?: number; retryIntervalSeconds?: number }): Promise<void>;
  abstract powerOn(ctx: RequestContext, instance: Instance, args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo }): Promise<void>;
  async pause(_instance: Instance): Promise<void> {
    this.notSupported('pause');
  }
  async unpause(_instance: Instance): Promise<void> {
    this.notSupported('unpause');
  }
  async suspend(_ctx: RequestContext, _instance: Instance): Promise<void> {
    this.notSupported('suspend');
  }
  async resume(_ctx: RequestContext, _instance: Instance, _args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo }): Promise<void> {
    this.notSupported('resume');
  }
  abstract destroy(ctx: RequestContext, instance: LegacyInstanceDict, args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; destroyDisks: boolean; migrateData?: MigrateData | null }): Promise<void>;
  abstract cleanup(ctx: RequestContext, instance: LegacyInstanceDict, args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; destroyDisks: boolean; destroyVifs: boolean; migrateData?: MigrateData | null }): Promise<void>;
  abstract getInfo(ctx: RequestContext, instance: LegacyInstanceDict): Promise<InstanceInfo>;
  async getDiagnostics(_ctx: RequestContext, _instance: LegacyInstanceDict): Promise<Record<string, number | string>> {
    this.notSupported('getDiagnostics');
  }
  async getInstanceDiagnostics(_ctx: RequestContext, _instance: Instance): Promise<Diagnostics> {
    this.notSupported('getInstanceDiagnostics');
  }
  async getConsoleOutput(_ctx: RequestContext, _instance: Instance): Promise<string> {
    this.notSupported('getConsoleOutput');
  }

  registerEventListener(listener: ((event: LifecycleEvent) => void) | null): void {
    this.listener = listener;
  }

  /** Deliver a lifecycle event; a throwing listener must not break the driver. */
  protected emitLifecycleEvent(event: LifecycleEvent): void {
    if (!this.listener) return;
    try {
      this.listener(event);
    } catch (e) {
      process.emitWarning(`lifecycle event listener failed: ${(e as Error)?.message ?? String(e)}`, { code: 'NOVAKIT_EVENT_LISTENER' });
    }
  }

  abstract getAvailableResource(nodename: string): Promise<HostResources>;
  abstract getAvailableNodes(): Promise<string[]>;
  abstract getHostIpAddr(): string;

  async getVolumeConnector(_ctx: RequestContext, _instance: LegacyInstanceDict): Promise<VolumeConnector> {
    this.notSupported('getVolumeConnector');
  }
  async attachVolume(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { connectionInfo: ConnectionInfo; mountpoint: string; diskBus?: string | null; deviceType?: string | null; encryption?: Readonly<Record<string, unknown>> | null }): Promise<void> {
    this.notSupported('attachVolume');
  }
  async detachVolume(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { connectionInfo: ConnectionInfo; mountpoint: string; encryption?: Readonly<Record<string, unknown>> | null }): Promise<void> {
    this.notSupported('detachVolume');
  }
  async swapVolume(_ctx: RequestContext, _instance: Instance, _args: { oldConnectionInfo: ConnectionInfo; newConnectionInfo: ConnectionInfo; mountpoint: string; resizeToGb?: number }): Promise<void> {
    this.notSupported('swapVolume');
  }

  async checkCanLiveMigrateDestination(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { srcComputeInfo: ComputeInfo; dstComputeInfo: ComputeInfo; blockMigration: boolean; diskOverCommit: boolean }): Promise<MigrateData> {
    this.notSupported('checkCanLiveMigrateDestination');
  }
  async checkCanLiveMigrateDestinationCleanup(_ctx: RequestContext, _destCheckData: MigrateData): Promise<void> {
    this.notSupported('checkCanLiveMigrateDestinationCleanup');
  }
  async checkCanLiveMigrateSource(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { destCheckData: MigrateData }): Promise<MigrateData> {
    this.notSupported('checkCanLiveMigrateSource');
  }
  async preLiveMigration(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { blockDeviceInfo: BlockDeviceInfo; networkInfo: NetworkInfo; diskInfo: string | null; migrateData: MigrateData }): Promise<MigrateData> {
    this.notSupported('preLiveMigration');
  }
  async liveMigration(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { dest: string; postMethod: LiveMigrationCallback; recoverMethod: LiveMigrationCallback; blockMigration: boolean; migrateData: MigrateData; onProgress?: (progress: MigrationProgress) => void }): Promise<void> {
    this.notSupported('liveMigration');
  }
  async postLiveMigration(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { blockDeviceInfo: BlockDeviceInfo; migrateData: MigrateData }): Promise<void> {
    this.notSupported('postLiveMigration');
  }
  async postLiveMigrationAtSource(_ctx: RequestContext, _instance: Instance, _args: { networkInfo: NetworkInfo }): Promise<void> {
    this.notSupported('postLiveMigrationAtSource');
  }
  async postLiveMigrationAtDestination(_ctx: RequestContext, _instance: Instance, _args: { networkInfo: NetworkInfo; blockMigration: boolean; blockDeviceInfo: BlockDeviceInfo }): Promise<void> {
    this.notSupported('postLiveMigrationAtDestination');
  }
  async rollbackLiveMigrationAtDestination(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; destroyDisks: boolean; migrateData?: MigrateData | null }): Promise<void> {
    this.notSupported('rollbackLiveMigrationAtDestination');
  }
  async checkInstanceSharedStorageLocal(_ctx: RequestContext, _instance: LegacyInstanceDict): Promise<SharedStorageProbe | null> {
    this.notSupported('checkInstanceSharedStorageLocal');
  }
  async checkInstanceSharedStorageRemote(_ctx: RequestContext, _probe: SharedStorageProbe): Promise<boolean> {
    this.notSupported('checkInstanceSharedStorageRemote');
  }
  async checkInstanceSharedStorageCleanup(_ctx: RequestContext, _probe: SharedStorageProbe): Promise<void> {
    this.notSupported('checkInstanceSharedStorageCleanup');
  }

  async defaultRootDeviceName(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { imageMeta: ImageMeta; rootBdm: BlockDeviceMapping | null }): Promise<string> {
    this.notSupported('defaultRootDeviceName');
  }
  async defaultDeviceNamesForInstance(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { rootDeviceName: string; lists: BlockDeviceLists }): Promise<void> {
    this.notSupported('defaultDeviceNamesForInstance');
  }

  async macsForInstance(_ctx: RequestContext, _instance: LegacyInstanceDict): Promise<ReadonlySet<string> | null> {
    return null;
  }
  async dhcpOptionsForInstance(_ctx: RequestContext, _instance: LegacyInstanceDict): Promise<DhcpOption[] | null> {
    return null;
  }
  abstract plugVifs(ctx: RequestContext, instance: Instance, args: { networkInfo: NetworkInfo }): Promise<void>;
  abstract unplugVifs(ctx: RequestContext, instance: LegacyInstanceDict, args: { networkInfo: NetworkInfo }): Promise<void>;
  async injectFile(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { path: string; contents: string }): Promise<void> {
    this.notSupported('injectFile');
  }
  async injectNetworkInfo(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { networkInfo: NetworkInfo }): Promise<void> {
    this.notSupported('injectNetworkInfo');
  }
  async resetNetwork(_ctx: RequestContext, _instance: LegacyInstanceDict): Promise<void> {
    this.notSupported('resetNetwork');
  }

  async ensureFilteringRulesForInstance(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { networkInfo: NetworkInfo }): Promise<void> {
    this.notSupported('ensureFilteringRulesForInstance');
  }
  async unfilterInstance(_ctx: RequestContext, _instance: LegacyInstanceDict, _args: { networkInfo: NetworkInfo }): Promise<void> {
    this.notSupported('unfilterInstance');
  }
  async refreshInstanceSecurityRules(_ctx: RequestContext, _instance: LegacyInstanceDict): Promise<void> {
    this.notSupported('refreshInstanceSecurityRules');
  }
  async refreshSecurityGroupRules(_ctx: RequestContext, _securityGroupId: number): Promise<void> {
    this.notSupported('refreshSecurityGroupRules');
  }
}
