/**
 * The QEMU driver's options: the code-level form (with seams for tests) and the `options` object of
 * a compute's configuration file (`driver: { name: 'qemu', options: {...} }`), snake_case and
 * strict, as the fake driver's.
 */
import { z } from 'zod';
import type { VirtAPI } from '@novakit/virt-driver';
import { QemuDriverConfigInvalid } from '../errors.js';
import type { GuestTimeouts, QmpConnect } from '../guest/context.js';
import type { QemuLauncher } from '../guest/launcher.js';
import type { ImageTool } from '../host/images.js';
import type { HostProcesses } from '../host/processes.js';
import type { Accel, QemuProbe } from '../host/tools.js';
import type { PortRange } from '../migration/ports.js';

export interface QemuDriverOptions {
  readonly host: string;
  readonly virtapi: VirtAPI;
  /** Instance directories (Nova's instances_path). */
  readonly statePath: string;
  readonly accel?: Accel | 'auto';
  readonly machine?: string;
  readonly qemuBinary?: string;
  readonly qemuImgBinary?: string;
  /** Base images by image id (`<imagesPath>/<id>`), for images the image service did not place. */
  readonly imagesPath?: string;
  /** The address of getHostIpAddr and volume connectors; default the first non-internal IPv4. */
  readonly hostIp?: string;
  readonly nodename?: string;
  /** Apply security group rules with nft; the firewall capability also needs a usable nft. */
  readonly manageFirewall?: boolean;
  readonly nftBinary?: string;
  /** How long a SOFT reboot waits for the guest to shut down before resetting it. */
  readonly softRebootTimeoutS?: number;
  /** The clean-shutdown wait of a power-off whose caller gave none (Nova's shutdown_timeout). */
  readonly cleanShutdownTimeoutS?: number;
  readonly migration?: {
    /** Where a destination listens for the migration and NBD streams; default hostIp. */
    readonly bindAddress?: string;
    readonly portRange?: PortRange;
    /** MiB/s; default 10 GiB/s (QEMU's own default, 128 MiB/s, is far below LAN speed). */
    readonly maxBandwidthMib?: number;
    readonly timeoutS?: number;
  };
  readonly timeouts?: Partial<GuestTimeouts>;
  /** Seams for tests (./testing has fakes for each). */
  readonly launcher?: QemuLauncher;
  readonly processes?: HostProcesses;
  readonly images?: ImageTool;
  readonly connectQmp?: QmpConnect;
  readonly probe?: () => Promise<QemuProbe>;
}

const seconds = z.number().nonnegative();
const port = z.number().int().min(1).max(65535);

const ConfigSchema = z.strictObject({
  state_path: z.string().min(1).default('/var/lib/novakit/instances'),
  accel: z.enum(['auto', 'kvm', 'tcg']).default('auto'),
  machine: z.string().min(1).default('q35'),
  qemu_binary: z.string().min(1).optional(),
  qemu_img_binary: z.string().min(1).optional(),
  images_path: z.string().min(1).optional(),
  host_ip: z.ipv4().optional(),
  nodename: z.string().min(1).optional(),
  manage_firewall: z.boolean().default(false),
  nft_binary: z.string().min(1).optional(),
  soft_reboot_timeout_s: seconds.default(120),
  clean_shutdown_timeout_s: seconds.default(60),
  migration_bind_address: z.ipv4().optional(),
  migration_port_min: port.optional(),
  migration_port_max: port.optional(),
  migration_max_bandwidth_mib: z.number().positive().optional(),
  migration_timeout_s: z.number().positive().default(600),
  volume_detach_timeout_s: z.number().positive().default(10),
});

/** The driver options a configuration's `options` object describes. Unknown keys are refused. */
export function qemuOptionsFromConfig(config: Readonly<Record<string, unknown>>): Omit<QemuDriverOptions, 'host' | 'virtapi'> {
  const parsed = ConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || '(options)';
    throw new QemuDriverConfigInvalid({ key, reason: issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message });
  }
  const c = parsed.data;
  if ((c.migration_port_min === undefined) !== (c.migration_port_max === undefined) || (c.migration_port_min ?? 0) > (c.migration_port_max ?? 0)) {
    throw new QemuDriverConfigInvalid({ key: 'migration_port_min, migration_port_max', reason: 'both or neither, min not above max' });
  }
  return {
    statePath: c.state_path,
    accel: c.accel,
    machine: c.machine,
    qemuBinary: c.qemu_binary,
    qemuImgBinary: c.qemu_img_binary,
    imagesPath: c.images_path,
    hostIp: c.host_ip,
    nodename: c.nodename,
    manageFirewall: c.manage_firewall,
    nftBinary: c.nft_binary,
    softRebootTimeoutS: c.soft_reboot_timeout_s,
    cleanShutdownTimeoutS: c.clean_shutdown_timeout_s,
    migration: {
      bindAddress: c.migration_bind_address,
      portRange: c.migration_port_min !== undefined ? { min: c.migration_port_min, max: c.migration_port_max! } : undefined,
      maxBandwidthMib: c.migration_max_bandwidth_mib,
      timeoutS: c.migration_timeout_s,
    },
    timeouts: { unplugMs: c.volume_detach_timeout_s * 1000 },
  };
}
