// Block device mappings (new-style BDM fields; Havana's legacy format is not accepted).
import type { DbContext } from '../context.js';
import { BDMNotFound, VolumeBDMNotFound } from '../errors.js';
import { PERSISTENT_COLUMNS, fromDb, tableModel, toDb, type PersistentFields } from '../model/columns.js';
import { inChunks, inTransaction, insertRow, lockInstanceRow, nowText, whereVisible, type Conn, type Row } from '../model/conn.js';
import { withJoins } from './instance-joins.js';
import type { InstanceJoin, InstanceRow } from './instance-model.js';

export interface BlockDeviceMappingColumns extends PersistentFields {
  id: number;
  instance_uuid: string;
  source_type: string | null;
  destination_type: string | null;
  guest_format: string | null;
  device_type: string | null;
  disk_bus: string | null;
  device_name: string | null;
  delete_on_termination: boolean;
  snapshot_id: string | null;
  volume_id: string | null;
  volume_size: number | null;
  image_id: string | null;
  no_device: boolean;
  /** JSON text, as BlockDeviceMapping's String field holds it. */
  connection_info: string | null;
  boot_index: number | null;
}

/** A BDM row; `instance` is present when asked for (`columnsToJoin: ['instance']`). */
export interface BlockDeviceMappingRow extends BlockDeviceMappingColumns {
  instance?: InstanceRow;
}

export type BlockDeviceMappingValues = Partial<Omit<BlockDeviceMappingColumns, 'id' | 'created_at' | 'deleted' | 'deleted_at' | 'updated_at'>>;

export const BLOCK_DEVICE_MAPPING = tableModel<BlockDeviceMappingColumns>('block_device_mapping', 'id', {
  id: 'int', instance_uuid: 'str', source_type: 'str', destination_type: 'str', guest_format: 'str', device_type: 'str',
  disk_bus: 'str', device_name: 'str', delete_on_termination: 'bool', snapshot_id: 'str', volume_id: 'str',
  volume_size: 'int', image_id: 'str', no_device: 'bool', connection_info: 'str', boot_index: 'int', ...PERSISTENT_COLUMNS,
});

const toBdm = (r: Row): BlockDeviceMappingRow => fromDb(BLOCK_DEVICE_MAPPING, r);

export interface BdmGetByVolumeOptions {
  /** Only the mapping of this instance (a volume may be mapped in several, e.g. during migration). */
  instanceUuid?: string;
  /** `['instance']` also loads the instance (with the given instance joins). */
  columnsToJoin?: readonly 'instance'[];
  instanceJoins?: readonly InstanceJoin[];
}

export async function bdmCreate(c: Conn, values: BlockDeviceMappingValues): Promise<BlockDeviceMappingRow> {
  return toBdm(await insertRow(c, 'block_device_mapping', { ...toDb(BLOCK_DEVICE_MAPPING, values), created_at: nowText(c), deleted: 0 }));
}

export async function bdmGet(c: Conn, ctx: DbContext, id: number): Promise<BlockDeviceMappingRow> {
  const raw = (await whereVisible(c.q('block_device_mapping').where('id', id), ctx).first()) as Row | undefined;
  if (!raw) throw new BDMNotFound({ id });
  return toBdm(raw);
}

export async function bdmUpdate(c: Conn, ctx: DbContext, id: number, values: BlockDeviceMappingValues): Promise<BlockDeviceMappingRow> {
  const n = await whereVisible(c.q('block_device_mapping').where('id', id), ctx).update({ ...toDb(BLOCK_DEVICE_MAPPING, values), updated_at: nowText(c) });
  if (n === 0) throw new BDMNotFound({ id });
  return bdmGet(c, { readDeleted: 'yes' }, id);
}

const isSwap = (v: BlockDeviceMappingValues) => v.source_type === 'blank' && v.destination_type === 'local' && v.guest_format === 'swap';

/**
 * Nova's block_device_mapping_update_or_create: with a device name, update the
 * instance's live mapping of that device if there is one; otherwise create. A swap
 * mapping replaces any other swap mapping of the instance.
 */
export async function bdmUpdateOrCreate(c: Conn, values: BlockDeviceMappingValues): Promise<BlockDeviceMappingRow> {
  return inTransaction(c, async (t) => {
    const uuid = values.instance_uuid!;
    await lockInstanceRow(t, uuid);
    const now = nowText(t);
    const cols = toDb(BLOCK_DEVICE_MAPPING, values);
    let raw: Row | undefined;
    if (values.device_name) {
      raw = (await t.q('block_device_mapping').where({ instance_uuid: uuid, device_name: values.device_name, deleted: 0 }).orderBy('id').first()) as Row | undefined;
    }
    if (raw) {
      await t.q('block_device_mapping').where('id', raw.id as number).update({ ...cols, updated_at: now });
      raw = (await t.q('block_device_mapping').where('id', raw.id as number).first()) as Row;
    } else {
      raw = await insertRow(t, 'block_device_mapping', { ...cols, created_at: now, deleted: 0 });
    }
    if (isSwap(values)) {
      await t.q('block_device_mapping')
        .where({ instance_uuid: uuid, source_type: 'blank', guest_format: 'swap', deleted: 0 })
        .whereNot('id', raw.id as number)
        .update({ deleted: t.q.ref('id'), deleted_at: now });
    }
    return toBdm(raw);
  });
}

export async function bdmGetAllByInstance(c: Conn, ctx: DbContext, uuid: string): Promise<BlockDeviceMappingRow[]> {
  return ((await whereVisible(c.q('block_device_mapping').where('instance_uuid', uuid), ctx).orderBy('id')) as Row[]).map(toBdm);
}

export async function bdmGetAllByInstanceUuids(c: Conn, ctx: DbContext, uuids: readonly string[]): Promise<BlockDeviceMappingRow[]> {
  const rows = await inChunks(uuids, async (b) => (await whereVisible(c.q('block_device_mapping').whereIn('instance_uuid', b), ctx)) as Row[], { byId: true });
  return rows.map(toBdm);
}

export async function bdmGetAllByVolumeIds(c: Conn, ctx: DbContext, volumeIds: readonly string[]): Promise<BlockDeviceMappingRow[]> {
  const rows = await inChunks(volumeIds, async (b) => (await whereVisible(c.q('block_device_mapping').whereIn('volume_id', b), ctx)) as Row[], { byId: true });
  return rows.map(toBdm);
}

export async function bdmGetByVolumeId(c: Conn, ctx: DbContext, volumeId: string, opts: BdmGetByVolumeOptions = {}): Promise<BlockDeviceMappingRow> {
  const qb = whereVisible(c.q('block_device_mapping').where('volume_id', volumeId), ctx);
  if (opts.instanceUuid) qb.where('instance_uuid', opts.instanceUuid);
  const raw = (await qb.orderBy('id', 'desc').first()) as Row | undefined;
  if (!raw) throw new VolumeBDMNotFound({ volume_id: volumeId });
  const bdm = toBdm(raw);
  if (opts.columnsToJoin?.includes('instance')) {
    const inst = (await c.q('instances').where('uuid', bdm.instance_uuid).first()) as Row | undefined;
    if (inst) bdm.instance = (await withJoins(c, ctx, [inst], opts.instanceJoins ?? []))[0];
  }
  return bdm;
}

async function softDelete(c: Conn, where: Record<string, unknown>): Promise<number> {
  return c.q('block_device_mapping').where({ ...where, deleted: 0 }).update({ deleted: c.q.ref('id'), deleted_at: nowText(c) });
}

export async function bdmDestroy(c: Conn, id: number): Promise<void> {
  if ((await softDelete(c, { id })) === 0) throw new BDMNotFound({ id });
}

export async function bdmDestroyByInstanceAndVolume(c: Conn, uuid: string, volumeId: string): Promise<void> {
  await softDelete(c, { instance_uuid: uuid, volume_id: volumeId });
}

export async function bdmDestroyByInstanceAndDevice(c: Conn, uuid: string, deviceName: string): Promise<void> {
  await softDelete(c, { instance_uuid: uuid, device_name: deviceName });
}
