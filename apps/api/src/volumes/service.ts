// The stand-in for block storage: a volume is a sparse file of N GB under the data directory,
// handed to computes as `{driver_volume_type: 'file', data: {path}}`. Whether a volume is in
// use is not stored but read from the block device mappings (through the conductor), so a
// server deleted or an attach failed on its compute frees the volume without telling us.
import { randomUUID } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BlockDeviceMapping, BlockDeviceMappingList, VolumeBDMNotFound, type RequestContext } from '@novakit/objects';
import { VolumeNotFound } from '@novakit/virt-driver';
import { InvalidInput, VolumeInUse } from '../errors.js';
import { VolumeStore, type VolumeRecord } from './store.js';

const GIB = 1024 ** 3;

export interface VolumeAttachment {
  readonly server_id: string;
  readonly device: string | null;
}

export interface Volume extends VolumeRecord {
  /** The stored status, or `in-use` while a server maps the volume. */
  readonly effective_status: string;
  readonly attachment: VolumeAttachment | null;
}

export interface FileConnectionInfo {
  readonly driver_volume_type: 'file';
  readonly data: { readonly path: string; readonly volume_id: string };
  readonly serial: string;
}

export interface VolumeCreate {
  readonly size: number;
  readonly display_name?: string | null | undefined;
  readonly display_description?: string | null | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/** The record when it belongs to the caller's project; VolumeNotFound otherwise (another project's volume is not shown to exist). */
function ownRecord(ctx: RequestContext, id: string, v: VolumeRecord | null | undefined): VolumeRecord {
  if (!v || v.project_id !== ctx.project_id) throw new VolumeNotFound({ volume_id: id });
  return v;
}

function withMapping(v: VolumeRecord, bdm: BlockDeviceMapping | null): Volume {
  if (!bdm) return { ...v, effective_status: v.status, attachment: null };
  return { ...v, effective_status: 'in-use', attachment: { server_id: bdm.instance_uuid, device: bdm.device_name } };
}

export class VolumeService {
  readonly store: VolumeStore;

  constructor(
    readonly dir: string,
    private readonly maxSizeGb: number,
  ) {
    this.store = new VolumeStore(dir);
  }

  connectionInfo(v: VolumeRecord): FileConnectionInfo {
    return { driver_volume_type: 'file', data: { path: v.path, volume_id: v.id }, serial: v.id };
  }

  async create(ctx: RequestContext, req: VolumeCreate): Promise<Volume> {
    if (req.size > this.maxSizeGb) throw new InvalidInput({ field: 'volume.size', problem: `at most ${this.maxSizeGb} GB` });
    const id = randomUUID();
    const record: VolumeRecord = {
      id,
      project_id: ctx.project_id!,
      user_id: ctx.user_id,
      display_name: req.display_name ?? null,
      display_description: req.display_description ?? null,
      size: req.size,
      status: 'creating',
      path: join(this.dir, `volume-${id}.img`),
      metadata: { ...(req.metadata ?? {}) },
      created_at: new Date().toISOString(),
      reserved_for: null,
    };
    await this.store.update((vols) => void (vols[id] = record));
    let status: VolumeRecord['status'] = 'available';
    try {
      // Sparse: the size is a length, no blocks are written.
      const handle = await open(record.path, 'wx', 0o600);
      await handle.truncate(req.size * GIB);
      await handle.close();
    } catch {
      status = 'error';
    }
    await this.store.update((vols) => void (vols[id] = { ...vols[id]!, status }));
    return { ...record, status, effective_status: status, attachment: null };
  }

  private async withAttachment(ctx: RequestContext, v: VolumeRecord): Promise<Volume> {
    try {
      return withMapping(v, await BlockDeviceMapping.getByVolumeId(ctx, v.id));
    } catch (e) {
      if (!(e instanceof VolumeBDMNotFound)) throw e;
      return withMapping(v, null);
    }
  }

  /** The project's volumes; their mappings are read with one conductor call (per volume from a release-1 conductor). */
  async list(ctx: RequestContext): Promise<Volume[]> {
    const own = (await this.store.list()).filter((v) => v.project_id === ctx.project_id);
    const mappings = await BlockDeviceMappingList.bdmByVolumeId(ctx, own.map((v) => v.id));
    return own.map((v) => withMapping(v, mappings.get(v.id) ?? null));
  }

  /** The project's volume; VolumeNotFound for any other id. */
  async get(ctx: RequestContext, id: string): Promise<Volume> {
    return this.withAttachment(ctx, ownRecord(ctx, id, await this.store.get(id)));
  }

  /** Nova's reserve_volume: an available, unmapped volume becomes `attaching` for the server. */
  async reserve(ctx: RequestContext, id: string, serverId: string): Promise<Volume> {
    // The mapping is checked under the lock: an attach that finished meanwhile created its
    // mapping before it released its reservation (which also takes the lock).
    return this.store.update(async (vols) => {
      const cur = ownRecord(ctx, id, vols[id]);
      if (cur.status !== 'available') throw new VolumeInUse({ volume_id: id, status: cur.status, operation: 'attach' });
      if ((await this.withAttachment(ctx, cur)).attachment) throw new VolumeInUse({ volume_id: id, status: 'in-use', operation: 'attach' });
      vols[id] = { ...cur, status: 'attaching', reserved_for: serverId };
      return { ...vols[id], effective_status: 'attaching', attachment: null };
    });
  }

  /** Ends a reservation: the mapping (if the attach got that far) now says whether it is in use. */
  async unreserve(id: string): Promise<void> {
    await this.store.update((vols) => {
      const cur = vols[id];
      if (cur && cur.status === 'attaching') vols[id] = { ...cur, status: 'available', reserved_for: null };
    });
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    const record = await this.store.update(async (vols) => {
      const cur = ownRecord(ctx, id, vols[id]);
      if (cur.status !== 'available' && cur.status !== 'error') throw new VolumeInUse({ volume_id: id, status: cur.status, operation: 'delete' });
      if ((await this.withAttachment(ctx, cur)).attachment) throw new VolumeInUse({ volume_id: id, status: 'in-use', operation: 'delete' });
      return (vols[id] = { ...cur, status: 'deleting' });
    });
    await rm(record.path, { force: true });
    await this.store.update((vols) => void delete vols[id]);
  }
}
