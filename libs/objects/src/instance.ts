// Instance: a virtual machine and everything the compute side knows about it. The joined
// attributes (metadata, system_metadata, info_cache, security_groups, fault, flavor) are
// loaded only when asked for, in `expectedAttrs` or lazily, one remotable call each.
import { f, objectBase, ObjectActionError } from '@novakit/versioned-objects';
import type { RequestContext } from './context.js';
import type { DbExpectedState } from './db-api.js';
import { Flavor } from './flavor.js';
import { InstanceFault } from './instance-fault.js';
import { InstanceInfoCache } from './instance-info-cache.js';
import { formatInstanceName } from './instance-name.js';
import { checkExpectedAttrs, flavorToExtra, hydrateInstance, INSTANCE_DEFAULT_ATTRS, INSTANCE_OPTIONAL_ATTRS, type InstanceOptionalAttr } from './instance-rows.js';
import { localDb } from './local.js';
import { changedColumns, persistentFields } from './persistent.js';
import { objectRegistry } from './registry.js';
import { SecurityGroupList } from './security-group.js';
import { TASK_STATES, VM_STATES, type TaskState, type VmState } from './states.js';

export interface InstanceGetOptions {
  /** Joined attributes to load now; the others stay lazy. Default for one instance: info_cache, security_groups. */
  readonly expectedAttrs?: readonly InstanceOptionalAttr[];
}

export interface InstanceSaveOptions {
  /**
   * The save lands only if the stored task_state is this (or one of these); `null` means
   * "no task". Compared in the same statement as the write, so of two racing transitions
   * exactly one wins; the loser gets UnexpectedTaskStateError (expected and actual in kwargs).
   * Absent: no check.
   */
  readonly expectedTaskState?: TaskState | null | readonly (TaskState | null)[];
  /** As expectedTaskState, for vm_state (UnexpectedVMStateError). */
  readonly expectedVmState?: VmState | null | readonly (VmState | null)[];
}

const str = () => f.string().nullable();
const int = () => f.integer().nullable();

export class Instance extends objectBase({
  registry: objectRegistry,
  name: 'Instance',
  version: '1.0',
  history: {
    '1.0': "release 1: Nova Juno's instance columns, typed vm_state/task_state, lazy metadata, system_metadata, info_cache, security_groups, fault, flavor",
  },
  fields: {
    id: f.integer(),
    uuid: f.uuid(),
    user_id: str(),
    project_id: str(),
    image_ref: str(),
    kernel_id: str(),
    ramdisk_id: str(),
    hostname: str(),
    launch_index: int(),
    key_name: str(),
    key_data: str(),
    power_state: int(),
    vm_state: f.enum(VM_STATES).nullable(),
    task_state: f.enum(TASK_STATES).nullable(),
    memory_mb: int(),
    vcpus: int(),
    root_gb: int(),
    ephemeral_gb: int(),
    ephemeral_key_uuid: f.uuid().nullable(),
    host: str(),
    node: str(),
    instance_type_id: int(),
    user_data: str(),
    reservation_id: str(),
    scheduled_at: f.dateTime().nullable(),
    launched_at: f.dateTime().nullable(),
    terminated_at: f.dateTime().nullable(),
    availability_zone: str(),
    display_name: str(),
    display_description: str(),
    launched_on: str(),
    locked: f.boolean().default(false),
    locked_by: f.enum(['owner', 'admin']).nullable(),
    os_type: str(),
    architecture: str(),
    vm_mode: str(),
    root_device_name: str(),
    default_ephemeral_device: str(),
    default_swap_device: str(),
    config_drive: str(),
    access_ip_v4: f.ipv4Address().nullable(),
    access_ip_v6: f.ipv6Address().nullable(),
    auto_disk_config: f.boolean().default(false),
    progress: int(),
    shutdown_terminate: f.boolean().default(false),
    disable_terminate: f.boolean().default(false),
    cell_name: str(),
    cleaned: f.boolean().default(false),
    metadata: f.dict(f.string()).lazy(),
    system_metadata: f.dict(f.string().nullable()).lazy(),
    info_cache: f.object(InstanceInfoCache).nullable().lazy(),
    security_groups: f.object(SecurityGroupList).lazy(),
    fault: f.object(InstanceFault).nullable().lazy(),
    flavor: f.object(Flavor).nullable().lazy(),
    ...persistentFields,
  },
}) {
  static remotable = ['save', 'create', 'destroy', 'refresh'];
  static remotableClass = ['getByUuid', 'getById'];
  static extraFields = ['name'];

  /** Nova's instance_name_template. Set once at service start, from configuration. */
  static nameTemplate = 'instance-%08x';

  /** The hypervisor-side name: the template applied to this instance, else its uuid. */
  get name(): string {
    return formatInstanceName(Instance.nameTemplate, this);
  }

  static async getByUuid(ctx: RequestContext, uuid: string, opts: InstanceGetOptions = {}): Promise<Instance> {
    const attrs = checkExpectedAttrs(opts.expectedAttrs ?? INSTANCE_DEFAULT_ATTRS);
    const { db, dctx } = localDb(ctx, 'Instance.getByUuid');
    return hydrateInstance(new Instance(null, ctx), await db.instance_get_by_uuid(dctx, uuid, { columnsToJoin: attrs }), attrs);
  }

  static async getById(ctx: RequestContext, id: number, opts: InstanceGetOptions = {}): Promise<Instance> {
    const attrs = checkExpectedAttrs(opts.expectedAttrs ?? INSTANCE_DEFAULT_ATTRS);
    const { db, dctx } = localDb(ctx, 'Instance.getById');
    return hydrateInstance(new Instance(null, ctx), await db.instance_get(dctx, id, { columnsToJoin: attrs }), attrs);
  }

  /**
   * Writes what changed, and only that: dirty children save themselves (info cache, edited
   * security groups), changed columns and dicts go in one guarded UPDATE, and the stored
   * row (updated_at, anything another writer changed) is read back into the object.
   */
  async save(options: InstanceSaveOptions = {}): Promise<void> {
    const ctx = this.obj_context;
    const changed = this.obj_what_changed();
    if (changed.has('id')) throw new ObjectActionError({ action: 'save', reason: 'id cannot be changed' });
    if (changed.has('info_cache') && this.info_cache) await this.info_cache.obj_set_context(ctx).save();
    if (changed.has('security_groups')) {
      for (const group of this.security_groups) if (group.obj_has_changes()) await group.obj_set_context(ctx).save();
    }
    const values = changedColumns(this);
    if (changed.has('flavor')) values.flavor = this.flavor ? flavorToExtra(this.flavor) : null;
    // A fault is recorded with InstanceFault.create, never by saving the instance (Nova's rule).
    if (Object.keys(values).length === 0) {
      this.obj_reset_changes(null, true);
      return;
    }
    const joins = (['metadata', 'system_metadata'] as const).filter((k) => k in values);
    const { db, dctx } = localDb(ctx, 'Instance.save');
    const row = await db.instance_save(dctx, this.uuid, values, {
      columnsToJoin: joins,
      ...(options.expectedTaskState !== undefined ? { expectedTaskState: options.expectedTaskState as DbExpectedState } : {}),
      ...(options.expectedVmState !== undefined ? { expectedVmState: options.expectedVmState as DbExpectedState } : {}),
    });
    hydrateInstance(this, row, joins);
    this.obj_reset_changes(null, true);
  }

  /** Inserts the instance with the joined attributes it was given; security groups by name. */
  async create(): Promise<void> {
    if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' });
    const values = changedColumns(this);
    const attrs = INSTANCE_OPTIONAL_ATTRS.filter((a) => a !== 'fault' && this.obj_attr_is_set(a));
    if (attrs.includes('info_cache') && this.info_cache) {
      values.info_cache = { network_info: this.info_cache.obj_attr_is_set('network_info') ? this.info_cache.network_info : null };
    }
    if (attrs.includes('security_groups')) values.security_groups = this.security_groups.map((g) => g.name).filter((n): n is string => !!n);
    if (attrs.includes('flavor')) values.flavor = this.flavor ? flavorToExtra(this.flavor) : null;
    const { db, dctx } = localDb(this.obj_context, 'Instance.create');
    hydrateInstance(this, await db.instance_create(dctx, values, { columnsToJoin: attrs }), attrs);
  }

  /**
   * Soft-deletes the instance. An instance with no host is only deleted if the database
   * agrees it has none, so a delete cannot race a scheduler assigning it (Nova's guard).
   */
  async destroy(): Promise<void> {
    if (!this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'destroy', reason: 'already destroyed' });
    const unhosted = !this.obj_attr_is_set('host') || !this.host;
    const { db, dctx } = localDb(this.obj_context, 'Instance.destroy');
    try {
      hydrateInstance(this, await db.instance_destroy(dctx, this.uuid, unhosted ? { constraint: { host: null } } : {}), []);
    } catch (e) {
      if (e instanceof Error && e.name === 'ConstraintNotMet') throw new ObjectActionError({ action: 'destroy', reason: 'host changed' });
      throw e;
    }
  }

  /** Re-reads the instance, with the joined attributes it has loaded. */
  async refresh(): Promise<void> {
    const attrs = INSTANCE_OPTIONAL_ATTRS.filter((a) => this.obj_attr_is_set(a));
    const { db, dctx } = localDb(this.obj_context, 'Instance.refresh');
    hydrateInstance(this, await db.instance_get_by_uuid(dctx, this.uuid, { columnsToJoin: attrs }), attrs);
  }

  protected override async obj_lazy_load(name: string): Promise<void> {
    if (!this.obj_attr_is_set('uuid')) throw new ObjectActionError({ action: 'obj_load_attr', reason: `cannot load ${name} of an instance without uuid` });
    let ctx = this.obj_context as RequestContext;
    if (this.obj_attr_is_set('deleted') && this.deleted && ctx.read_deleted === 'no') ctx = { ...ctx, read_deleted: 'yes' };
    if (name === 'fault') {
      this.fault = await InstanceFault.getLatestForInstance(ctx, this.uuid);
      return;
    }
    const fresh = await Instance.getByUuid(ctx, this.uuid, { expectedAttrs: checkExpectedAttrs([name as InstanceOptionalAttr]) });
    this.obj_set(name, fresh.obj_get(name));
  }
}
