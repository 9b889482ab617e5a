// Release 1 is the pre-migration world on purpose: the 25 work-item methods take an instance
// as an unversioned dict, and drivers write back through VirtAPI's raw conductor calls. These
// types exist to be deleted, one work item at a time; the migration tracker counts their uses.
import type { Instance, RequestContext } from '@novakit/objects';
import { datetimeToPrimitive } from '@novakit/versioned-objects';

declare const legacyInstanceBrand: unique symbol;

/** The columns of an instance row as the database returns it (timestamps as ISO text). */
export interface LegacyInstanceColumns {
  readonly id: number;
  readonly uuid: string;
  readonly name: string;
  readonly user_id: string | null;
  readonly project_id: string | null;
  readonly image_ref: string | null;
  readonly hostname: string | null;
  readonly host: string | null;
  readonly node: string | null;
  readonly vm_state: string | null;
  readonly task_state: string | null;
  readonly power_state: number | null;
  readonly memory_mb: number | null;
  readonly vcpus: number | null;
  readonly root_gb: number | null;
  readonly ephemeral_gb: number | null;
  readonly display_name: string | null;
  readonly availability_zone: string | null;
  readonly launched_on: string | null;
  readonly launched_at: string | null;
  readonly root_device_name: string | null;
  readonly default_ephemeral_device: string | null;
  readonly default_swap_device: string | null;
  readonly key_data: string | null;
  readonly config_drive: string | null;
  readonly os_type: string | null;
  readonly architecture: string | null;
  readonly created_at: string | null;
  readonly updated_at: string | null;
  readonly deleted: boolean;
  /** Joined tables, present when the dict was made with them. */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly system_metadata?: Readonly<Record<string, string | null>>;
  readonly info_cache?: Readonly<{ network_info: string | null }> | null;
  readonly security_groups?: ReadonlyArray<Readonly<{ id: number; name: string }>>;
}

/**
 * An unversioned instance dict (Nova's `jsonutils.to_primitive(instance)`), branded so the
 * compiler tells it apart from the `Instance` object: converting a work item is the change
 * of a parameter from this type to `Instance`, which the type checker then follows.
 */
export type LegacyInstanceDict = LegacyInstanceColumns & { readonly [legacyInstanceBrand]: true };

const COLUMNS = [
  'id', 'uuid', 'user_id', 'project_id', 'image_ref', 'hostname', 'host', 'node', 'vm_state', 'task_state', 'power_state',
  'memory_mb', 'vcpus', 'root_gb', 'ephemeral_gb', 'display_name', 'availability_zone', 'launched_on', 'root_device_name',
  'default_ephemeral_device', 'default_swap_device', 'key_data', 'config_drive', 'os_type', 'architecture',
] as const;

/**
 * @legacy The shim of release 1 (Nova's `obj_to_primitive(instance)` at a driver call):
 * flatten an Instance into the dict the unconverted work items take. Every call is a place
 * the migration still has to reach.
 */
export function legacyInstanceDict(instance: Instance): LegacyInstanceDict {
  const out: Record<string, unknown> = {};
  for (const column of COLUMNS) out[column] = instance.obj_attr_is_set(column) ? instance.obj_get(column) : null;
  const date = (d: Date | null) => (d ? datetimeToPrimitive(d) : null);
  out.name = instance.name;
  out.launched_at = instance.obj_attr_is_set('launched_at') ? date(instance.launched_at) : null;
  out.created_at = instance.obj_attr_is_set('created_at') ? date(instance.created_at) : null;
  out.updated_at = instance.obj_attr_is_set('updated_at') ? date(instance.updated_at) : null;
  out.deleted = instance.obj_attr_is_set('deleted') ? instance.deleted : false;
  if (instance.obj_attr_is_set('metadata')) out.metadata = { ...instance.metadata };
  if (instance.obj_attr_is_set('system_metadata')) out.system_metadata = { ...instance.system_metadata };
  if (instance.obj_attr_is_set('info_cache')) {
    const cache = instance.info_cache;
    out.info_cache = cache ? { network_info: cache.obj_attr_is_set('network_info') && cache.network_info ? JSON.stringify(cache.network_info) : null } : null;
  }
  if (instance.obj_attr_is_set('security_groups')) out.security_groups = instance.security_groups.map((g) => ({ id: g.id, name: g.name }));
  return Object.freeze(out) as unknown as LegacyInstanceDict;
}

/** Row shapes the legacy VirtAPI calls return (plain dicts, as Nova's DB API did). */
export type LegacyRow = Readonly<Record<string, unknown>>;

/** A security group rule as `security_group_rule_get_by_security_group` returns it. */
export interface LegacySecurityGroupRule {
  readonly id: number;
  readonly parent_group_id: number;
  readonly protocol: string | null;
  readonly from_port: number | null;
  readonly to_port: number | null;
  readonly cidr: string | null;
  readonly group_id: number | null;
}

export interface LegacySecurityGroup {
  readonly id: number;
  readonly name: string;
  readonly project_id: string | null;
}

export interface LegacyProviderFwRule {
  readonly protocol: string;
  readonly from_port: number;
  readonly to_port: number;
  readonly cidr: string;
}

export interface LegacyBlockDeviceMapping {
  readonly id: number;
  readonly instance_uuid: string;
  readonly device_name: string | null;
  readonly source_type: string | null;
  readonly destination_type: string | null;
  readonly volume_id: string | null;
  readonly connection_info: string | null;
  readonly boot_index: number | null;
  readonly [key: string]: unknown;
}

/**
 * The manager-side back-channel drivers get (Nova's VirtAPI). In release 1 it still carries
 * the raw conductor calls that drivers used before objects; each is tagged `@legacy`.
 */
export interface VirtAPI {
  /**
   * @legacy Update instance columns through the conductor's raw `instance_update`; returns
   * the row before and after. Replaced by setting attributes on the Instance and `save()`.
   */
  instance_update(ctx: RequestContext, instanceUuid: string, updates: Readonly<Record<string, unknown>>): Promise<[LegacyRow, LegacyRow]>;
  /** @legacy Raw `block_device_mapping_get_all_by_instance`; replaced by BlockDeviceMappingList.getByInstanceUuid. */
  block_device_mapping_get_all_by_instance(ctx: RequestContext, instanceUuid: string): Promise<LegacyBlockDeviceMapping[]>;
  /** @legacy Raw `security_group_get_by_instance`; replaced by SecurityGroupList.getByInstance. */
  security_group_get_by_instance(ctx: RequestContext, instanceUuid: string): Promise<LegacySecurityGroup[]>;
  /** @legacy Raw `security_group_rule_get_by_security_group`; replaced by SecurityGroupRuleList.getBySecurityGroup. */
  security_group_rule_get_by_security_group(ctx: RequestContext, securityGroupId: number): Promise<LegacySecurityGroupRule[]>;
  /** @legacy Raw `provider_fw_rule_get_all` (no object exists for it yet, as in Juno). */
  provider_fw_rule_get_all(ctx: RequestContext): Promise<LegacyProviderFwRule[]>;
  /**
   * Wait for named external events of an instance (e.g. `network-vif-plugged`) while `body`
   * runs; resolves after the body when all arrived, rejects with the body's error or on
   * `deadlineSeconds`. Not legacy: it survives the migration.
   */
  waitForInstanceEvent<T>(instance: Instance, eventNames: readonly string[], deadlineSeconds: number, body: () => Promise<T>): Promise<T>;
}
