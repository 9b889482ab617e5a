// Key pairs, unique per (user, name) among live rows.
import type { DbContext } from '../context.js';
import { KeyPairExists, KeypairNotFound } from '../errors.js';
import { PERSISTENT_COLUMNS, fromDb, tableModel, toDb, type PersistentFields } from '../model/columns.js';
import { insertRow, mapDuplicate, nowText, whereVisible, type Conn, type Row } from '../model/conn.js';

export interface KeyPairRow extends PersistentFields {
  id: number;
  name: string;
  user_id: string;
  fingerprint: string | null;
  public_key: string | null;
}

export type KeyPairValues = Pick<KeyPairRow, 'name' | 'user_id'> & Partial<Pick<KeyPairRow, 'fingerprint' | 'public_key'>>;

export const KEY_PAIR = tableModel<KeyPairRow>('key_pairs', 'id', {
  id: 'int', name: 'str', user_id: 'str', fingerprint: 'str', public_key: 'str', ...PERSISTENT_COLUMNS,
});

export async function keyPairCreate(c: Conn, values: KeyPairValues): Promise<KeyPairRow> {
  const raw = await mapDuplicate('key_pairs', ['user_id', 'name'], () => insertRow(c, 'key_pairs', { ...toDb(KEY_PAIR, values), created_at: nowText(c), deleted: 0 }),
    () => new KeyPairExists({ key_name: values.name }));
  return fromDb(KEY_PAIR, raw);
}

export async function keyPairGet(c: Conn, ctx: DbContext, userId: string, name: string): Promise<KeyPairRow> {
  const raw = (await whereVisible(c.q('key_pairs').where({ user_id: userId, name }), ctx).first()) as Row | undefined;
  if (!raw) throw new KeypairNotFound({ user_id: userId, name });
  return fromDb(KEY_PAIR, raw);
}

export async function keyPairGetAllByUser(c: Conn, ctx: DbContext, userId: string): Promise<KeyPairRow[]> {
  return ((await whereVisible(c.q('key_pairs').where('user_id', userId), ctx).orderBy('id')) as Row[]).map((r) => fromDb(KEY_PAIR, r));
}

export async function keyPairCountByUser(c: Conn, userId: string): Promise<number> {
  const [row] = (await c.q('key_pairs').where({ user_id: userId, deleted: 0 }).count({ n: 'id' })) as Row[];
  return Number(row.n);
}

export async function keyPairDestroy(c: Conn, userId: string, name: string): Promise<void> {
  const n = await c.q('key_pairs').where({ user_id: userId, name, deleted: 0 }).update({ deleted: c.q.ref('id'), deleted_at: nowText(c) });
  if (n === 0) throw new KeypairNotFound({ user_id: userId, name });
}
