/**
 * @novakit/virt-driver — the contract between the compute manager and virt drivers.
 * `compute-driver.ts` is the specification; `ComputeDriverBase` gives "not supported"
 * defaults; `capabilities` says what a driver does; `WORK_ITEMS` lists the 25 methods the
 * objects migration converts; legacy.ts holds the release-1 dict type and VirtAPI.
 *
 * ```ts
 * class MyDriver extends ComputeDriverBase {
 *   readonly name = 'mine';
 *   override readonly capabilities = { ...NO_CAPABILITIES, supportsPause: true };
 *   ...
 * }
 * const driver = loadComputeDriver(config.driver, { fake: createFakeDriver }, { host, virtapi, config: {} });
 * ```
 */
export type { ComputeDriver, ComputeDriverFactory, DriverFactoryOptions, LiveMigrationCallback } from './compute-driver.js';
export { ComputeDriverBase } from './compute-driver-base.js';
export { CAPABILITY_METHODS, NO_CAPABILITIES, capabilityOf } from './capabilities.js';
export type { CapabilityName, DriverCapabilities, DriverMethodName } from './capabilities.js';
export { legacyInstanceDict } from './legacy.js';
export { instanceFacts, instanceField } from './instance-facts.js';
export type { InstanceFacts } from './instance-facts.js';
export type {
  LegacyBlockDeviceMapping,
  LegacyInstanceColumns,
  LegacyInstanceDict,
  LegacyProviderFwRule,
  LegacyRow,
  LegacySecurityGroup,
  LegacySecurityGroupRule,
  VirtAPI,
} from './legacy.js';
export { EMPTY_BLOCK_DEVICE_INFO } from './types.js';
export type {
  BlockDeviceInfo,
  BlockDeviceLists,
  ComputeInfo,
  ConnectionInfo,
  CpuDiagnostics,
  DhcpOption,
  Diagnostics,
  DiskDiagnostics,
  DriverVolume,
  HostResources,
  ImageMeta,
  InstanceInfo,
  LifecycleEvent,
  LifecycleTransition,
  MigrateData,
  MigrationProgress,
  NetworkInfo,
  NicDiagnostics,
  RebootType,
  SharedStorageProbe,
  VolumeConnector,
} from './types.js';
export { WORK_ITEMS } from './work-items.js';
export type { WorkItem, WorkItemMethod, WorkItemName } from './work-items.js';
export { loadComputeDriver } from './loader.js';
export { PowerState, POWER_STATES, POWER_STATE_NAMES } from '@novakit/objects';
export * from './errors.js';
