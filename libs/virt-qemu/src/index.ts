/**
 * @novakit/virt-qemu: the QEMU driver (`QemuDriver`, `createQemuDriver`) and the building blocks
 * it orchestrates, which know nothing of the driver contract.
 *
 * - `driver/`: the ComputeDriver over the blocks below; its options come from the compute's
 *   configuration (`qemuOptionsFromConfig`).
 * - `qmp/`: a typed QMP client over a Unix socket (zod-validated replies, events, timeouts;
 *   every failure is a typed error from `errors.ts`).
 * - `config/`: a guest as plain validated data (`GuestConfig`) and its QEMU argv. Every disk is
 *   a scsi-hd LUN on one virtio-scsi controller (/dev/sda root, /dev/sdb.. volumes), because
 *   SCSI hot-unplug completes without a guest OS; NICs use user-mode networking.
 * - `host/`: `QemuHost` owns a state path; `createGuest`, `guest(uuid)`, `listRecords`,
 *   `reattach` (after a compute restart), `resources`; plus qemu-img, /proc and tool probes.
 * - `guest/`: `Guest` = one instance directory + record + (while it runs) a detached QEMU
 *   process and its QMP connection: start, pause/unpause, reboot soft/hard, powerOff/powerOn,
 *   suspend/resume (to a state file), terminate, cleanup; diagnostics; console tail.
 * - `volume/`: file-volume hot-plug and unplug, live swap, connection_info parsing, the host's connector.
 * - `migration/`: destination (createMigrationTarget, prepareIncoming, finishIncoming,
 *   abortIncoming), source (migrateLive, with an NBD block mirror when storage is not shared),
 *   and the shared-storage probe.
 * - `firewall/`: security group rules rendered into one nftables table per instance; applied
 *   with `nft` only when managed. With user-mode networking guest traffic does not cross the
 *   host's netfilter, so there is nothing for the rules to filter in that mode.
 *
 * @example
 * const driver = loadComputeDriver('qemu', { qemu: createQemuDriver }, {
 *   host: 'compute-1', virtapi, config: { state_path: '/var/lib/novakit/instances', manage_firewall: true },
 * });
 * await driver.initHost('compute-1'); // finds guests that kept running across a restart
 *
 * // the blocks alone:
 * const host = new QemuHost({ statePath: '/var/lib/novakit/instances', hostName: 'compute-1' });
 * const guest = await host.createGuest(
 *   { uuid, name: 'instance-00000001', memoryMb: 64, vcpus: 1, nics: [{ mac: '52:54:00:00:00:01' }] },
 *   { sizeBytes: 1 << 30 },
 * );
 * await guest.start();
 * const device = await attachVolume(guest, { path: '/srv/volumes/v1.raw' }, host.images); // '/dev/sdb'
 * // after a restart: const guests = await new QemuHost({ ...same }).reattach();
 */

// driver
export { QemuDriver } from './driver/qemu-driver.js';
export { createQemuDriver } from './driver/factory.js';
export { qemuOptionsFromConfig, type QemuDriverOptions } from './driver/options.js';

// errors
export {
  DeviceBusy,
  DeviceNameInvalid,
  GuestAlreadyExists,
  GuestNotFound,
  GuestSpawnFailed,
  GuestStateConflict,
  HostCommandFailed,
  HostToolUnavailable,
  InvalidConnectionInfo,
  InvalidGuestConfig,
  InvalidSecurityGroupRule,
  InvalidStatePath,
  isVirtQemuError,
  MigrationFailed,
  QemuDriverConfigInvalid,
  QmpCommandFailed,
  QmpConnectFailed,
  QmpConnectionClosed,
  QmpProtocolError,
  QmpReplyInvalid,
  QmpTimeout,
  VirtQemuError,
  VolumeDriverNotSupported,
  VolumeNotAttached,
  type ErrorCategory,
} from './errors.js';

// qmp
export { QmpClient, type ExecuteOptions, type QmpClientOptions, type WaitForEventOptions } from './qmp/client.js';
export { connectUnixSocket, MAX_UNIX_SOCKET_PATH, type QmpSocket } from './qmp/socket.js';
export type { QmpEvent, QmpGreeting } from './qmp/wire.js';
export type {
  BlockInfo,
  BlockJobInfo,
  BlockStats,
  CpuInfoFast,
  MigrationInfo,
  MigrationStatus,
  QmpCommandArgs,
  QmpCommandName,
  QmpReturn,
  StatusInfo,
} from './qmp/commands.js';

// config
export { buildQemuArgv, type ArgvOptions, type RuntimePaths } from './config/argv.js';
export {
  GuestConfigSchema,
  parseGuestConfig,
  type GuestConfig,
  type GuestConfigInput,
  type NicConfig,
  type VolumeConfig,
} from './config/guest-config.js';
export {
  deviceNameForLun,
  lunForDeviceName,
  MAX_LUN,
  nextFreeDeviceName,
  ROOT_DEVICE_NAME,
} from './config/device-names.js';

// host
export { QemuHost, type NewGuestConfig, type QemuHostOptions, type ReattachedGuest, type RootDiskSpec } from './host/host.js';
export { QemuImg, type CreateImageOptions, type ImageInfo, type ImageTool } from './host/images.js';
export { procfsProcesses, waitForExit, type HostProcesses, type ProcessStat } from './host/processes.js';
export { readHostResources, type HostResources } from './host/resources.js';
export { kvmUsable, probeQemu, resolveAccel, type Accel, type QemuProbe } from './host/tools.js';

// guest
export { Guest, type RebootKind } from './guest/guest.js';
export { DEFAULT_TIMEOUTS, type GuestContext, type GuestTimeouts, type QmpConnect } from './guest/context.js';
export { powerStateFromQemu, type GuestState, type PowerState } from './guest/guest-state.js';
export { hostTag, InstanceDir, type InstanceRecord, type IntendedPowerState } from './guest/instance-dir.js';
export { detachedLauncher, type LaunchedProcess, type LaunchSpec, type QemuLauncher } from './guest/launcher.js';
export { collectDiagnostics, type DiskDiagnostics, type GuestDiagnostics } from './guest/diagnostics.js';
export { MAX_CONSOLE_BYTES, readConsoleTail } from './guest/console.js';

// volumes
export { attachedVolumes, attachVolume, detachVolume, swapVolume, type AttachedVolume } from './volume/hotplug.js';
export { fileVolumeFromConnectionInfo, type FileVolume } from './volume/connection-info.js';
export { primaryAddress, volumeConnector, type VolumeConnector } from './volume/connector.js';

// migration
export {
  abortIncoming,
  createMigrationTarget,
  finishIncoming,
  prepareIncoming,
  type IncomingEndpoint,
  type MigrationTarget,
} from './migration/destination.js';
export {
  describeForMigration,
  migrateLive,
  type LiveMigrationOptions,
  type LiveMigrationResult,
  type MigrationSourceInfo,
} from './migration/source.js';
export { pollMigration, type MigrationProgress, type PollMigrationOptions } from './migration/progress.js';
export { findFreePort, type PortRange } from './migration/ports.js';
export { checkSharedStorageProbe, createSharedStorageProbe, removeSharedStorageProbe } from './migration/shared-storage.js';

// firewall
export { NftFirewall, nftUsable, type ApplyOutcome, type NftFirewallOptions } from './firewall/nft.js';
export {
  renderInstanceRuleset,
  renderRemoveTable,
  renderRule,
  tableName,
  type InstanceFirewall,
  type SecurityGroupRule,
} from './firewall/render.js';
