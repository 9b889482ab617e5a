// DB rows as the plain dicts legacy callers got from Nova (`jsonutils.to_primitive(row)`):
// timestamps as ISO-8601 text, joined rows nested, an instance's `name` computed and its
// info cache's network_info as JSON text.
import type { LegacyInstance, LegacyRow } from '@novakit/conductor-api';
import type { InstanceRow } from '@novakit/db';
import { formatInstanceName, Instance } from '@novakit/objects';
import { datetimeToPrimitive } from '@novakit/versioned-objects';

/** Any row (or list of rows) with Dates turned into text, recursively. */
export function toLegacy<T = LegacyRow>(value: unknown): T {
  return primitive(value, 0) as T;
}

function primitive(value: unknown, depth: number): unknown {
  if (value instanceof Date) return datetimeToPrimitive(value);
  if (value === null || typeof value !== 'object' || depth > 16) return value;
  if (Array.isArray(value)) return value.map((v) => primitive(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = primitive(v, depth + 1);
  return out;
}

export function legacyInstance(row: InstanceRow): LegacyInstance {
  const out = toLegacy<Record<string, unknown>>(row);
  const source = { obj_attr_is_set: (k: string) => row[k as keyof InstanceRow] != null, obj_get: (k: string) => row[k as keyof InstanceRow] };
  out.name = formatInstanceName(Instance.nameTemplate, source);
  if (row.info_cache) {
    const info = row.info_cache.network_info;
    out.info_cache = { ...(out.info_cache as object), network_info: info == null || typeof info === 'string' ? (info ?? null) : JSON.stringify(info) };
  }
  return out as unknown as LegacyInstance;
}
