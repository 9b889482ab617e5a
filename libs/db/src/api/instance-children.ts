// Direct access to an instance's metadata dicts and info cache (Nova's
// instance_metadata_* / instance_system_metadata_* / instance_info_cache_* calls).
import type { DbContext } from '../context.js';
import { InstanceInfoCacheNotFound } from '../errors.js';
import { fromDb, toDbValue } from '../model/columns.js';
import { inTransaction, mapDuplicate, nowText, type Conn, type Row } from '../model/conn.js';
import { INFO_CACHE, type InstanceInfoCacheRow } from './info-cache-model.js';
import { replaceMetadata, type MetadataTable } from './instance-joins.js';
import { getInstanceRaw } from './instance-read.js';

async function readDict(c: Conn, table: MetadataTable, uuid: string): Promise<Record<string, string | null>> {
  const rows = (await c.q(table).select('key', 'value').where({ instance_uuid: uuid, deleted: 0 })) as Row[];
  return Object.fromEntries(rows.map((r) => [r.key as string, (r.value as string | null) ?? null]));
}

export function metadataGet(c: Conn, table: MetadataTable, uuid: string): Promise<Record<string, string | null>> {
  return readDict(c, table, uuid);
}

/** Adds/updates keys; with `deleteOthers` also removes keys not given. Returns the resulting dict. */
export function metadataUpdate(
  c: Conn, ctx: DbContext, table: MetadataTable, uuid: string, dict: Record<string, string | null>, deleteOthers: boolean,
): Promise<Record<string, string | null>> {
  return inTransaction(c, async (t) => {
    await getInstanceRaw(t, ctx, { uuid });
    // Take the instance row lock first so concurrent metadata writers of one instance queue up.
    await t.q('instances').where('uuid', uuid).update({ updated_at: nowText(t) });
    const next = deleteOthers ? dict : { ...(await readDict(t, table, uuid)), ...dict };
    await replaceMetadata(t, table, uuid, next);
    return next;
  });
}

export async function metadataDelete(c: Conn, table: MetadataTable, uuid: string, key: string): Promise<void> {
  await c.q(table).where({ instance_uuid: uuid, key, deleted: 0 }).update({ deleted: c.q.ref('id'), deleted_at: nowText(c) });
}

export async function infoCacheGet(c: Conn, uuid: string): Promise<InstanceInfoCacheRow | null> {
  const row = (await c.q('instance_info_caches').where('instance_uuid', uuid).first()) as Row | undefined;
  return row ? fromDb(INFO_CACHE, row) : null;
}

/**
 * Writes `network_info` (JSON value or JSON text), creating the cache row when the
 * instance has none. A deleted cache (its instance was destroyed) is not revived:
 * InstanceInfoCacheNotFound, as in Nova.
 */
export async function infoCacheUpdate(c: Conn, uuid: string, values: { network_info?: unknown }): Promise<InstanceInfoCacheRow> {
  const network_info = toDbValue('json', values.network_info ?? null);
  return inTransaction(c, async (t) => {
    const now = nowText(t);
    const n = await t.q('instance_info_caches').where({ instance_uuid: uuid, deleted: 0 }).update({ network_info, updated_at: now });
    if (n === 0) {
      const existing = (await t.q('instance_info_caches').where('instance_uuid', uuid).first()) as Row | undefined;
      if (existing) throw new InstanceInfoCacheNotFound({ instance_uuid: uuid });
      await mapDuplicate('instance_info_caches', ['instance_uuid'], () =>
        t.q('instance_info_caches').insert({ instance_uuid: uuid, network_info, created_at: now, deleted: 0 }),
      );
    }
    return fromDb(INFO_CACHE, (await t.q('instance_info_caches').where('instance_uuid', uuid).first()) as Row);
  });
}

export async function infoCacheDelete(c: Conn, uuid: string): Promise<void> {
  await c.q('instance_info_caches').where({ instance_uuid: uuid, deleted: 0 }).update({ deleted: c.q.ref('id'), deleted_at: nowText(c) });
}
