import type { ComputeDriver } from './compute-driver.js';

/**
 * What a driver can do, as data (Nova's `capabilities` dict). Callers check a capability
 * before calling an optional method instead of catching NotSupportedError; a method whose
 * capability is false must throw NotSupportedError, and the conformance suite checks both.
 */
export interface DriverCapabilities {
  /** pause / unpause. */
  readonly supportsPause: boolean;
  /** suspend / resume. */
  readonly supportsSuspend: boolean;
  /** attach_volume / detach_volume while running. */
  readonly supportsVolumeAttach: boolean;
  readonly supportsSwapVolume: boolean;
  /** live_migration and its checks and hooks. */
  readonly supportsLiveMigration: boolean;
  /** Live migration copying local disks (storage not shared). */
  readonly supportsBlockMigration: boolean;
  /** check_instance_shared_storage_local/remote/cleanup can decide. */
  readonly supportsSharedStorageCheck: boolean;
  /** ensure_filtering_rules, unfilter_instance, refresh_*_security_rules. */
  readonly supportsFirewall: boolean;
  /** default_root_device_name and default_device_names_for_instance. */
  readonly supportsDeviceNaming: boolean;
  readonly supportsInjectFile: boolean;
  readonly supportsInjectNetworkInfo: boolean;
  readonly supportsResetNetwork: boolean;
  /** macs_for_instance / dhcp_options_for_instance may constrain networking (bare-metal style). */
  readonly supportsNetworkConstraints: boolean;
  readonly supportsDiagnostics: boolean;
  readonly supportsConsoleOutput: boolean;
  /** post_live_migration_at_source unplugs VIFs (else the manager calls cleanup with destroyVifs). */
  readonly supportsPostLiveMigrationAtSource: boolean;
  /** Emits lifecycle events to a registered listener. */
  readonly supportsLifecycleEvents: boolean;
}

export const NO_CAPABILITIES: DriverCapabilities = Object.freeze({
  supportsPause: false,
  supportsSuspend: false,
  supportsVolumeAttach: false,
  supportsSwapVolume: false,
  supportsLiveMigration: false,
  supportsBlockMigration: false,
  supportsSharedStorageCheck: false,
  supportsFirewall: false,
  supportsDeviceNaming: false,
  supportsInjectFile: false,
  supportsInjectNetworkInfo: false,
  supportsResetNetwork: false,
  supportsNetworkConstraints: false,
  supportsDiagnostics: false,
  supportsConsoleOutput: false,
  supportsPostLiveMigrationAtSource: false,
  supportsLifecycleEvents: false,
});

export type CapabilityName = keyof DriverCapabilities;

/** Every method of the contract (the two properties `name` and `capabilities` aside). */
export type DriverMethodName = Exclude<keyof ComputeDriver, 'name' | 'capabilities'>;

/**
 * The optional methods each capability governs: when the capability is false, each of these
 * throws NotSupportedError. Capabilities with no methods change behaviour, not availability
 * (block migration is an argument, network constraints make macs/dhcp return non-null, events
 * are emitted or not). Methods absent from every list are required.
 */
export const CAPABILITY_METHODS: Readonly<Record<CapabilityName, readonly DriverMethodName[]>> = Object.freeze({
  supportsPause: ['pause', 'unpause'],
  supportsSuspend: ['suspend', 'resume'],
  supportsVolumeAttach: ['getVolumeConnector', 'attachVolume', 'detachVolume'],
  supportsSwapVolume: ['swapVolume'],
  supportsLiveMigration: [
    'checkCanLiveMigrateDestination',
    'checkCanLiveMigrateDestinationCleanup',
    'checkCanLiveMigrateSource',
    'preLiveMigration',
    'liveMigration',
    'postLiveMigration',
    'postLiveMigrationAtDestination',
    'rollbackLiveMigrationAtDestination',
  ],
  supportsBlockMigration: [],
  supportsSharedStorageCheck: ['checkInstanceSharedStorageLocal', 'checkInstanceSharedStorageRemote', 'checkInstanceSharedStorageCleanup'],
  supportsFirewall: ['ensureFilteringRulesForInstance', 'unfilterInstance', 'refreshInstanceSecurityRules', 'refreshSecurityGroupRules'],
  supportsDeviceNaming: ['defaultRootDeviceName', 'defaultDeviceNamesForInstance'],
  supportsInjectFile: ['injectFile'],
  supportsInjectNetworkInfo: ['injectNetworkInfo'],
  supportsResetNetwork: ['resetNetwork'],
  supportsNetworkConstraints: [],
  supportsDiagnostics: ['getDiagnostics', 'getInstanceDiagnostics'],
  supportsConsoleOutput: ['getConsoleOutput'],
  supportsPostLiveMigrationAtSource: ['postLiveMigrationAtSource'],
  supportsLifecycleEvents: [],
});

/** The capability an optional method depends on, or null for a required method. */
export function capabilityOf(method: DriverMethodName): CapabilityName | null {
  for (const [capability, methods] of Object.entries(CAPABILITY_METHODS) as [CapabilityName, readonly DriverMethodName[]][]) {
    if (methods.includes(method)) return capability;
  }
  return null;
}
