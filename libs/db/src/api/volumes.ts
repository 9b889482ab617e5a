// Volumes of the small file-backed volume service the API runs (a Cinder stand-in).
// Status changes can be guarded like instance saves: attach moves 'available' →
// 'attaching' only if nobody else got there first.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { DbContext } from '../context.js';
import { UnexpectedVolumeStatusError, VolumeNotFound } from '../errors.js';
import { PERSISTENT_COLUMNS, fromDb, tableModel, toDb, type PersistentFields } from '../model/columns.js';
import { insertRow, nowText, whereVisible, type Conn, type Row } from '../model/conn.js';

export interface VolumeRow extends PersistentFields {
  /** uuid */
  id: string;
  size_gb: number;
  /** Backing file on the volume host. */
  path: string | null;
  /** creating | available | attaching | in-use | detaching | deleting | error … */
  status: string;
  /** detached | attached */
  attach_status: string;
  instance_uuid: string | null;
  attached_host: string | null;
  mountpoint: string | null;
  attach_time: Date | null;
  project_id: string | null;
  user_id: string | null;
  display_name: string | null;
  display_description: string | null;
  /** JSON text handed to the compute's driver on attach. */
  connection_info: string | null;
}

export type VolumeValues = Partial<Omit<VolumeRow, 'created_at' | 'updated_at' | 'deleted_at' | 'deleted' | 'attach_time'>> & { attach_time?: Date | string | null };

export interface VolumeFilters {
  project_id?: string;
  instance_uuid?: string;
  status?: string | string[];
}

// Volumes keep Cinder's string ids, so deletion is a 0/1 flag, not `deleted` = id.
export const VOLUME = tableModel<VolumeRow>('volumes', 'flag', {
  id: 'str', size_gb: 'int', path: 'str', status: 'str', attach_status: 'str', instance_uuid: 'str', attached_host: 'str',
  mountpoint: 'str', attach_time: 'time', project_id: 'str', user_id: 'str', display_name: 'str', display_description: 'str',
  connection_info: 'str', ...PERSISTENT_COLUMNS,
});

const toVolume = (r: Row): VolumeRow => fromDb(VOLUME, r);
const asList = (s: string | readonly string[]) => (typeof s === 'string' ? [s] : [...s]);

export async function volumeCreate(c: Conn, values: VolumeValues & { size_gb: number }): Promise<VolumeRow> {
  const cols = toDb(VOLUME, { status: 'creating', ...values, id: values.id ?? randomUUID() }, { allow: ['id'] });
  return toVolume(await insertRow(c, 'volumes', { ...cols, created_at: nowText(c), deleted: 0 }));
}

export async function volumeGet(c: Conn, ctx: DbContext, id: string): Promise<VolumeRow> {
  const raw = (await whereVisible(c.q('volumes').where('id', id), ctx, undefined, 'flag').first()) as Row | undefined;
  if (!raw) throw new VolumeNotFound({ volume_id: id });
  return toVolume(raw);
}

export async function volumeGetAll(c: Conn, ctx: DbContext, filters: VolumeFilters = {}): Promise<VolumeRow[]> {
  const qb = whereVisible(c.q('volumes'), ctx, undefined, 'flag');
  if (filters.project_id !== undefined) qb.where('project_id', filters.project_id);
  if (filters.instance_uuid !== undefined) qb.where('instance_uuid', filters.instance_uuid);
  if (filters.status !== undefined) qb.whereIn('status', asList(filters.status));
  return ((await qb.orderBy([{ column: 'created_at' }, { column: 'id' }])) as Row[]).map(toVolume);
}

async function guarded(c: Conn, id: string, expected: readonly string[] | undefined, write: (qb: Knex.QueryBuilder) => Promise<number>): Promise<void> {
  const qb = c.q('volumes').where({ id, deleted: 0 });
  if (expected) qb.whereIn('status', expected as string[]);
  if ((await write(qb)) > 0) return;
  const cur = (await c.q('volumes').where({ id, deleted: 0 }).first()) as Row | undefined;
  if (!cur) throw new VolumeNotFound({ volume_id: id });
  throw new UnexpectedVolumeStatusError({ volume_id: id, expected: [...(expected ?? [])], actual: cur.status as string });
}

/** Updates a volume; with `expectedStatus` only if its status is (one of) that, in the same statement. */
export async function volumeUpdate(c: Conn, ctx: DbContext, id: string, values: VolumeValues, opts: { expectedStatus?: string | readonly string[] } = {}): Promise<VolumeRow> {
  const cols = toDb(VOLUME, values);
  const expected = opts.expectedStatus === undefined ? undefined : asList(opts.expectedStatus);
  await guarded(c, id, expected, (qb) => qb.update({ ...cols, updated_at: nowText(c) }));
  return volumeGet(c, ctx, id);
}

export async function volumeDestroy(c: Conn, id: string, opts: { expectedStatus?: string | readonly string[] } = {}): Promise<void> {
  const expected = opts.expectedStatus === undefined ? undefined : asList(opts.expectedStatus);
  await guarded(c, id, expected, (qb) => qb.update({ deleted: 1, deleted_at: nowText(c), status: 'deleted' }));
}
