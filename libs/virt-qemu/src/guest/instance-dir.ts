/**
 * The per-instance directory under the state path, and the small JSON record in it.
 *
 *   <statePath>/<uuid>/disk             root disk (qcow2)
 *   <statePath>/<uuid>/console.log      serial console (appended across boots)
 *   <statePath>/<uuid>/instance.json    InstanceRecord: config + owner host + intended power state
 *   <statePath>/<uuid>/suspend.state    saved machine state while suspended
 *   <statePath>/<uuid>/<host>.qmp       QMP socket   } runtime files carry the host's tag: on shared
 *   <statePath>/<uuid>/<host>.pid       QEMU pidfile } storage the source and the destination of a
 *   <statePath>/<uuid>/<host>.qemu.log  QEMU stderr  } live migration both run QEMU in one directory
 *
 * The record is what a restarted compute needs to find its guests again: the owner host says
 * whose instance it is, the pidfile and socket say whether QEMU still runs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import type { RuntimePaths } from '../config/argv.js';
import { GuestConfigSchema } from '../config/guest-config.js';
import { InvalidStatePath } from '../errors.js';
import { MAX_UNIX_SOCKET_PATH } from '../qmp/socket.js';

export const IntendedPowerStateSchema = z.enum(['running', 'paused', 'shutoff', 'suspended']);
export type IntendedPowerState = z.infer<typeof IntendedPowerStateSchema>;

export const InstanceRecordSchema = z.object({
  format: z.literal(1),
  /** The host that runs this instance; only it lists and reattaches it. */
  host: z.string(),
  config: GuestConfigSchema,
  /** What the driver last made of it; a dead QEMU with 'running' here has crashed. */
  powerState: IntendedPowerStateSchema,
  /** Base image of the root disk overlay, if any (a block-migration target needs the same). */
  baseImage: z.string().nullable(),
  createdAt: z.string(),
});
export type InstanceRecord = z.infer<typeof InstanceRecordSchema>;

/** File-name-safe, short form of a host name (sockets must stay under 108 bytes). */
export function hostTag(hostName: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9_.-]{0,23}$/.test(hostName)) return hostName;
  return `h-${createHash('sha256').update(hostName).digest('hex').slice(0, 12)}`;
}

export class InstanceDir {
  readonly path: string;
  readonly disk: string;
  readonly consoleLog: string;
  readonly recordFile: string;
  readonly savedState: string;
  readonly qmpSocket: string;
  readonly pidFile: string;
  readonly qemuLog: string;

  constructor(
    readonly statePath: string,
    readonly uuid: string,
    readonly hostName: string,
  ) {
    const tag = hostTag(hostName);
    this.path = join(statePath, uuid);
    this.disk = join(this.path, 'disk');
    this.consoleLog = join(this.path, 'console.log');
    this.recordFile = join(this.path, 'instance.json');
    this.savedState = join(this.path, 'suspend.state');
    this.qmpSocket = join(this.path, `${tag}.qmp`);
    this.pidFile = join(this.path, `${tag}.pid`);
    this.qemuLog = join(this.path, `${tag}.qemu.log`);
    if (Buffer.byteLength(this.qmpSocket) > MAX_UNIX_SOCKET_PATH) {
      throw new InvalidStatePath({ path: statePath, reason: `QMP socket path ${this.qmpSocket} exceeds ${MAX_UNIX_SOCKET_PATH} bytes` });
    }
  }

  get runtimePaths(): RuntimePaths {
    return { qmpSocket: this.qmpSocket, pidFile: this.pidFile, serialLog: this.consoleLog };
  }

  exists(): boolean {
    return existsSync(this.recordFile);
  }

  async create(): Promise<void> {
    await mkdir(this.path, { recursive: true, mode: 0o700 });
  }

  async readRecord(): Promise<InstanceRecord | undefined> {
    let text: string;
    try {
      text = await readFile(this.recordFile, 'utf8');
    } catch {
      return undefined;
    }
    const parsed = InstanceRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  }

  /** Atomic replace, so a crash mid-write never leaves a torn record. */
  async writeRecord(record: InstanceRecord): Promise<void> {
    const tmp = `${this.recordFile}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
    await rename(tmp, this.recordFile);
  }

  /** The pid QEMU wrote, if the file is there and sane. */
  readPid(): number | undefined {
    try {
      const pid = Number(readFileSync(this.pidFile, 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /** This host's socket, pidfile and QEMU log. */
  async removeRuntimeFiles(): Promise<void> {
    await Promise.all([this.qmpSocket, this.pidFile, this.qemuLog].map((f) => rm(f, { force: true })));
  }

  async removeAll(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}

/** Uuids of every instance directory under the state path (whatever host owns it). */
export function listInstanceUuids(statePath: string): string[] {
  let names: string[];
  try {
    names = readdirSync(statePath);
  } catch {
    return [];
  }
  return names.filter((n) => existsSync(join(statePath, n, 'instance.json'))).sort();
}
