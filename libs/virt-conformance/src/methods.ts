import type { Instance, RequestContext } from '@novakit/objects';
import { EMPTY_BLOCK_DEVICE_INFO, type ComputeDriver, type DriverMethodName, type LegacyInstanceDict } from '@novakit/virt-driver';

export interface PlaceholderArgs {
  readonly ctx: RequestContext;
  readonly instance: Instance;
  readonly legacy: LegacyInstanceDict;
}

type Call = (d: ComputeDriver, p: PlaceholderArgs) => unknown;

const net = { networkInfo: [] };
const bdi = EMPTY_BLOCK_DEVICE_INFO;
const file = { driver_volume_type: 'file', data: {} };
const noop = async () => {};

/**
 * One call per contract method with placeholder arguments, for checking that a method whose
 * capability is false throws NotSupportedError. Being a Record over DriverMethodName, it is
 * also the suite's list of every contract method: a method added to the contract fails to
 * compile here until the suite knows it.
 */
export const PLACEHOLDER_CALLS: Readonly<Record<DriverMethodName, Call>> = {
  initHost: (d) => d.initHost('placeholder'),
  cleanupHost: (d) => d.cleanupHost('placeholder'),
  listInstances: (d) => d.listInstances(),
  listInstanceUuids: (d) => d.listInstanceUuids(),
  instanceExists: (d, p) => d.instanceExists(p.instance),
  spawn: (d, p) => d.spawn(p.ctx, p.instance, { imageMeta: { id: null, properties: {} }, networkInfo: [], blockDeviceInfo: bdi }),
  reboot: (d, p) => d.reboot(p.ctx, p.instance, { rebootType: 'SOFT', ...net, blockDeviceInfo: bdi }),
  powerOff: (d, p) => d.powerOff(p.instance),
  powerOn: (d, p) => d.powerOn(p.ctx, p.instance, { ...net, blockDeviceInfo: bdi }),
  pause: (d, p) => d.pause(p.instance),
  unpause: (d, p) => d.unpause(p.instance),
  suspend: (d, p) => d.suspend(p.ctx, p.instance),
  resume: (d, p) => d.resume(p.ctx, p.instance, { ...net, blockDeviceInfo: bdi }),
  destroy: (d, p) => d.destroy(p.ctx, p.legacy, { ...net, blockDeviceInfo: bdi, destroyDisks: true }),
  cleanup: (d, p) => d.cleanup(p.ctx, p.legacy, { ...net, blockDeviceInfo: bdi, destroyDisks: true, destroyVifs: true }),
  getInfo: (d, p) => d.getInfo(p.ctx, p.legacy),
  getDiagnostics: (d, p) => d.getDiagnostics(p.ctx, p.legacy),
  getInstanceDiagnostics: (d, p) => d.getInstanceDiagnostics(p.ctx, p.instance),
  getConsoleOutput: (d, p) => d.getConsoleOutput(p.ctx, p.instance),
  registerEventListener: (d) => d.registerEventListener(null),
  getAvailableResource: (d) => d.getAvailableResource('placeholder'),
  getAvailableNodes: (d) => d.getAvailableNodes(),
  getHostIpAddr: (d) => d.getHostIpAddr(),
  getVolumeConnector: (d, p) => d.getVolumeConnector(p.ctx, p.legacy),
  attachVolume: (d, p) => d.attachVolume(p.ctx, p.legacy, { connectionInfo: file, mountpoint: '/dev/vdz' }),
  detachVolume: (d, p) => d.detachVolume(p.ctx, p.legacy, { connectionInfo: file, mountpoint: '/dev/vdz' }),
  swapVolume: (d, p) => d.swapVolume(p.ctx, p.instance, { oldConnectionInfo: file, newConnectionInfo: file, mountpoint: '/dev/vdz' }),
  checkCanLiveMigrateDestination: (d, p) => d.checkCanLiveMigrateDestination(p.ctx, p.legacy, { srcComputeInfo: {}, dstComputeInfo: {}, blockMigration: false, diskOverCommit: false }),
  checkCanLiveMigrateDestinationCleanup: (d, p) => d.checkCanLiveMigrateDestinationCleanup(p.ctx, {}),
  checkCanLiveMigrateSource: (d, p) => d.checkCanLiveMigrateSource(p.ctx, p.legacy, { destCheckData: {} }),
  preLiveMigration: (d, p) => d.preLiveMigration(p.ctx, p.legacy, { blockDeviceInfo: bdi, ...net, diskInfo: null, migrateData: {} }),
  liveMigration: (d, p) => d.liveMigration(p.ctx, p.legacy, { dest: 'placeholder', postMethod: noop, recoverMethod: noop, blockMigration: false, migrateData: {} }),
  postLiveMigration: (d, p) => d.postLiveMigration(p.ctx, p.legacy, { blockDeviceInfo: bdi, migrateData: {} }),
  postLiveMigrationAtSource: (d, p) => d.postLiveMigrationAtSource(p.ctx, p.instance, net),
  postLiveMigrationAtDestination: (d, p) => d.postLiveMigrationAtDestination(p.ctx, p.instance, { ...net, blockMigration: false, blockDeviceInfo: bdi }),
  rollbackLiveMigrationAtDestination: (d, p) => d.rollbackLiveMigrationAtDestination(p.ctx, p.legacy, { ...net, blockDeviceInfo: bdi, destroyDisks: true }),
  checkInstanceSharedStorageLocal: (d, p) => d.checkInstanceSharedStorageLocal(p.ctx, p.legacy),
  checkInstanceSharedStorageRemote: (d, p) => d.checkInstanceSharedStorageRemote(p.ctx, {}),
  checkInstanceSharedStorageCleanup: (d, p) => d.checkInstanceSharedStorageCleanup(p.ctx, {}),
  defaultRootDeviceName: (d, p) => d.defaultRootDeviceName(p.ctx, p.legacy, { imageMeta: { id: null, properties: {} }, rootBdm: null }),
  defaultDeviceNamesForInstance: (d, p) => d.defaultDeviceNamesForInstance(p.ctx, p.legacy, { rootDeviceName: '/dev/vda', lists: { ephemerals: [], swap: [], volumes: [] } }),
  macsForInstance: (d, p) => d.macsForInstance(p.ctx, p.legacy),
  dhcpOptionsForInstance: (d, p) => d.dhcpOptionsForInstance(p.ctx, p.legacy),
  plugVifs: (d, p) => d.plugVifs(p.ctx, p.instance, net),
  unplugVifs: (d, p) => d.unplugVifs(p.ctx, p.legacy, net),
  injectFile: (d, p) => d.injectFile(p.ctx, p.legacy, { path: '/placeholder', contents: '' }),
  injectNetworkInfo: (d, p) => d.injectNetworkInfo(p.ctx, p.legacy, net),
  resetNetwork: (d, p) => d.resetNetwork(p.ctx, p.legacy),
  ensureFilteringRulesForInstance: (d, p) => d.ensureFilteringRulesForInstance(p.ctx, p.legacy, net),
  unfilterInstance: (d, p) => d.unfilterInstance(p.ctx, p.legacy, net),
  refreshInstanceSecurityRules: (d, p) => d.refreshInstanceSecurityRules(p.ctx, p.legacy),
  refreshSecurityGroupRules: (d, p) => d.refreshSecurityGroupRules(p.ctx, 0),
};

export const CONTRACT_METHODS = Object.keys(PLACEHOLDER_CALLS) as DriverMethodName[];
