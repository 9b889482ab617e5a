// The database as the objects see it: the subset of libs/db's DbApi that object methods
// call when they run locally (on the conductor side). Declared here, structurally, because
// this lib may not import libs/db or knex; test/db-api.types.test.ts proves libs/db's
// implementation fits. Names and argument order are libs/db's (Nova's nova.db.api).
//
// Rows are declared only as far as the objects read them by name; every other column is
// copied into the object field of the same name. Values we write are built from object
// fields, hence the loose `DbValues`.

/** What a query needs of the request: which rows a soft delete hides. */
export interface ObjectsDbContext {
  readonly readDeleted?: 'no' | 'yes' | 'only';
}

/** Column → value, built from an object's changed fields. */
export type DbValues = Readonly<Record<string, any>>;

export interface DbPersistentRow {
  created_at: Date | null;
  updated_at: Date | null;
  deleted_at: Date | null;
  deleted: boolean;
}

/** The instance attributes that live in other tables and are joined on request. */
export type InstanceJoinName = 'metadata' | 'system_metadata' | 'info_cache' | 'security_groups' | 'fault' | 'flavor';

/** One state, or any of several; `null` is "no task" (libs/db's ExpectedState). */
export type DbExpectedState = string | null | readonly (string | null)[];

export interface DbInstanceRow extends DbPersistentRow {
  id: number;
  uuid: string;
  metadata?: Record<string, string>;
  system_metadata?: Record<string, string | null>;
  info_cache?: DbInfoCacheRow | null;
  security_groups?: DbSecurityGroupRow[];
  fault?: DbInstanceFaultRow | null;
  /** The JSON kept in instance_extra; its shape belongs to this lib (see instance-rows.ts). */
  flavor?: unknown;
}

export interface DbInfoCacheRow extends DbPersistentRow {
  instance_uuid: string;
  network_info: unknown;
}

export interface DbSecurityGroupRow extends DbPersistentRow {
  id: number;
}

export interface DbSecurityGroupRuleRow extends DbPersistentRow {
  id: number;
  parent_group: DbSecurityGroupRow | null;
  grantee_group: DbSecurityGroupRow | null;
}

export interface DbInstanceFaultRow extends DbPersistentRow {
  id: number;
  instance_uuid: string;
}

export interface DbBlockDeviceMappingRow extends DbPersistentRow {
  id: number;
  instance_uuid: string;
  instance?: DbInstanceRow;
}

export interface DbFlavorRow extends DbPersistentRow {
  id: number;
  name: string;
  flavorid: string;
  extra_specs: Record<string, string | null>;
}

export interface DbServiceRow extends DbPersistentRow {
  id: number;
  compute_node?: DbComputeNodeRow[];
}

export interface DbComputeNodeRow extends DbPersistentRow {
  id: number;
}

export interface DbMigrationRow extends DbPersistentRow {
  id: number;
}

export interface DbInstanceActionRow extends DbPersistentRow {
  id: number;
}

export interface DbInstanceActionEventRow extends DbPersistentRow {
  id: number;
}

export interface DbKeyPairRow extends DbPersistentRow {
  id: number;
  name: string;
  user_id: string;
}

export interface DbAgentBuildRow extends DbPersistentRow {
  id: number;
}

export interface DbFixedIpRow extends DbPersistentRow {
  id: number;
  address: string;
  instance?: DbInstanceRow | null;
}

type Ctx = ObjectsDbContext;
type P<T> = Promise<T>;
type Joins = { columnsToJoin?: readonly InstanceJoinName[] };

export interface InstanceListQuery extends Joins {
  sortKey?: string;
  sortDir?: 'asc' | 'desc';
  limit?: number;
  marker?: string;
}

/**
 * The DB API the objects call. Errors come back with Nova's names (InstanceNotFound,
 * UnexpectedTaskStateError …) and are turned into this lib's classes by name.
 */
export interface ObjectsDbApi {
  instance_create(ctx: Ctx, values: DbValues, opts?: Joins): P<DbInstanceRow>;
  instance_get_by_uuid(ctx: Ctx, uuid: string, opts?: Joins): P<DbInstanceRow>;
  instance_get(ctx: Ctx, id: number, opts?: Joins): P<DbInstanceRow>;
  instance_get_all_by_host(ctx: Ctx, host: string, opts?: Joins): P<DbInstanceRow[]>;
  instance_get_all_by_host_and_node(ctx: Ctx, host: string, node: string, opts?: Joins): P<DbInstanceRow[]>;
  instance_get_all_by_filters(ctx: Ctx, filters?: DbValues, opts?: InstanceListQuery): P<DbInstanceRow[]>;
  /** One guarded UPDATE: the expected states are compared in the same statement. */
  instance_save(ctx: Ctx, uuid: string, values: DbValues, opts?: Joins & { expectedTaskState?: DbExpectedState; expectedVmState?: DbExpectedState }): P<DbInstanceRow>;
  instance_destroy(ctx: Ctx, uuid: string, opts?: Joins & { constraint?: { host?: string | null } }): P<DbInstanceRow>;
  instance_info_cache_get(ctx: Ctx, uuid: string): P<DbInfoCacheRow | null>;
  instance_info_cache_update(ctx: Ctx, uuid: string, values: { network_info?: unknown }): P<DbInfoCacheRow>;
  instance_info_cache_delete(ctx: Ctx, uuid: string): P<void>;

  block_device_mapping_create(ctx: Ctx, values: DbValues): P<DbBlockDeviceMappingRow>;
  block_device_mapping_update(ctx: Ctx, id: number, values: DbValues): P<DbBlockDeviceMappingRow>;
  block_device_mapping_update_or_create(ctx: Ctx, values: DbValues): P<DbBlockDeviceMappingRow>;
  block_device_mapping_get_all_by_instance(ctx: Ctx, uuid: string): P<DbBlockDeviceMappingRow[]>;
  block_device_mapping_get_all_by_instance_uuids(ctx: Ctx, uuids: readonly string[]): P<DbBlockDeviceMappingRow[]>;
  block_device_mapping_get_by_volume_id(
    ctx: Ctx,
    volumeId: string,
    opts?: { instanceUuid?: string; columnsToJoin?: readonly 'instance'[]; instanceJoins?: readonly InstanceJoinName[] },
  ): P<DbBlockDeviceMappingRow>;
  block_device_mapping_get_all_by_volume_ids(ctx: Ctx, volumeIds: readonly string[]): P<DbBlockDeviceMappingRow[]>;
  block_device_mapping_destroy(ctx: Ctx, id: number): P<void>;

  security_group_create(ctx: Ctx, values: DbValues): P<DbSecurityGroupRow>;
  security_group_get(ctx: Ctx, id: number): P<DbSecurityGroupRow>;
  security_group_get_by_name(ctx: Ctx, projectId: string, name: string): P<DbSecurityGroupRow>;
  security_group_get_all(ctx: Ctx): P<DbSecurityGroupRow[]>;
  security_group_get_by_project(ctx: Ctx, projectId: string): P<DbSecurityGroupRow[]>;
  security_group_get_by_instance(ctx: Ctx, uuid: string): P<DbSecurityGroupRow[]>;
  security_group_update(ctx: Ctx, id: number, values: DbValues): P<DbSecurityGroupRow>;
  security_group_in_use(ctx: Ctx, groupId: number): P<boolean>;
  /** Soft-deletes the group with its memberships and the rules naming it. SecurityGroupNotFound. */
  security_group_destroy(ctx: Ctx, id: number): P<void>;
  instance_add_security_group(ctx: Ctx, uuid: string, groupId: number): P<void>;
  instance_remove_security_group(ctx: Ctx, uuid: string, groupId: number): P<void>;
  security_group_rule_create(ctx: Ctx, values: DbValues & { parent_group_id: number }): P<DbSecurityGroupRuleRow>;
  security_group_rule_get(ctx: Ctx, id: number): P<DbSecurityGroupRuleRow>;
  security_group_rule_get_by_security_group(ctx: Ctx, groupId: number): P<DbSecurityGroupRuleRow[]>;
  security_group_rule_get_by_security_groups(ctx: Ctx, groupIds: readonly number[]): P<DbSecurityGroupRuleRow[]>;
  security_group_rule_get_by_instance(ctx: Ctx, uuid: string): P<DbSecurityGroupRuleRow[]>;
  /** SecurityGroupNotFoundForRule when no live rule has the id. */
  security_group_rule_destroy(ctx: Ctx, id: number): P<void>;

  flavor_create(
    ctx: Ctx,
    values: DbValues & { name: string; flavorid: string; memory_mb: number; vcpus: number; root_gb: number; ephemeral_gb: number },
    projects?: string[],
  ): P<DbFlavorRow>;
  flavor_get(ctx: Ctx, id: number): P<DbFlavorRow>;
  flavor_get_by_name(ctx: Ctx, name: string): P<DbFlavorRow>;
  flavor_get_by_flavor_id(ctx: Ctx, flavorid: string): P<DbFlavorRow>;
  flavor_get_all(ctx: Ctx, filters?: DbValues, opts?: { sortKey?: string; sortDir?: 'asc' | 'desc'; limit?: number; marker?: string }): P<DbFlavorRow[]>;
  flavor_destroy(ctx: Ctx, name: string): P<void>;
  flavor_extra_specs_get(ctx: Ctx, flavorid: string): P<Record<string, string | null>>;
  flavor_extra_specs_update_or_create(ctx: Ctx, flavorid: string, specs: Record<string, string>): P<Record<string, string | null>>;
  flavor_extra_specs_delete(ctx: Ctx, flavorid: string, key: string): P<void>;
  flavor_access_get_by_flavor_id(ctx: Ctx, flavorid: string): P<string[]>;
  flavor_access_add(ctx: Ctx, flavorid: string, projectId: string): P<void>;
  flavor_access_remove(ctx: Ctx, flavorid: string, projectId: string): P<void>;

  service_create(ctx: Ctx, values: DbValues & { host: string; binary: string }): P<DbServiceRow>;
  service_get(ctx: Ctx, id: number, opts?: { columnsToJoin?: readonly 'compute_node'[] }): P<DbServiceRow>;
  service_get_by_args(ctx: Ctx, host: string, binary: string): P<DbServiceRow>;
  service_get_by_compute_host(ctx: Ctx, host: string): P<DbServiceRow>;
  service_get_by_host_and_topic(ctx: Ctx, host: string, topic: string): P<DbServiceRow | null>;
  service_get_all(ctx: Ctx, filters?: { disabled?: boolean }): P<DbServiceRow[]>;
  service_get_all_by_topic(ctx: Ctx, topic: string): P<DbServiceRow[]>;
  service_get_all_by_binary(ctx: Ctx, binary: string): P<DbServiceRow[]>;
  service_get_all_by_host(ctx: Ctx, host: string): P<DbServiceRow[]>;
  service_update(ctx: Ctx, id: number, values: DbValues): P<DbServiceRow>;
  service_destroy(ctx: Ctx, id: number): P<void>;
  /** Heartbeat: report_count + 1 computed by the database, version recorded. */
  service_report(ctx: Ctx, id: number, report?: { version?: number }): P<DbServiceRow>;
  service_get_minimum_version(ctx: Ctx, binary: string, opts?: { upWithinSeconds?: number }): P<number | null>;

  compute_node_create(ctx: Ctx, values: DbValues): P<DbComputeNodeRow>;
  compute_node_get(ctx: Ctx, id: number): P<DbComputeNodeRow>;
  compute_node_update(ctx: Ctx, id: number, values: DbValues): P<DbComputeNodeRow>;
  compute_node_get_all(ctx: Ctx): P<DbComputeNodeRow[]>;
  compute_node_get_all_by_host(ctx: Ctx, host: string): P<DbComputeNodeRow[]>;
  compute_node_get_by_host_and_nodename(ctx: Ctx, host: string, nodename: string): P<DbComputeNodeRow>;
  compute_node_get_by_service_id(ctx: Ctx, serviceId: number): P<DbComputeNodeRow>;
  compute_node_search_by_hypervisor(ctx: Ctx, pattern: string): P<DbComputeNodeRow[]>;
  compute_node_delete(ctx: Ctx, id: number): P<void>;

  migration_create(ctx: Ctx, values: DbValues): P<DbMigrationRow>;
  migration_get(ctx: Ctx, id: number): P<DbMigrationRow>;
  migration_update(ctx: Ctx, id: number, values: DbValues): P<DbMigrationRow>;
  migration_get_by_instance_and_status(ctx: Ctx, uuid: string, status: string): P<DbMigrationRow>;
  migration_get_unconfirmed_by_dest_compute(ctx: Ctx, confirmWindowSeconds: number, destCompute: string): P<DbMigrationRow[]>;
  migration_get_in_progress_by_host_and_node(ctx: Ctx, host: string, node: string): P<DbMigrationRow[]>;
  migration_get_all_by_filters(ctx: Ctx, filters?: { status?: string | string[]; host?: string; source_compute?: string; instance_uuid?: string }): P<DbMigrationRow[]>;

  instance_fault_create(ctx: Ctx, values: DbValues & { instance_uuid: string; code: number }): P<DbInstanceFaultRow>;
  instance_fault_get_by_instance_uuids(ctx: Ctx, uuids: string[], opts?: { latest?: boolean }): P<Record<string, DbInstanceFaultRow[]>>;
  instance_fault_get_latest_for_instance(ctx: Ctx, uuid: string): P<DbInstanceFaultRow | null>;

  action_start(
    ctx: Ctx,
    values: { action: string; instance_uuid: string; request_id: string; user_id?: string | null; project_id?: string | null; start_time?: Date | string },
  ): P<DbInstanceActionRow>;
  action_finish(ctx: Ctx, values: { instance_uuid: string; request_id: string; finish_time?: Date | string }): P<DbInstanceActionRow>;
  actions_get(ctx: Ctx, uuid: string): P<DbInstanceActionRow[]>;
  action_get_by_request_id(ctx: Ctx, uuid: string, requestId: string): P<DbInstanceActionRow | null>;
  action_event_start(ctx: Ctx, values: { event: string; instance_uuid: string; request_id: string; host?: string | null }): P<DbInstanceActionEventRow>;
  action_event_finish(
    ctx: Ctx,
    values: { event: string; instance_uuid: string; request_id: string; result: string; traceback?: string | null },
  ): P<DbInstanceActionEventRow>;
  action_events_get(ctx: Ctx, actionId: number): P<DbInstanceActionEventRow[]>;
  action_event_get_by_id(ctx: Ctx, actionId: number, eventId: number): P<DbInstanceActionEventRow>;

  key_pair_create(ctx: Ctx, values: DbValues & { name: string; user_id: string }): P<DbKeyPairRow>;
  key_pair_get(ctx: Ctx, userId: string, name: string): P<DbKeyPairRow>;
  key_pair_get_all_by_user(ctx: Ctx, userId: string): P<DbKeyPairRow[]>;
  key_pair_count_by_user(ctx: Ctx, userId: string): P<number>;
  key_pair_destroy(ctx: Ctx, userId: string, name: string): P<void>;

  agent_build_create(ctx: Ctx, values: DbValues & { hypervisor: string; os: string; architecture: string }): P<DbAgentBuildRow>;
  agent_build_get_by_triple(ctx: Ctx, hypervisor: string, os: string, architecture: string): P<DbAgentBuildRow | null>;
  agent_build_get_all(ctx: Ctx, hypervisor?: string): P<DbAgentBuildRow[]>;
  agent_build_update(ctx: Ctx, id: number, values: DbValues): P<DbAgentBuildRow>;
  agent_build_destroy(ctx: Ctx, id: number): P<void>;

  fixed_ip_create(ctx: Ctx, values: DbValues & { address: string }): P<DbFixedIpRow>;
  fixed_ip_get(ctx: Ctx, id: number, opts?: { columnsToJoin?: readonly 'instance'[] }): P<DbFixedIpRow>;
  fixed_ip_get_by_address(ctx: Ctx, address: string, opts?: { columnsToJoin?: readonly 'instance'[] }): P<DbFixedIpRow>;
  fixed_ip_get_by_instance(ctx: Ctx, uuid: string): P<DbFixedIpRow[]>;
  fixed_ip_associate(ctx: Ctx, address: string, instanceUuid: string, opts?: { networkId?: number }): P<DbFixedIpRow>;
  fixed_ip_associate_pool(ctx: Ctx, networkId: number, instanceUuid: string, host?: string | null): P<DbFixedIpRow>;
  fixed_ip_disassociate(ctx: Ctx, address: string): P<void>;
  fixed_ip_update(ctx: Ctx, address: string, values: DbValues): P<DbFixedIpRow>;
}
