// The values that cross the driver contract, besides objects. Documented in compute-driver.ts.
import type { BlockDeviceMapping, NetworkInfo, PowerState } from '@novakit/objects';

/** Glance-style image metadata; `null` id means "boot from a blank disk". */
export interface ImageMeta {
  readonly id: string | null;
  readonly name?: string;
  readonly diskFormat?: string;
  readonly containerFormat?: string;
  /** Minimum root disk in GB, and the image size in bytes when known. */
  readonly minDisk?: number;
  readonly size?: number;
  /** Image properties (`hw_disk_bus`, `hw_vif_model`, …). */
  readonly properties: Readonly<Record<string, string>>;
  /** A local file holding the image, when the image service put it there (the QEMU driver's base image). */
  readonly localPath?: string;
}

/** Cinder-style connection info of an attached volume. The stand-in volume service produces `file` volumes. */
export interface ConnectionInfo {
  readonly driver_volume_type: string;
  readonly data: Readonly<{ path?: string; volume_id?: string; [key: string]: unknown }>;
  /** The volume id. */
  readonly serial?: string;
}

/** A volume as the driver sees it in block_device_info (Nova's DriverVolumeBlockDevice). */
export interface DriverVolume {
  readonly connectionInfo: ConnectionInfo;
  readonly mountDevice: string;
  readonly diskBus?: string | null;
  readonly deviceType?: string | null;
  readonly bootIndex?: number | null;
  readonly deleteOnTermination: boolean;
}

/** Nova's block_device_info: everything but the root disk. */
export interface BlockDeviceInfo {
  readonly rootDeviceName: string | null;
  readonly swap: Readonly<{ deviceName: string; swapSizeMb: number }> | null;
  readonly ephemerals: ReadonlyArray<Readonly<{ deviceName: string; sizeGb: number; guestFormat?: string | null }>>;
  readonly volumes: readonly DriverVolume[];
}

export const EMPTY_BLOCK_DEVICE_INFO: BlockDeviceInfo = Object.freeze({ rootDeviceName: null, swap: null, ephemerals: [], volumes: [] });

/** What get_info reports. Memory in KiB, CPU time in nanoseconds, as Nova's InstanceInfo. */
export interface InstanceInfo {
  readonly state: PowerState;
  readonly maxMemKb: number;
  readonly memKb: number;
  readonly numCpu: number;
  readonly cpuTimeNs: number;
  /** Hypervisor-side id (a pid, a domain id), when there is one. */
  readonly id?: string;
}

export interface CpuDiagnostics {
  readonly time: number;
}
export interface NicDiagnostics {
  readonly macAddress: string | null;
  readonly rxOctets: number;
  readonly rxPackets: number;
  readonly txOctets: number;
  readonly txPackets: number;
}
export interface DiskDiagnostics {
  /** The guest device name without `/dev/` (`vdb`, `sdb`), as the disk was attached. */
  readonly id: string;
  readonly readBytes: number;
  readonly readRequests: number;
  readonly writeBytes: number;
  readonly writeRequests: number;
  readonly errorsCount: number;
}

/** Nova's typed Diagnostics (get_instance_diagnostics). */
export interface Diagnostics {
  readonly state: string;
  readonly driver: string;
  readonly hypervisorOs: string | null;
  readonly uptimeSeconds: number;
  readonly configDrive: boolean;
  readonly cpuDetails: readonly CpuDiagnostics[];
  readonly nicDetails: readonly NicDiagnostics[];
  readonly diskDetails: readonly DiskDiagnostics[];
  readonly memoryDetails: Readonly<{ maximumMb: number; usedMb: number }>;
  readonly version: '1.0';
}

/** What a host needs to attach a volume (Nova's volume connector). */
export interface VolumeConnector {
  readonly ip: string;
  readonly initiator: string;
  readonly host: string;
  readonly [key: string]: unknown;
}

/** Host resources for the ComputeNode report (get_available_resource). */
export interface HostResources {
  readonly vcpus: number;
  readonly memory_mb: number;
  readonly local_gb: number;
  readonly vcpus_used: number;
  readonly memory_mb_used: number;
  readonly local_gb_used: number;
  readonly hypervisor_type: string;
  readonly hypervisor_version: number;
  readonly hypervisor_hostname: string;
  /** JSON text describing the CPU (arch, model, features), compared by live-migration checks. */
  readonly cpu_info: string;
  readonly disk_available_least: number | null;
  /** `[architecture, hypervisor type, vm mode]` triples. */
  readonly supported_instances: ReadonlyArray<readonly [string, string, string]>;
}

/** The plain compute-node columns live-migration checks compare (Nova passes them as dicts). */
export type ComputeInfo = Readonly<Record<string, unknown>> & {
  readonly hypervisor_hostname?: string | null;
  readonly cpu_info?: string;
  readonly free_ram_mb?: number;
  readonly disk_available_least?: number | null;
};

/** Free-form, driver-specific live-migration data; the keys below have shared meaning. */
export interface MigrateData {
  readonly is_volume_backed?: boolean;
  readonly is_shared_instance_path?: boolean;
  readonly is_shared_block_storage?: boolean;
  readonly block_migration?: boolean;
  readonly disk_over_commit?: boolean;
  /** Where the destination listens for the migration stream (set by pre_live_migration). */
  readonly migration_uri?: string;
  readonly pre_live_migration_result?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

export interface MigrationProgress {
  readonly transferredBytes: number;
  readonly remainingBytes: number;
  readonly totalBytes: number;
}

/** Data one host leaves for a peer to decide whether they share instance storage. */
export type SharedStorageProbe = Readonly<Record<string, unknown>>;

export interface DhcpOption {
  readonly opt_name: string;
  readonly opt_value: string;
}

export type LifecycleTransition = 'started' | 'stopped' | 'paused' | 'resumed' | 'suspended';

/** A hypervisor-side change of an instance's power state, delivered to the manager's listener. */
export interface LifecycleEvent {
  readonly instanceUuid: string;
  readonly transition: LifecycleTransition;
  readonly timestamp: Date;
}

export type RebootType = 'SOFT' | 'HARD';

/** BDMs lacking a device name, by kind, for default_device_names_for_instance. */
export interface BlockDeviceLists {
  readonly ephemerals: readonly BlockDeviceMapping[];
  readonly swap: readonly BlockDeviceMapping[];
  readonly volumes: readonly BlockDeviceMapping[];
}

export type { NetworkInfo };
