import type { BlockDeviceMapping, Instance, RequestContext } from '@novakit/objects';
import { PowerState } from '@novakit/objects';
import {
  MigrationError,
  type BlockDeviceInfo,
  type BlockDeviceLists,
  type ComputeInfo,
  type DhcpOption,
  type ImageMeta,
  type LegacyInstanceDict,
  type LiveMigrationCallback,
  type MigrateData,
  type MigrationProgress,
  type NetworkInfo,
  type SharedStorageProbe,
} from '@novakit/virt-driver';
import { prefixOf, rootDeviceFor, takeNextDevice } from './devices.js';
import { FakeDriverCore } from './fake-driver-core.js';
import { loadFilter } from './firewall.js';
import { devicesInUse, instanceFacts } from './guest.js';
import { checkDestination, checkSource, startReceiver, transfer } from './migration.js';

/**
 * The in-memory reference driver (Nova's nova/virt/fake.py): every contract method, with the
 * semantics compute-driver.ts specifies, over a FakeHypervisor found in a FakeHypervisorNetwork.
 * This class adds what involves other hosts or the manager's data (migration, shared storage,
 * device naming, networking, firewall) to the single-host core.
 */
export class FakeDriver extends FakeDriverCore {
  // ------------------------------------------------------------ live migration

  override async checkCanLiveMigrateDestination(_ctx: RequestContext, instance: LegacyInstanceDict, args: { srcComputeInfo: ComputeInfo; dstComputeInfo: ComputeInfo; blockMigration: boolean; diskOverCommit: boolean }): Promise<MigrateData> {
    await this.enter('checkCanLiveMigrateDestination', instance.uuid);
    return checkDestination(this.hypervisor, instanceFacts(instance), args);
  }

  override async checkCanLiveMigrateDestinationCleanup(_ctx: RequestContext, destCheckData: MigrateData): Promise<void> {
    await this.enter('checkCanLiveMigrateDestinationCleanup');
    this.hypervisor.storage.removeProbe(destCheckData.filename);
  }

  override async checkCanLiveMigrateSource(_ctx: RequestContext, instance: LegacyInstanceDict, args: { destCheckData: MigrateData }): Promise<MigrateData> {
    await this.enter('checkCanLiveMigrateSource', instance.uuid);
    return checkSource(this.hypervisor, instanceFacts(instance), args.destCheckData, this.capabilities.supportsBlockMigration);
  }

  override async preLiveMigration(_ctx: RequestContext, instance: LegacyInstanceDict, args: { blockDeviceInfo: BlockDeviceInfo; networkInfo: NetworkInfo; diskInfo: string | null; migrateData: MigrateData }): Promise<MigrateData> {
    await this.enter('preLiveMigration', instance.uuid);
    if (this.scenario.migrationFailureAt('pre')) {
      this.scenario.consumeMigrationFailure();
      throw new MigrationError({ reason: `injected failure in pre_live_migration on ${this.host}` });
    }
    const facts = instanceFacts(instance);
    const rootDevice = args.blockDeviceInfo.rootDeviceName ?? facts.rootDeviceName ?? '/dev/vda';
    return startReceiver(this.hypervisor, facts, { ...args, rootDevice });
  }

  override async liveMigration(ctx: RequestContext, instance: LegacyInstanceDict, args: { dest: string; postMethod: LiveMigrationCallback; recoverMethod: LiveMigrationCallback; blockMigration: boolean; migrateData: MigrateData; onProgress?: (progress: MigrationProgress) => void }): Promise<void> {
    await this.enter('liveMigration', instance.uuid);
    await transfer(ctx, instance, { hv: this.hypervisor, network: this.network, scenario: this.scenario, ...this.scenario.migrationPace, now: this.now }, args);
  }

  override async postLiveMigration(_ctx: RequestContext, instance: LegacyInstanceDict, _args: { blockDeviceInfo: BlockDeviceInfo; migrateData: MigrateData }): Promise<void> {
    await this.enter('postLiveMigration', instance.uuid);
    this.hypervisor.guests.delete(instance.uuid);
  }

  override async postLiveMigrationAtSource(_ctx: RequestContext, instance: Instance, args: { networkInfo: NetworkInfo }): Promise<void> {
    await this.enter('postLiveMigrationAtSource', instance.uuid);
    this.hypervisor.unplug(instance.uuid, args.networkInfo);
  }

  override async postLiveMigrationAtDestination(_ctx: RequestContext, instance: Instance, args: { networkInfo: NetworkInfo; blockMigration: boolean; blockDeviceInfo: BlockDeviceInfo }): Promise<void> {
    await this.enter('postLiveMigrationAtDestination', instance.uuid);
    if (this.scenario.migrationFailureAt('post')) {
      this.scenario.consumeMigrationFailure();
      throw new MigrationError({ reason: `injected failure in post_live_migration_at_destination on ${this.host}` });
    }
    this.guest(instance.uuid);
    this.hypervisor.plug(instance.uuid, args.networkInfo);
  }

  override async rollbackLiveMigrationAtDestination(_ctx: RequestContext, instance: LegacyInstanceDict, args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; destroyDisks: boolean; migrateData?: MigrateData | null }): Promise<void> {
    await this.enter('rollbackLiveMigrationAtDestination', instance.uuid);
    const guest = this.hypervisor.guests.get(instance.uuid);
    if (guest) this.transition(guest, PowerState.SHUTDOWN, 'stopped');
    this.hypervisor.release(instance.uuid, { destroyDisks: args.destroyDisks, destroyVifs: true });
  }

  override async checkInstanceSharedStorageLocal(_ctx: RequestContext, instance: LegacyInstanceDict): Promise<SharedStorageProbe | null> {
    await this.enter('checkInstanceSharedStorageLocal', instance.uuid);
    return { filename: this.hypervisor.storage.createProbe(), host: this.host, instance_uuid: instance.uuid };
  }

  override async checkInstanceSharedStorageRemote(_ctx: RequestContext, probe: SharedStorageProbe): Promise<boolean> {
    await this.enter('checkInstanceSharedStorageRemote');
    return this.hypervisor.storage.hasProbe(probe.filename);
  }

  override async checkInstanceSharedStorageCleanup(_ctx: RequestContext, probe: SharedStorageProbe): Promise<void> {
    await this.enter('checkInstanceSharedStorageCleanup');
    this.hypervisor.storage.removeProbe(probe.filename);
  }

  // ------------------------------------------------------------ device naming

  override async defaultRootDeviceName(_ctx: RequestContext, instance: LegacyInstanceDict, args: { imageMeta: ImageMeta; rootBdm: BlockDeviceMapping | null }): Promise<string> {
    await this.enter('defaultRootDeviceName', instance.uuid);
    return rootDeviceFor(args.imageMeta, args.rootBdm);
  }

  override async defaultDeviceNamesForInstance(ctx: RequestContext, instance: LegacyInstanceDict, args: { rootDeviceName: string; lists: BlockDeviceLists }): Promise<void> {
    await this.enter('defaultDeviceNamesForInstance', instance.uuid);
    const { ephemerals, swap, volumes } = args.lists;
    const all = [...ephemerals, ...swap, ...volumes];
    const guest = this.hypervisor.guests.get(instance.uuid);
    const nameOf = (bdm: BlockDeviceMapping | undefined) => (bdm?.obj_attr_is_set('device_name') ? bdm.device_name : null);
    const used = new Set([args.rootDeviceName, ...(guest ? devicesInUse(guest) : []), ...all.map(nameOf).filter((d): d is string => !!d)]);
    const prefix = prefixOf(args.rootDeviceName);
    for (const bdm of all) {
      if (nameOf(bdm)) continue;
      bdm.device_name = takeNextDevice(prefix, used);
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

  override async macsForInstance(_ctx: RequestContext, instance: LegacyInstanceDict): Promise<ReadonlySet<string> | null> {
    await this.enter('macsForInstance', instance.uuid);
    return null;
  }

  override async dhcpOptionsForInstance(_ctx: RequestContext, instance: LegacyInstanceDict): Promise<DhcpOption[] | null> {
    await this.enter('dhcpOptionsForInstance', instance.uuid);
    return null;
  }

  async plugVifs(_ctx: RequestContext, instance: Instance, args: { networkInfo: NetworkInfo }): Promise<void> {
    await this.enter('plugVifs', instance.uuid);
    this.hypervisor.plug(instance.uuid, args.networkInfo);
  }

  async unplugVifs(_ctx: RequestContext, instance: LegacyInstanceDict, args: { networkInfo: NetworkInfo }): Promise<void> {
    await this.enter('unplugVifs', instance.uuid);
    this.hypervisor.unplug(instance.uuid, args.networkInfo);
  }

  override async injectFile(_ctx: RequestContext, instance: LegacyInstanceDict, args: { path: string; contents: string }): Promise<void> {
    await this.enter('injectFile', instance.uuid);
    this.guest(instance.uuid).injectedFiles.set(args.path, args.contents);
  }

  override async injectNetworkInfo(_ctx: RequestContext, instance: LegacyInstanceDict, args: { networkInfo: NetworkInfo }): Promise<void> {
    await this.enter('injectNetworkInfo', instance.uuid);
    this.guest(instance.uuid).injectedNetworkInfo.push(args.networkInfo);
  }

  override async resetNetwork(_ctx: RequestContext, instance: LegacyInstanceDict): Promise<void> {
    await this.enter('resetNetwork', instance.uuid);
    this.guest(instance.uuid).networkResets++;
  }

  // ------------------------------------------------------------ firewall

  override async ensureFilteringRulesForInstance(ctx: RequestContext, instance: LegacyInstanceDict, _args: { networkInfo: NetworkInfo }): Promise<void> {
    await this.enter('ensureFilteringRulesForInstance', instance.uuid);
    const filters = this.hypervisor.filters;
    filters.set(instance.uuid, await loadFilter(this.virtapi, ctx, instance.uuid, filters.get(instance.uuid)));
  }

  override async unfilterInstance(_ctx: RequestContext, instance: LegacyInstanceDict, _args: { networkInfo: NetworkInfo }): Promise<void> {
    await this.enter('unfilterInstance', instance.uuid);
    this.hypervisor.filters.delete(instance.uuid);
  }

  override async refreshInstanceSecurityRules(ctx: RequestContext, instance: LegacyInstanceDict): Promise<void> {
    await this.enter('refreshInstanceSecurityRules', instance.uuid);
    const filters = this.hypervisor.filters;
    const current = filters.get(instance.uuid);
    if (current) filters.set(instance.uuid, await loadFilter(this.virtapi, ctx, instance.uuid, current));
  }

  override async refreshSecurityGroupRules(ctx: RequestContext, securityGroupId: number): Promise<void> {
    await this.enter('refreshSecurityGroupRules');
    const filters = this.hypervisor.filters;
    for (const [uuid, filter] of [...filters]) {
      if (filter.groupIds.includes(securityGroupId)) filters.set(uuid, await loadFilter(this.virtapi, ctx, uuid, filter));
    }
  }
}
