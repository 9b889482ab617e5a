// The DB API's type: every function the conductor side needs, bound to one database.
// Names and argument order follow Nova's `nova.db.api` (snake_case), so a legacy raw
// conductor method maps to the function of the same name. Every method takes the
// DbContext first and plain values after; every row returned is a plain dict shaped
// like the object's fields (booleans, Date timestamps, parsed JSON dicts). The objects
// lib declares a structurally compatible interface instead of importing this one.
import type { Database } from './connection/open.js';
import type { DbContext } from './context.js';
import type { ActionFinishValues, ActionStartValues, EventFinishValues, EventStartValues, InstanceActionEventRow, InstanceActionRow } from './api/actions.js';
import type { AgentBuildRow, AgentBuildValues } from './api/agents.js';
import type { BdmGetByVolumeOptions, BlockDeviceMappingRow, BlockDeviceMappingValues } from './api/block-devices.js';
import type { ComputeNodeRow, ComputeNodeStatistics, ComputeNodeValues } from './api/compute-nodes.js';
import type { InstanceFaultValues } from './api/faults.js';
import type { InstanceFaultRow } from './api/fault-model.js';
import type { FlavorFilters, FlavorListOptions, FlavorRow, FlavorValues } from './api/flavors.js';
import type { InstanceInfoCacheRow } from './api/info-cache-model.js';
import type { InstanceCreateValues, InstanceJoin, InstanceRow, InstanceValues } from './api/instance-model.js';
import type { InstanceFilters, InstanceGetOptions, InstanceListOptions } from './api/instance-read.js';
import type { InstanceDestroyOptions, InstanceSaveOptions } from './api/instance-write.js';
import type { KeyPairRow, KeyPairValues } from './api/keypairs.js';
import type { MigrationFilters, MigrationRow, MigrationValues } from './api/migration-records.js';
import type { FixedIpJoin, FixedIpRow, FixedIpValues, NetworkRow, NetworkValues, VirtualInterfaceRow, VirtualInterfaceValues } from './api/networks.js';
import type { ProviderFwRuleValues, SecurityGroupRuleValues, SecurityGroupValues } from './api/security-groups.js';
import type { ProviderFwRuleRow, SecurityGroupRow, SecurityGroupRuleRow } from './api/security-group-model.js';
import type { ServiceGetOptions, ServiceRow, ServiceValues } from './api/services.js';
import type { VolumeFilters, VolumeRow, VolumeValues } from './api/volumes.js';

type Ctx = DbContext;
type P<T> = Promise<T>;

/** Instances, their metadata dicts and info cache. */
export interface InstanceDbApi {
  /** Creates the instance with its metadata, extra, an info cache and security groups (by name). InstanceExists. */
  instance_create(ctx: Ctx, values: InstanceCreateValues, opts?: { columnsToJoin?: readonly InstanceJoin[] }): P<InstanceRow>;
  /** InstanceNotFound. Default joins: metadata, system_metadata, info_cache, security_groups. */
  instance_get_by_uuid(ctx: Ctx, uuid: string, opts?: InstanceGetOptions): P<InstanceRow>;
  instance_get(ctx: Ctx, id: number, opts?: InstanceGetOptions): P<InstanceRow>;
  instance_get_all_by_host(ctx: Ctx, host: string, opts?: InstanceGetOptions): P<InstanceRow[]>;
  instance_get_all_by_host_and_node(ctx: Ctx, host: string, node: string, opts?: InstanceGetOptions): P<InstanceRow[]>;
  instance_get_all_by_host_and_not_type(ctx: Ctx, host: string, typeId: number | null, opts?: InstanceGetOptions): P<InstanceRow[]>;
  /** Filters, sort key/dir (default created_at desc), limit, marker (uuid). InvalidSortKey, MarkerNotFound, InvalidColumn. */
  instance_get_all_by_filters(ctx: Ctx, filters?: InstanceFilters, opts?: InstanceListOptions): P<InstanceRow[]>;
  instance_get_all_hung_in_rebooting(ctx: Ctx, timeoutSeconds: number, opts?: InstanceGetOptions): P<InstanceRow[]>;
  instance_get_active_by_window_joined(ctx: Ctx, begin: Date | string, end?: Date | string | null, projectId?: string | null, host?: string | null, opts?: InstanceGetOptions): P<InstanceRow[]>;
  instance_get_all_by_security_group_id(ctx: Ctx, groupId: number, opts?: InstanceGetOptions): P<InstanceRow[]>;
  /**
   * The object-save path: writes the given fields (dicts replace the stored ones) in one
   * guarded UPDATE. InstanceNotFound, UnexpectedTaskStateError (or its Deleting variant),
   * UnexpectedVMStateError. Returns the row with `opts.columnsToJoin` (default none).
   */
  instance_save(ctx: Ctx, uuid: string, values: InstanceValues, opts?: InstanceSaveOptions): P<InstanceRow>;
  /** As instance_save, returning [before, after] (both with `opts.columnsToJoin`). */
  instance_update_and_get_original(ctx: Ctx, uuid: string, values: InstanceValues, opts?: InstanceSaveOptions): P<[InstanceRow, InstanceRow]>;
  /**
   * @legacy The conductor's raw `instance_update(uuid, updates)`: keys limited to
   * INSTANCE_UPDATE_ALLOWED_KEYS (else InstanceUpdateKeyNotAllowed), `expected_task_state`
   * inside `updates`. Returns the new row with the default joins.
   */
  instance_update(ctx: Ctx, uuid: string, updates: Record<string, unknown>): P<InstanceRow>;
  /** Soft-deletes the instance and its children. ConstraintNotMet when `constraint` fails. */
  instance_destroy(ctx: Ctx, uuid: string, opts?: InstanceDestroyOptions): P<InstanceRow>;
  instance_metadata_get(ctx: Ctx, uuid: string): P<Record<string, string>>;
  instance_metadata_update(ctx: Ctx, uuid: string, metadata: Record<string, string>, deleteOthers: boolean): P<Record<string, string>>;
  instance_metadata_delete(ctx: Ctx, uuid: string, key: string): P<void>;
  instance_system_metadata_get(ctx: Ctx, uuid: string): P<Record<string, string | null>>;
  instance_system_metadata_update(ctx: Ctx, uuid: string, metadata: Record<string, string | null>, deleteOthers: boolean): P<Record<string, string | null>>;
  instance_info_cache_get(ctx: Ctx, uuid: string): P<InstanceInfoCacheRow | null>;
  /** Writes network_info (JSON value or text); InstanceInfoCacheNotFound if the cache was deleted. */
  instance_info_cache_update(ctx: Ctx, uuid: string, values: { network_info?: unknown }): P<InstanceInfoCacheRow>;
  instance_info_cache_delete(ctx: Ctx, uuid: string): P<void>;
}

export interface BlockDeviceDbApi {
  block_device_mapping_create(ctx: Ctx, values: BlockDeviceMappingValues): P<BlockDeviceMappingRow>;
  /** BDMNotFound. */
  block_device_mapping_get(ctx: Ctx, id: number): P<BlockDeviceMappingRow>;
  block_device_mapping_update(ctx: Ctx, id: number, values: BlockDeviceMappingValues): P<BlockDeviceMappingRow>;
  /** @legacy Update the instance's mapping of `device_name`, or create; one swap mapping per instance. */
  block_device_mapping_update_or_create(ctx: Ctx, values: BlockDeviceMappingValues): P<BlockDeviceMappingRow>;
  /** @legacy */
  block_device_mapping_get_all_by_instance(ctx: Ctx, uuid: string): P<BlockDeviceMappingRow[]>;
  /**
   * The live mappings of every instance in `uuids` (duplicates ignored), in id order, so each
   * instance's mappings come in the order block_device_mapping_get_all_by_instance gives them.
   * One query per 500 uuids (bound-parameter limits); an empty list asks nothing.
   */
  block_device_mapping_get_all_by_instance_uuids(ctx: Ctx, uuids: readonly string[]): P<BlockDeviceMappingRow[]>;
  /** VolumeBDMNotFound. */
  block_device_mapping_get_by_volume_id(ctx: Ctx, volumeId: string, opts?: BdmGetByVolumeOptions): P<BlockDeviceMappingRow>;
  /**
   * The live mappings of every volume in `volumeIds` (duplicates ignored), in id order, without
   * their instances: a volume's last mapping is the one block_device_mapping_get_by_volume_id
   * gives. One query per 500 ids (bound-parameter limits); an empty list asks nothing.
   */
  block_device_mapping_get_all_by_volume_ids(ctx: Ctx, volumeIds: readonly string[]): P<BlockDeviceMappingRow[]>;
  block_device_mapping_destroy(ctx: Ctx, id: number): P<void>;
  block_device_mapping_destroy_by_instance_and_volume(ctx: Ctx, uuid: string, volumeId: string): P<void>;
  block_device_mapping_destroy_by_instance_and_device(ctx: Ctx, uuid: string, deviceName: string): P<void>;
}

export interface SecurityDbApi {
  /** SecurityGroupExists. */
  security_group_create(ctx: Ctx, values: SecurityGroupValues): P<SecurityGroupRow>;
  /** SecurityGroupNotFound. */
  security_group_get(ctx: Ctx, id: number): P<SecurityGroupRow>;
  /** SecurityGroupNotFoundForProject. */
  security_group_get_by_name(ctx: Ctx, projectId: string, name: string): P<SecurityGroupRow>;
  security_group_get_all(ctx: Ctx): P<SecurityGroupRow[]>;
  security_group_get_by_project(ctx: Ctx, projectId: string): P<SecurityGroupRow[]>;
  /** @legacy */
  security_group_get_by_instance(ctx: Ctx, uuid: string): P<SecurityGroupRow[]>;
  security_group_update(ctx: Ctx, id: number, values: SecurityGroupValues): P<SecurityGroupRow>;
  security_group_destroy(ctx: Ctx, id: number): P<void>;
  security_group_ensure_default(ctx: Ctx, owner: { project_id: string | null; user_id: string | null }): P<SecurityGroupRow>;
  security_group_in_use(ctx: Ctx, groupId: number): P<boolean>;
  instance_add_security_group(ctx: Ctx, uuid: string, groupId: number): P<void>;
  instance_remove_security_group(ctx: Ctx, uuid: string, groupId: number): P<void>;
  security_group_rule_create(ctx: Ctx, values: SecurityGroupRuleValues): P<SecurityGroupRuleRow>;
  /** SecurityGroupNotFoundForRule. */
  security_group_rule_get(ctx: Ctx, id: number): P<SecurityGroupRuleRow>;
  /** @legacy Rules whose parent is the group, with parent_group and grantee_group joined. */
  security_group_rule_get_by_security_group(ctx: Ctx, groupId: number): P<SecurityGroupRuleRow[]>;
  /**
   * The rules whose parent is any group in `groupIds` (duplicates ignored), in id order, so each
   * group's rules come in the order security_group_rule_get_by_security_group gives them, with
   * the same groups joined. One query per 500 ids (bound-parameter limits); none for an empty list.
   */
  security_group_rule_get_by_security_groups(ctx: Ctx, groupIds: readonly number[]): P<SecurityGroupRuleRow[]>;
  security_group_rule_get_by_security_group_grantee(ctx: Ctx, groupId: number): P<SecurityGroupRuleRow[]>;
  security_group_rule_get_by_instance(ctx: Ctx, uuid: string): P<SecurityGroupRuleRow[]>;
  security_group_rule_destroy(ctx: Ctx, id: number): P<void>;
  provider_fw_rule_create(ctx: Ctx, values: ProviderFwRuleValues): P<ProviderFwRuleRow>;
  /** @legacy */
  provider_fw_rule_get_all(ctx: Ctx): P<ProviderFwRuleRow[]>;
  provider_fw_rule_destroy(ctx: Ctx, id: number): P<void>;
}

export interface FlavorDbApi {
  /** FlavorExists, FlavorIdExists. */
  flavor_create(ctx: Ctx, values: FlavorValues, projects?: string[]): P<FlavorRow>;
  /** FlavorNotFound. */
  flavor_get(ctx: Ctx, id: number): P<FlavorRow>;
  /** FlavorNotFoundByName. */
  flavor_get_by_name(ctx: Ctx, name: string): P<FlavorRow>;
  flavor_get_by_flavor_id(ctx: Ctx, flavorid: string): P<FlavorRow>;
  flavor_get_all(ctx: Ctx, filters?: FlavorFilters, opts?: FlavorListOptions): P<FlavorRow[]>;
  flavor_destroy(ctx: Ctx, name: string): P<void>;
  flavor_extra_specs_get(ctx: Ctx, flavorid: string): P<Record<string, string | null>>;
  flavor_extra_specs_update_or_create(ctx: Ctx, flavorid: string, specs: Record<string, string>): P<Record<string, string | null>>;
  flavor_extra_specs_delete(ctx: Ctx, flavorid: string, key: string): P<void>;
  flavor_access_get_by_flavor_id(ctx: Ctx, flavorid: string): P<string[]>;
  flavor_access_add(ctx: Ctx, flavorid: string, projectId: string): P<void>;
  flavor_access_remove(ctx: Ctx, flavorid: string, projectId: string): P<void>;
}

export interface ComputeDbApi {
  /** Registers a service; ServiceBinaryExists / ServiceTopicExists. */
  service_create(ctx: Ctx, values: ServiceValues & { host: string; binary: string }): P<ServiceRow>;
  /** ServiceNotFound. */
  service_get(ctx: Ctx, id: number, opts?: ServiceGetOptions): P<ServiceRow>;
  /** HostBinaryNotFound. */
  service_get_by_args(ctx: Ctx, host: string, binary: string): P<ServiceRow>;
  /** @legacy The host's compute service with `compute_node` joined. ComputeHostNotFound. */
  service_get_by_compute_host(ctx: Ctx, host: string): P<ServiceRow>;
  service_get_by_host_and_topic(ctx: Ctx, host: string, topic: string): P<ServiceRow | null>;
  service_get_all(ctx: Ctx, filters?: { disabled?: boolean }, opts?: ServiceGetOptions): P<ServiceRow[]>;
  service_get_all_by_topic(ctx: Ctx, topic: string): P<ServiceRow[]>;
  service_get_all_by_binary(ctx: Ctx, binary: string): P<ServiceRow[]>;
  service_get_all_by_host(ctx: Ctx, host: string): P<ServiceRow[]>;
  service_update(ctx: Ctx, id: number, values: ServiceValues): P<ServiceRow>;
  service_destroy(ctx: Ctx, id: number): P<void>;
  /** Heartbeat: report_count + 1 in SQL, updated_at/last_seen_up = now, version if given. */
  service_report(ctx: Ctx, id: number, report?: { version?: number }): P<ServiceRow>;
  /** Minimum `version` of a binary's services (live within `upWithinSeconds` if given); null if none. */
  service_get_minimum_version(ctx: Ctx, binary: string, opts?: { upWithinSeconds?: number }): P<number | null>;
  compute_node_create(ctx: Ctx, values: ComputeNodeValues): P<ComputeNodeRow>;
  /** ComputeHostNotFound (host = id). */
  compute_node_get(ctx: Ctx, id: number): P<ComputeNodeRow>;
  /** @legacy ComputeHostNotFound. */
  compute_node_update(ctx: Ctx, id: number, values: ComputeNodeValues): P<ComputeNodeRow>;
  compute_node_get_all(ctx: Ctx): P<ComputeNodeRow[]>;
  /** ComputeHostNotFound when the host has no node. */
  compute_node_get_all_by_host(ctx: Ctx, host: string): P<ComputeNodeRow[]>;
  compute_node_get_by_host_and_nodename(ctx: Ctx, host: string, nodename: string): P<ComputeNodeRow>;
  /** ServiceNotFound when the service has no node. */
  compute_node_get_by_service_id(ctx: Ctx, serviceId: number): P<ComputeNodeRow>;
  compute_nodes_get_by_service_id(ctx: Ctx, serviceId: number): P<ComputeNodeRow[]>;
  compute_node_search_by_hypervisor(ctx: Ctx, pattern: string): P<ComputeNodeRow[]>;
  compute_node_delete(ctx: Ctx, id: number): P<void>;
  compute_node_statistics(ctx: Ctx): P<ComputeNodeStatistics>;
  migration_create(ctx: Ctx, values: MigrationValues): P<MigrationRow>;
  /** MigrationNotFound. */
  migration_get(ctx: Ctx, id: number): P<MigrationRow>;
  migration_update(ctx: Ctx, id: number, values: MigrationValues): P<MigrationRow>;
  /** MigrationNotFoundByStatus. */
  migration_get_by_instance_and_status(ctx: Ctx, uuid: string, status: string): P<MigrationRow>;
  migration_get_unconfirmed_by_dest_compute(ctx: Ctx, confirmWindowSeconds: number, destCompute: string): P<MigrationRow[]>;
  migration_get_in_progress_by_host_and_node(ctx: Ctx, host: string, node: string): P<MigrationRow[]>;
  migration_get_all_by_filters(ctx: Ctx, filters?: MigrationFilters): P<MigrationRow[]>;
}

export interface RecordsDbApi {
  /** @legacy */
  instance_fault_create(ctx: Ctx, values: InstanceFaultValues): P<InstanceFaultRow>;
  instance_fault_get_by_instance_uuids(ctx: Ctx, uuids: string[], opts?: { latest?: boolean }): P<Record<string, InstanceFaultRow[]>>;
  instance_fault_get_latest_for_instance(ctx: Ctx, uuid: string): P<InstanceFaultRow | null>;
  action_start(ctx: Ctx, values: ActionStartValues): P<InstanceActionRow>;
  /** InstanceActionNotFound. */
  action_finish(ctx: Ctx, values: ActionFinishValues): P<InstanceActionRow>;
  actions_get(ctx: Ctx, uuid: string): P<InstanceActionRow[]>;
  action_get_by_request_id(ctx: Ctx, uuid: string, requestId: string): P<InstanceActionRow | null>;
  /** @legacy InstanceActionNotFound. */
  action_event_start(ctx: Ctx, values: EventStartValues): P<InstanceActionEventRow>;
  /** @legacy InstanceActionNotFound, InstanceActionEventNotFound. */
  action_event_finish(ctx: Ctx, values: EventFinishValues): P<InstanceActionEventRow>;
  action_events_get(ctx: Ctx, actionId: number): P<InstanceActionEventRow[]>;
  action_event_get_by_id(ctx: Ctx, actionId: number, eventId: number): P<InstanceActionEventRow>;
  /** KeyPairExists. */
  key_pair_create(ctx: Ctx, values: KeyPairValues): P<KeyPairRow>;
  /** KeypairNotFound. */
  key_pair_get(ctx: Ctx, userId: string, name: string): P<KeyPairRow>;
  key_pair_get_all_by_user(ctx: Ctx, userId: string): P<KeyPairRow[]>;
  key_pair_count_by_user(ctx: Ctx, userId: string): P<number>;
  key_pair_destroy(ctx: Ctx, userId: string, name: string): P<void>;
  agent_build_create(ctx: Ctx, values: AgentBuildValues): P<AgentBuildRow>;
  agent_build_get_by_triple(ctx: Ctx, hypervisor: string, os: string, architecture: string): P<AgentBuildRow | null>;
  agent_build_get_all(ctx: Ctx, hypervisor?: string): P<AgentBuildRow[]>;
  agent_build_update(ctx: Ctx, id: number, values: Partial<AgentBuildValues>): P<AgentBuildRow>;
  agent_build_destroy(ctx: Ctx, id: number): P<void>;
}

export interface NetworkDbApi {
  network_create(ctx: Ctx, values: NetworkValues): P<NetworkRow>;
  network_get(ctx: Ctx, id: number): P<NetworkRow>;
  network_get_all(ctx: Ctx): P<NetworkRow[]>;
  virtual_interface_create(ctx: Ctx, values: VirtualInterfaceValues): P<VirtualInterfaceRow>;
  virtual_interface_get_by_instance(ctx: Ctx, uuid: string): P<VirtualInterfaceRow[]>;
  virtual_interface_delete_by_instance(ctx: Ctx, uuid: string): P<void>;
  fixed_ip_create(ctx: Ctx, values: FixedIpValues): P<FixedIpRow>;
  fixed_ip_bulk_create(ctx: Ctx, values: FixedIpValues[]): P<void>;
  fixed_ip_get(ctx: Ctx, id: number, opts?: { columnsToJoin?: readonly FixedIpJoin[] }): P<FixedIpRow>;
  fixed_ip_get_by_address(ctx: Ctx, address: string, opts?: { columnsToJoin?: readonly FixedIpJoin[] }): P<FixedIpRow>;
  fixed_ip_get_by_instance(ctx: Ctx, uuid: string, opts?: { columnsToJoin?: readonly FixedIpJoin[] }): P<FixedIpRow[]>;
  fixed_ip_associate(ctx: Ctx, address: string, instanceUuid: string, opts?: { networkId?: number }): P<FixedIpRow>;
  fixed_ip_associate_pool(ctx: Ctx, networkId: number, instanceUuid: string, host?: string | null): P<FixedIpRow>;
  fixed_ip_disassociate(ctx: Ctx, address: string): P<void>;
  fixed_ip_update(ctx: Ctx, address: string, values: Partial<FixedIpValues>): P<FixedIpRow>;
}

export interface VolumeDbApi {
  volume_create(ctx: Ctx, values: VolumeValues & { size_gb: number }): P<VolumeRow>;
  /** VolumeNotFound. */
  volume_get(ctx: Ctx, id: string): P<VolumeRow>;
  volume_get_all(ctx: Ctx, filters?: VolumeFilters): P<VolumeRow[]>;
  /** Guarded by `expectedStatus` in the same statement: UnexpectedVolumeStatusError. */
  volume_update(ctx: Ctx, id: string, values: VolumeValues, opts?: { expectedStatus?: string | readonly string[] }): P<VolumeRow>;
  volume_destroy(ctx: Ctx, id: string, opts?: { expectedStatus?: string | readonly string[] }): P<void>;
}

/** The whole DB API, bound to one open database. */
export interface DbApi extends InstanceDbApi, BlockDeviceDbApi, SecurityDbApi, FlavorDbApi, ComputeDbApi, RecordsDbApi, NetworkDbApi, VolumeDbApi {
  /** The database this API is bound to (dialect, redacted URL); close it with `close()`. */
  readonly database: Database;
  close(): Promise<void>;
}
