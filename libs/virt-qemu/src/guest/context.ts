/** What a Guest needs from its host: tools, the process table and timeouts (all injectable). */
import type { HostProcesses } from '../host/processes.js';
import type { QmpClient, QmpClientOptions } from '../qmp/client.js';
import type { QemuLauncher } from './launcher.js';

export interface GuestTimeouts {
  /** From spawn until the QMP socket answers. */
  spawnMs: number;
  /** Default deadline of one QMP command. */
  commandMs: number;
  /**
   * How long a new QMP connection waits for the greeting. QEMU greets at once, unless another
   * client holds its one monitor: then nothing comes until that client leaves.
   */
  connectMs: number;
  /** How long a clean power-off or soft reboot waits for the guest OS to react to ACPI. */
  cleanShutdownMs: number;
  /** How long `quit`, then SIGTERM, then SIGKILL each get before the next. */
  terminateMs: number;
  /** How long a volume detach waits for DEVICE_DELETED. */
  unplugMs: number;
}

export const DEFAULT_TIMEOUTS: GuestTimeouts = {
  spawnMs: 15_000,
  commandMs: 30_000,
  connectMs: 5_000,
  cleanShutdownMs: 10_000,
  terminateMs: 3_000,
  unplugMs: 10_000,
};

export type QmpConnect = (socketPath: string, options: QmpClientOptions) => Promise<QmpClient>;

export interface GuestContext {
  hostName: string;
  qemuBinary: string;
  launcher: QemuLauncher;
  processes: HostProcesses;
  connectQmp: QmpConnect;
  timeouts: GuestTimeouts;
}
