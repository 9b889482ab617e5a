// InstanceFault(+List): the error a compute records on an instance when an operation fails;
// the newest one is what the API shows as the instance's fault.
import { f, objectBase, objectListBase, ObjectActionError } from '@novakit/versioned-objects';
import type { RequestContext } from './context.js';
import { localDb } from './local.js';
import { changedColumns, fromRow, makeList, persistentFields, setFromRow } from './persistent.js';
import { objectRegistry } from './registry.js';

export class InstanceFault extends objectBase({
  registry: objectRegistry,
  name: 'InstanceFault',
  version: '1.0',
  history: { '1.0': 'release 1: id, instance_uuid, code, message, details, host; create, getLatestForInstance' },
  fields: {
    id: f.integer(),
    instance_uuid: f.uuid(),
    code: f.integer(),
    message: f.string().nullable(),
    details: f.string().nullable(),
    host: f.string().nullable(),
    ...persistentFields,
  },
}) {
  static remotable = ['create'];
  static remotableClass = ['getLatestForInstance'];

  /** The instance's newest fault, or null when it has none. */
  static async getLatestForInstance(ctx: RequestContext, instanceUuid: string): Promise<InstanceFault | null> {
    const { db, dctx } = localDb(ctx, 'InstanceFault.getLatestForInstance');
    const row = await db.instance_fault_get_latest_for_instance(dctx, instanceUuid);
    return row ? fromRow(InstanceFault, ctx, row) : null;
  }

  async create(): Promise<void> {
    if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' });
    const { db, dctx } = localDb(this.obj_context, 'InstanceFault.create');
    const row = await db.instance_fault_create(dctx, changedColumns(this) as { instance_uuid: string; code: number });
    setFromRow(this, row);
    this.obj_reset_changes();
  }
}

export class InstanceFaultList extends objectListBase({
  registry: objectRegistry,
  name: 'InstanceFaultList',
  version: '1.0',
  history: { '1.0': 'release 1: InstanceFault 1.0; getByInstanceUuids' },
  child: InstanceFault,
  childVersions: { '1.0': '1.0' },
}) {
  static remotableClass = ['getByInstanceUuids'];

  /** Every fault of these instances, newest first per instance. */
  static async getByInstanceUuids(ctx: RequestContext, instanceUuids: string[]): Promise<InstanceFaultList> {
    const { db, dctx } = localDb(ctx, 'InstanceFaultList.getByInstanceUuids');
    const byUuid = await db.instance_fault_get_by_instance_uuids(dctx, instanceUuids);
    const rows = instanceUuids.flatMap((u) => byUuid[u] ?? []);
    return makeList(InstanceFaultList, ctx, rows.map((r) => fromRow(InstanceFault, ctx, r)));
  }
}
