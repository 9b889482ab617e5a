// Instance ↔ database rows: which attributes are joined, how a row (with its joins) becomes
// an Instance, and how the flavor is kept in instance_extra.
import { ObjectActionError, type Primitive } from '@novakit/versioned-objects';
import type { DbInstanceRow, InstanceJoinName } from './db-api.js';
import { Flavor } from './flavor.js';
import { InstanceFault } from './instance-fault.js';
import { InstanceInfoCache } from './instance-info-cache.js';
import type { Instance } from './instance.js';
import { fromRow, setFromRow } from './persistent.js';
import { objectRegistry } from './registry.js';
import { groupList } from './security-group.js';

/** The attributes kept outside the instances table: loaded on request, or lazily. */
export const INSTANCE_OPTIONAL_ATTRS = ['metadata', 'system_metadata', 'info_cache', 'security_groups', 'fault', 'flavor'] as const satisfies readonly InstanceJoinName[];
export type InstanceOptionalAttr = (typeof INSTANCE_OPTIONAL_ATTRS)[number];

/** What a single-instance lookup loads when not told (Nova's get_by_uuid default). */
export const INSTANCE_DEFAULT_ATTRS: readonly InstanceOptionalAttr[] = ['info_cache', 'security_groups'];

const OPTIONAL: ReadonlySet<string> = new Set(INSTANCE_OPTIONAL_ATTRS);

/** Refuses names that are not joinable attributes (a typo would otherwise load nothing). */
export function checkExpectedAttrs(attrs: readonly string[]): InstanceOptionalAttr[] {
  for (const a of attrs) {
    if (!OPTIONAL.has(a)) throw new ObjectActionError({ action: 'expected_attrs', reason: `${a} is not an optional attribute of Instance` });
  }
  return [...new Set(attrs)] as InstanceOptionalAttr[];
}

/**
 * The flavor as instance_extra stores it: the Flavor primitive under `cur`, leaving room
 * for the `old`/`new` pair a resize will need (Nova Kilo's layout).
 */
export function flavorToExtra(flavor: Flavor): { cur: Primitive } {
  const prim = flavor.obj_to_primitive();
  delete prim[objectRegistry.keys.changes];
  return { cur: prim };
}

function flavorFromExtra(inst: Instance, extra: unknown): Flavor | null {
  const cur = extra && typeof extra === 'object' ? (extra as { cur?: unknown }).cur : undefined;
  if (!cur) return null;
  const flavor = objectRegistry.fromPrimitive(cur, inst.obj_context);
  if (!(flavor instanceof Flavor)) throw new ObjectActionError({ action: 'load flavor', reason: `instance_extra holds a ${flavor.obj_name()}` });
  return flavor;
}

/** Copies a row and the joined `attrs` into `inst`, which ends up clean (Nova's _from_db_object). */
export function hydrateInstance(inst: Instance, row: DbInstanceRow, attrs: readonly InstanceOptionalAttr[]): Instance {
  const ctx = inst.obj_context;
  setFromRow(inst, row, OPTIONAL);
  for (const attr of attrs) {
    switch (attr) {
      case 'metadata':
        inst.metadata = row.metadata ?? {};
        break;
      case 'system_metadata':
        inst.system_metadata = row.system_metadata ?? {};
        break;
      case 'info_cache':
        inst.info_cache = row.info_cache ? fromRow(InstanceInfoCache, ctx, row.info_cache) : null;
        break;
      case 'security_groups':
        inst.security_groups = groupList(ctx, row.security_groups ?? []);
        break;
      case 'fault':
        inst.fault = row.fault ? fromRow(InstanceFault, ctx, row.fault) : null;
        break;
      case 'flavor':
        inst.flavor = flavorFromExtra(inst, row.flavor);
        break;
    }
  }
  inst.obj_reset_changes();
  return inst;
}
