// FixedIP(+List): an address of a nova-network style network, allocated to an instance.
// Release 1 keeps the network and virtual interface as ids; the instance is an object.
import { f, objectBase, objectListBase, ObjectActionError } from '@novakit/versioned-objects';
import type { RequestContext } from './context.js';
import type { DbFixedIpRow } from './db-api.js';
import { hydrateInstance } from './instance-rows.js';
import { Instance } from './instance.js';
import { localDb } from './local.js';
import { changedColumns, makeList, persistentFields, setFromRow } from './persistent.js';
import { objectRegistry } from './registry.js';

export interface FixedIpGetOptions {
  /** `['instance']` also loads the instance, in the same call. */
  readonly expectedAttrs?: readonly 'instance'[];
}

export class FixedIP extends objectBase({
  registry: objectRegistry,
  name: 'FixedIP',
  version: '1.0',
  history: { '1.0': 'release 1: address, network_id, virtual_interface_id, instance_uuid, allocated, leased, reserved, host, lazy instance' },
  fields: {
    id: f.integer(),
    address: f.ipAddress(),
    network_id: f.integer().nullable(),
    virtual_interface_id: f.integer().nullable(),
    instance_uuid: f.uuid().nullable(),
    allocated: f.boolean().default(false),
    leased: f.boolean().default(false),
    reserved: f.boolean().default(false),
    host: f.string().nullable(),
    instance: f.object(() => Instance).nullable().lazy(),
    ...persistentFields,
  },
}) {
  static remotable = ['create', 'save', 'disassociate'];
  static remotableClass = ['getById', 'getByAddress', 'associate', 'associatePool'];

  static async getById(ctx: RequestContext, id: number, opts: FixedIpGetOptions = {}): Promise<FixedIP> {
    const { db, dctx } = localDb(ctx, 'FixedIP.getById');
    return fixedIpFromRow(ctx, await db.fixed_ip_get(dctx, id, joins(opts)));
  }

  static async getByAddress(ctx: RequestContext, address: string, opts: FixedIpGetOptions = {}): Promise<FixedIP> {
    const { db, dctx } = localDb(ctx, 'FixedIP.getByAddress');
    return fixedIpFromRow(ctx, await db.fixed_ip_get_by_address(dctx, address, joins(opts)));
  }

  /** Gives this free address to the instance. FixedIpAlreadyInUse when another holds it. */
  static async associate(ctx: RequestContext, address: string, instanceUuid: string, opts: { networkId?: number } = {}): Promise<FixedIP> {
    const { db, dctx } = localDb(ctx, 'FixedIP.associate');
    return fixedIpFromRow(ctx, await db.fixed_ip_associate(dctx, address, instanceUuid, opts));
  }

  /** Gives the instance any free address of the network. NoMoreFixedIps when there is none. */
  static async associatePool(ctx: RequestContext, networkId: number, instanceUuid: string, host: string | null = null): Promise<FixedIP> {
    const { db, dctx } = localDb(ctx, 'FixedIP.associatePool');
    return fixedIpFromRow(ctx, await db.fixed_ip_associate_pool(dctx, networkId, instanceUuid, host));
  }

  async create(): Promise<void> {
    if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' });
    const { db, dctx } = localDb(this.obj_context, 'FixedIP.create');
    setFromRow(this, await db.fixed_ip_create(dctx, { ...changedColumns(this, ['instance']), address: this.address }));
    this.obj_reset_changes();
  }

  /** Saves by address, which therefore cannot change. */
  async save(): Promise<void> {
    const changed = this.obj_what_changed();
    if (changed.has('address') || changed.has('instance')) throw new ObjectActionError({ action: 'save', reason: 'address and instance cannot be saved' });
    const values = changedColumns(this);
    if (Object.keys(values).length) {
      const { db, dctx } = localDb(this.obj_context, 'FixedIP.save');
      setFromRow(this, await db.fixed_ip_update(dctx, this.address, values));
    }
    this.obj_reset_changes();
  }

  /** Releases the address from its instance and virtual interface. */
  async disassociate(): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'FixedIP.disassociate');
    await db.fixed_ip_disassociate(dctx, this.address);
    this.instance_uuid = null;
    this.virtual_interface_id = null;
    if (this.obj_attr_is_set('instance')) this.instance = null;
    this.obj_reset_changes();
  }

  protected override async obj_lazy_load(name: string): Promise<void> {
    if (name !== 'instance') return super.obj_lazy_load(name);
    const uuid = this.obj_attr_is_set('instance_uuid') ? this.instance_uuid : null;
    this.instance = uuid ? await Instance.getByUuid(this.obj_context as RequestContext, uuid, { expectedAttrs: [] }) : null;
  }
}

function joins(opts: FixedIpGetOptions): { columnsToJoin?: readonly 'instance'[] } {
  return opts.expectedAttrs?.includes('instance') ? { columnsToJoin: ['instance'] } : {};
}

function fixedIpFromRow(ctx: RequestContext, row: DbFixedIpRow): FixedIP {
  const ip = new FixedIP(null, ctx);
  setFromRow(ip, row);
  if (row.instance !== undefined) ip.instance = row.instance ? hydrateInstance(new Instance(null, ctx), row.instance, []) : null;
  ip.obj_reset_changes();
  return ip;
}

export class FixedIPList extends objectListBase({
  registry: objectRegistry,
  name: 'FixedIPList',
  version: '1.0',
  history: { '1.0': 'release 1: FixedIP 1.0; getByInstanceUuid' },
  child: FixedIP,
  childVersions: { '1.0': '1.0' },
}) {
  static remotableClass = ['getByInstanceUuid'];

  /** FixedIpNotFoundForInstance when the instance has none (Nova's behaviour). */
  static async getByInstanceUuid(ctx: RequestContext, instanceUuid: string): Promise<FixedIPList> {
    const { db, dctx } = localDb(ctx, 'FixedIPList.getByInstanceUuid');
    const rows = await db.fixed_ip_get_by_instance(dctx, instanceUuid);
    return makeList(FixedIPList, ctx, rows.map((r) => fixedIpFromRow(ctx, r)));
  }
}
