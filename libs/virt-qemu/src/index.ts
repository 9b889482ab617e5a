/**
 * @novakit/virt-qemu: the QEMU driver's building blocks, controlled over QMP.
 */
export * from './errors.js';
export { QmpClient, type QmpClientOptions, type ExecuteOptions, type WaitForEventOptions } from './qmp/client.js';
export { connectUnixSocket, MAX_UNIX_SOCKET_PATH, type QmpSocket } from './qmp/socket.js';
export type { QmpEvent, QmpGreeting } from './qmp/wire.js';
export type {
  BlockInfo, BlockJobInfo, BlockStats, CpuInfoFast, MigrationInfo, MigrationStatus, QmpCommandArgs, QmpCommandName, QmpReturn, StatusInfo,
} from './qmp/commands.js';
