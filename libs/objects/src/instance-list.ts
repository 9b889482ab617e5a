// InstanceList: the instance queries computes and the API run (by host, by host and node,
// by filters with sorting and marker paging), each one remotable call.
import { objectListBase } from '@novakit/versioned-objects';
import type { RequestContext } from './context.js';
import type { DbInstanceRow } from './db-api.js';
import { InstanceFaultList, type InstanceFault } from './instance-fault.js';
import { checkExpectedAttrs, hydrateInstance, type InstanceOptionalAttr } from './instance-rows.js';
import { Instance } from './instance.js';
import { localDb } from './local.js';
import { makeList } from './persistent.js';
import { objectRegistry } from './registry.js';

export interface InstanceListOptions {
  /** Joined attributes to load for every instance (in one query each); default none. */
  readonly expectedAttrs?: readonly InstanceOptionalAttr[];
}

/**
 * Filters of InstanceList.getByFilters: any instance column as an exact match (a list means
 * any of), `deleted` (true/false), `changes-since` (a time), `display_name`/`hostname` as
 * `{ like: 'text' }`, `metadata`/`system_metadata` as key/value pairs the instance must have.
 */
export type InstanceFilters = Readonly<Record<string, unknown>>;

export interface InstanceQuery extends InstanceListOptions {
  /** Column to sort by (default created_at), then id. */
  readonly sortKey?: string;
  readonly sortDir?: 'asc' | 'desc';
  readonly limit?: number;
  /** uuid of the last instance of the previous page. */
  readonly marker?: string;
}

export class InstanceList extends objectListBase({
  registry: objectRegistry,
  name: 'InstanceList',
  version: '1.0',
  history: { '1.0': 'release 1: Instance 1.0; getByHost, getByHostAndNode, getByFilters' },
  child: Instance,
  childVersions: { '1.0': '1.0' },
}) {
  static remotableClass = ['getByHost', 'getByHostAndNode', 'getByFilters'];

  static async getByHost(ctx: RequestContext, host: string, opts: InstanceListOptions = {}): Promise<InstanceList> {
    const attrs = checkExpectedAttrs(opts.expectedAttrs ?? []);
    const { db, dctx } = localDb(ctx, 'InstanceList.getByHost');
    return instanceList(ctx, await db.instance_get_all_by_host(dctx, host, { columnsToJoin: attrs }), attrs);
  }

  static async getByHostAndNode(ctx: RequestContext, host: string, node: string, opts: InstanceListOptions = {}): Promise<InstanceList> {
    const attrs = checkExpectedAttrs(opts.expectedAttrs ?? []);
    const { db, dctx } = localDb(ctx, 'InstanceList.getByHostAndNode');
    return instanceList(ctx, await db.instance_get_all_by_host_and_node(dctx, host, node, { columnsToJoin: attrs }), attrs);
  }

  static async getByFilters(ctx: RequestContext, filters: InstanceFilters = {}, query: InstanceQuery = {}): Promise<InstanceList> {
    const { expectedAttrs, ...sort } = query;
    const attrs = checkExpectedAttrs(expectedAttrs ?? []);
    const { db, dctx } = localDb(ctx, 'InstanceList.getByFilters');
    return instanceList(ctx, await db.instance_get_all_by_filters(dctx, filters, { ...sort, columnsToJoin: attrs }), attrs);
  }

  /** Sets every instance's newest fault (null when none) with one call for the whole list. */
  async fillFaults(): Promise<void> {
    const faults = await InstanceFaultList.getByInstanceUuids(this.obj_context as RequestContext, this.map((i) => i.uuid));
    const latest = new Map<string, InstanceFault>();
    for (const fault of faults) if (!latest.has(fault.instance_uuid)) latest.set(fault.instance_uuid, fault);
    for (const inst of this) {
      inst.fault = latest.get(inst.uuid) ?? null;
      inst.obj_reset_changes(['fault']);
    }
  }
}

function instanceList(ctx: RequestContext, rows: DbInstanceRow[], attrs: readonly InstanceOptionalAttr[]): InstanceList {
  return makeList(InstanceList, ctx, rows.map((r) => hydrateInstance(new Instance(null, ctx), r, attrs)));
}
