/**
 * This hypervisor host (libvirt's host.py role): the state path, the tools and defaults, and the
 * guests under it. The driver builds one QemuHost and asks it for Guests; a new QemuHost over
 * the same state path (a restarted compute) finds the running guests again with `reattach`.
 */
import { hostname } from 'node:os';
import { mkdirSync } from 'node:fs';
import { parseGuestConfig, type GuestConfigInput } from '../config/guest-config.js';
import { GuestAlreadyExists, GuestNotFound } from '../errors.js';
import { DEFAULT_TIMEOUTS, type GuestContext, type GuestTimeouts, type QmpConnect } from '../guest/context.js';
import { Guest } from '../guest/guest.js';
import type { GuestState } from '../guest/guest-state.js';
import { InstanceDir, listInstanceUuids, type InstanceRecord } from '../guest/instance-dir.js';
import { detachedLauncher, type QemuLauncher } from '../guest/launcher.js';
import { QmpClient } from '../qmp/client.js';
import { QemuImg, type ImageTool } from './images.js';
import { procfsProcesses, type HostProcesses } from './processes.js';
import { readHostResources, type HostResources } from './resources.js';
import { resolveAccel, type Accel } from './tools.js';

export interface QemuHostOptions {
  /** Where instance directories live (Nova's instances_path). Created if missing. */
  statePath: string;
  /** This compute's host name (Nova's CONF.host); owner of the instances it creates. */
  hostName?: string;
  qemuBinary?: string;
  accel?: Accel | 'auto';
  machine?: string;
  timeouts?: Partial<GuestTimeouts>;
  /** Seams for tests (./testing has fakes for each). */
  launcher?: QemuLauncher;
  processes?: HostProcesses;
  images?: ImageTool;
  connectQmp?: QmpConnect;
}

/** What the caller decides about a new instance; the host fills in paths, accel and machine. */
export type NewGuestConfig = Omit<GuestConfigInput, 'rootDisk' | 'accel' | 'machine'>;

export interface RootDiskSpec {
  /** qcow2 overlay on this image (left untouched). */
  baseImage?: { path: string; format?: string };
  /** Virtual size; required without a base image, may grow one. */
  sizeBytes?: number;
}

export interface ReattachedGuest {
  guest: Guest;
  state: GuestState;
}

export class QemuHost {
  readonly statePath: string;
  readonly hostName: string;
  readonly accel: Accel;
  readonly machine: string;
  readonly images: ImageTool;
  readonly context: GuestContext;
  private readonly guests = new Map<string, Guest>();

  constructor(options: QemuHostOptions) {
    this.statePath = options.statePath;
    this.hostName = options.hostName ?? hostname();
    this.accel = resolveAccel(options.accel);
    this.machine = options.machine ?? 'q35';
    this.images = options.images ?? new QemuImg();
    this.context = {
      hostName: this.hostName,
      qemuBinary: options.qemuBinary ?? 'qemu-system-x86_64',
      launcher: options.launcher ?? detachedLauncher,
      processes: options.processes ?? procfsProcesses,
      connectQmp: options.connectQmp ?? ((path, o) => QmpClient.connectUnix(path, o)),
      timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    };
    mkdirSync(this.statePath, { recursive: true });
  }

  instanceDir(uuid: string): InstanceDir {
    return new InstanceDir(this.statePath, uuid, this.hostName);
  }

  /** Create the directory, root disk and record of a new instance (not started). */
  async createGuest(config: NewGuestConfig, rootDisk: RootDiskSpec): Promise<Guest> {
    const dir = this.instanceDir(config.uuid);
    if (dir.exists()) throw new GuestAlreadyExists({ uuid: config.uuid });
    const full = parseGuestConfig({ ...config, accel: this.accel, machine: this.machine, rootDisk: { path: dir.disk, format: 'qcow2' } });
    await dir.create();
    try {
      await this.images.createQcow2(dir.disk, { sizeBytes: rootDisk.sizeBytes, backing: rootDisk.baseImage });
      return await this.register(dir, {
        format: 1,
        host: this.hostName,
        config: full,
        powerState: 'shutoff',
        baseImage: rootDisk.baseImage?.path ?? null,
        createdAt: new Date().toISOString(),
      });
    } catch (err) {
      await dir.removeAll();
      throw err;
    }
  }

  /** Write a record and hand back its Guest (used for new instances and migration targets). */
  async register(dir: InstanceDir, record: InstanceRecord): Promise<Guest> {
    await dir.create();
    await dir.writeRecord(record);
    return this.track(new Guest(dir, record, this.context));
  }

  /**
   * Keep `guest` as this host's object for its uuid. QEMU serves one QMP client at a time, so
   * there must be one Guest (one connection) per running QEMU.
   */
  track(guest: Guest): Guest {
    this.guests.set(guest.uuid, guest);
    return guest;
  }

  /** The Guest of an instance this host owns (or runs as a migration target); GuestNotFound otherwise. */
  async guest(uuid: string): Promise<Guest> {
    const known = this.guests.get(uuid);
    const dir = this.instanceDir(uuid);
    const record = await dir.readRecord();
    // A cached guest stays ours while we own its record or run its QEMU (migration target).
    if (known && record && (record.host === this.hostName || known.isRunning())) return known;
    if (known) this.forget(uuid); // cleaned up, migrated away or rolled back since
    if (!record || record.host !== this.hostName) throw new GuestNotFound({ uuid });
    return this.track(new Guest(dir, record, this.context));
  }

  /** Forget a guest object (after cleanup or once it migrated away). */
  forget(uuid: string): void {
    this.guests.get(uuid)?.detach();
    this.guests.delete(uuid);
  }

  /** Records of every instance this host owns, running or not (list_instances). */
  async listRecords(): Promise<InstanceRecord[]> {
    const records: InstanceRecord[] = [];
    for (const uuid of listInstanceUuids(this.statePath)) {
      const record = await this.instanceDir(uuid).readRecord();
      if (record && record.host === this.hostName) records.push(record);
    }
    return records;
  }

  /**
   * After a restart: every owned instance with its state, reconnecting QMP to those whose QEMU
   * still runs (pid alive with our socket on its command line, and the socket answering).
   */
  async reattach(): Promise<ReattachedGuest[]> {
    const found: ReattachedGuest[] = [];
    for (const record of await this.listRecords()) {
      const guest = await this.guest(record.config.uuid);
      // A wedged monitor must not hide the other guests: report it without a power state.
      const state = await guest.state().catch(() => ({ power: 'nostate' as const, pid: guest.runningPid() }));
      found.push({ guest, state });
    }
    return found;
  }

  /** Host capacity plus what the owned instances take (get_available_resource). */
  async resources(): Promise<HostResources & { vcpusUsed: number; memoryMbUsed: number; diskGbUsed: number }> {
    const host = await readHostResources(this.statePath);
    let vcpusUsed = 0;
    let memoryMbUsed = 0;
    let diskBytes = 0;
    for (const record of await this.listRecords()) {
      vcpusUsed += record.config.vcpus;
      memoryMbUsed += record.config.memoryMb;
      diskBytes += await this.images.info(record.config.rootDisk.path).then((i) => i.virtualSizeBytes, () => 0);
    }
    return { ...host, vcpusUsed, memoryMbUsed, diskGbUsed: Math.ceil(diskBytes / 2 ** 30) };
  }

  /** Drop every QMP connection; QEMU processes keep running (manager shutdown). */
  detachAll(): void {
    for (const g of this.guests.values()) g.detach();
    this.guests.clear();
  }
}
