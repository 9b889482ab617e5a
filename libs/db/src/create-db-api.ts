// Binds the per-table-family functions of src/api/ to one database as a DbApi.
import type { Database } from './connection/open.js';
import type { DbApi } from './db-api.js';
import { connOf } from './model/conn.js';
import * as act from './api/actions.js';
import * as agents from './api/agents.js';
import * as bdm from './api/block-devices.js';
import * as nodes from './api/compute-nodes.js';
import * as faults from './api/faults.js';
import * as flavors from './api/flavors.js';
import * as children from './api/instance-children.js';
import * as iread from './api/instance-read.js';
import * as iwrite from './api/instance-write.js';
import * as keys from './api/keypairs.js';
import * as migs from './api/migration-records.js';
import * as nets from './api/networks.js';
import * as sg from './api/security-groups.js';
import * as svc from './api/services.js';
import * as vols from './api/volumes.js';

type P<T> = Promise<T>;

/** Binds every DB API function to `database`. */
export function createDbApi(database: Database): DbApi {
  const c = connOf(database);
  return {
    database,
    close: () => database.close(),
    instance_create: (ctx, values, opts) => iwrite.instanceCreate(c, ctx, values, opts),
    instance_get_by_uuid: (ctx, uuid, opts) => iread.instanceGetByUuid(c, ctx, uuid, opts),
    instance_get: (ctx, id, opts) => iread.instanceGet(c, ctx, id, opts),
    instance_get_all_by_host: (ctx, host, opts) => iread.instanceGetAllByHost(c, ctx, host, opts),
    instance_get_all_by_host_and_node: (ctx, host, node, opts) => iread.instanceGetAllByHostAndNode(c, ctx, host, node, opts),
    instance_get_all_by_host_and_not_type: (ctx, host, typeId, opts) => iread.instanceGetAllByHostAndNotType(c, ctx, host, typeId, opts),
    instance_get_all_by_filters: (ctx, filters, opts) => iread.instanceGetAllByFilters(c, ctx, filters, opts),
    instance_get_all_hung_in_rebooting: (ctx, timeout, opts) => iread.instanceGetAllHungInRebooting(c, ctx, timeout, opts),
    instance_get_active_by_window_joined: (ctx, begin, end, projectId, host, opts) => iread.instanceGetActiveByWindowJoined(c, ctx, begin, end, projectId, host, opts),
    instance_get_all_by_security_group_id: (ctx, groupId, opts) => iread.instanceGetAllBySecurityGroupId(c, ctx, groupId, opts),
    instance_save: (ctx, uuid, values, opts) => iwrite.instanceSave(c, ctx, uuid, values, opts),
    instance_update_and_get_original: (ctx, uuid, values, opts) => iwrite.instanceUpdateAndGetOriginal(c, ctx, uuid, values, opts),
    instance_update: (ctx, uuid, updates) => iwrite.legacyInstanceUpdate(c, ctx, uuid, updates),
    instance_destroy: (ctx, uuid, opts) => iwrite.instanceDestroy(c, ctx, uuid, opts),
    instance_metadata_get: (_ctx, uuid) => children.metadataGet(c, 'instance_metadata', uuid) as P<Record<string, string>>,
    instance_metadata_update: (ctx, uuid, md, del) => children.metadataUpdate(c, ctx, 'instance_metadata', uuid, md, del) as P<Record<string, string>>,
    instance_metadata_delete: (_ctx, uuid, key) => children.metadataDelete(c, 'instance_metadata', uuid, key),
    instance_system_metadata_get: (_ctx, uuid) => children.metadataGet(c, 'instance_system_metadata', uuid),
    instance_system_metadata_update: (ctx, uuid, md, del) => children.metadataUpdate(c, ctx, 'instance_system_metadata', uuid, md, del),
    instance_info_cache_get: (_ctx, uuid) => children.infoCacheGet(c, uuid),
    instance_info_cache_update: (_ctx, uuid, values) => children.infoCacheUpdate(c, uuid, values),
    instance_info_cache_delete: (_ctx, uuid) => children.infoCacheDelete(c, uuid),

    block_device_mapping_create: (_ctx, values) => bdm.bdmCreate(c, values),
    block_device_mapping_get: (ctx, id) => bdm.bdmGet(c, ctx, id),
    block_device_mapping_update: (ctx, id, values) => bdm.bdmUpdate(c, ctx, id, values),
    block_device_mapping_update_or_create: (_ctx, values) => bdm.bdmUpdateOrCreate(c, values),
    block_device_mapping_get_all_by_instance: (ctx, uuid) => bdm.bdmGetAllByInstance(c, ctx, uuid),
    block_device_mapping_get_all_by_instance_uuids: (ctx, uuids) => bdm.bdmGetAllByInstanceUuids(c, ctx, uuids),
    block_device_mapping_get_by_volume_id: (ctx, volumeId, opts) => bdm.bdmGetByVolumeId(c, ctx, volumeId, opts),
    block_device_mapping_get_all_by_volume_ids: (ctx, volumeIds) => bdm.bdmGetAllByVolumeIds(c, ctx, volumeIds),
    block_device_mapping_destroy: (_ctx, id) => bdm.bdmDestroy(c, id),
    block_device_mapping_destroy_by_instance_and_volume: (_ctx, uuid, volumeId) => bdm.bdmDestroyByInstanceAndVolume(c, uuid, volumeId),
    block_device_mapping_destroy_by_instance_and_device: (_ctx, uuid, device) => bdm.bdmDestroyByInstanceAndDevice(c, uuid, device),

    security_group_create: (_ctx, values) => sg.securityGroupCreate(c, values),
    security_group_get: (ctx, id) => sg.securityGroupGet(c, ctx, id),
    security_group_get_by_name: (ctx, projectId, name) => sg.securityGroupGetByName(c, ctx, projectId, name),
    security_group_get_all: (ctx) => sg.securityGroupGetAll(c, ctx),
    security_group_get_by_project: (ctx, projectId) => sg.securityGroupGetByProject(c, ctx, projectId),
    security_group_get_by_instance: (ctx, uuid) => sg.securityGroupGetByInstance(c, ctx, uuid),
    security_group_update: (ctx, id, values) => sg.securityGroupUpdate(c, ctx, id, values),
    security_group_destroy: (_ctx, id) => sg.securityGroupDestroy(c, id),
    security_group_ensure_default: (_ctx, owner) => sg.securityGroupEnsureDefault(c, owner),
    security_group_in_use: (_ctx, groupId) => sg.securityGroupInUse(c, groupId),
    instance_add_security_group: (ctx, uuid, groupId) => sg.instanceAddSecurityGroup(c, ctx, uuid, groupId),
    instance_remove_security_group: (_ctx, uuid, groupId) => sg.instanceRemoveSecurityGroup(c, uuid, groupId),
    security_group_rule_create: (_ctx, values) => sg.securityGroupRuleCreate(c, values),
    security_group_rule_get: (ctx, id) => sg.securityGroupRuleGet(c, ctx, id),
    security_group_rule_get_by_security_group: (ctx, groupId) => sg.securityGroupRuleGetBySecurityGroup(c, ctx, groupId),
    security_group_rule_get_by_security_groups: (ctx, groupIds) => sg.securityGroupRuleGetBySecurityGroups(c, ctx, groupIds),
    security_group_rule_get_by_security_group_grantee: (ctx, groupId) => sg.securityGroupRuleGetBySecurityGroupGrantee(c, ctx, groupId),
    security_group_rule_get_by_instance: (ctx, uuid) => sg.securityGroupRuleGetByInstance(c, ctx, uuid),
    security_group_rule_destroy: (_ctx, id) => sg.securityGroupRuleDestroy(c, id),
    provider_fw_rule_create: (_ctx, values) => sg.providerFwRuleCreate(c, values),
    provider_fw_rule_get_all: (ctx) => sg.providerFwRuleGetAll(c, ctx),
    provider_fw_rule_destroy: (_ctx, id) => sg.providerFwRuleDestroy(c, id),

    flavor_create: (_ctx, values, projects) => flavors.flavorCreate(c, values, projects),
    flavor_get: (ctx, id) => flavors.flavorGet(c, ctx, id),
    flavor_get_by_name: (ctx, name) => flavors.flavorGetByName(c, ctx, name),
    flavor_get_by_flavor_id: (ctx, flavorid) => flavors.flavorGetByFlavorId(c, ctx, flavorid),
    flavor_get_all: (ctx, filters, opts) => flavors.flavorGetAll(c, ctx, filters, opts),
    flavor_destroy: (_ctx, name) => flavors.flavorDestroy(c, name),
    flavor_extra_specs_get: (_ctx, flavorid) => flavors.flavorExtraSpecsGet(c, flavorid),
    flavor_extra_specs_update_or_create: (_ctx, flavorid, specs) => flavors.flavorExtraSpecsUpdateOrCreate(c, flavorid, specs),
    flavor_extra_specs_delete: (_ctx, flavorid, key) => flavors.flavorExtraSpecsDelete(c, flavorid, key),
    flavor_access_get_by_flavor_id: (_ctx, flavorid) => flavors.flavorAccessGetByFlavorId(c, flavorid),
    flavor_access_add: (_ctx, flavorid, projectId) => flavors.flavorAccessAdd(c, flavorid, projectId),
    flavor_access_remove: (_ctx, flavorid, projectId) => flavors.flavorAccessRemove(c, flavorid, projectId),

    service_create: (_ctx, values) => svc.serviceCreate(c, values),
    service_get: (ctx, id, opts) => svc.serviceGet(c, ctx, id, opts),
    service_get_by_args: (ctx, host, binary) => svc.serviceGetByArgs(c, ctx, host, binary),
    service_get_by_compute_host: (ctx, host) => svc.serviceGetByComputeHost(c, ctx, host),
    service_get_by_host_and_topic: (ctx, host, topic) => svc.serviceGetByHostAndTopic(c, ctx, host, topic),
    service_get_all: (ctx, filters, opts) => svc.serviceGetAll(c, ctx, filters, opts),
    service_get_all_by_topic: (ctx, topic) => svc.serviceGetAllByTopic(c, ctx, topic),
    service_get_all_by_binary: (ctx, binary) => svc.serviceGetAllByBinary(c, ctx, binary),
    service_get_all_by_host: (ctx, host) => svc.serviceGetAllByHost(c, ctx, host),
    service_update: (ctx, id, values) => svc.serviceUpdate(c, ctx, id, values),
    service_destroy: (_ctx, id) => svc.serviceDestroy(c, id),
    service_report: (ctx, id, report) => svc.serviceReport(c, ctx, id, report),
    service_get_minimum_version: (_ctx, binary, opts) => svc.serviceGetMinimumVersion(c, binary, opts),
    compute_node_create: (_ctx, values) => nodes.computeNodeCreate(c, values),
    compute_node_get: (ctx, id) => nodes.computeNodeGet(c, ctx, id),
    compute_node_update: (ctx, id, values) => nodes.computeNodeUpdate(c, ctx, id, values),
    compute_node_get_all: (ctx) => nodes.computeNodeGetAll(c, ctx),
    compute_node_get_all_by_host: (ctx, host) => nodes.computeNodeGetAllByHost(c, ctx, host),
    compute_node_get_by_host_and_nodename: (ctx, host, nodename) => nodes.computeNodeGetByHostAndNodename(c, ctx, host, nodename),
    compute_node_get_by_service_id: (ctx, serviceId) => nodes.computeNodeGetByServiceId(c, ctx, serviceId),
    compute_nodes_get_by_service_id: (ctx, serviceId) => nodes.computeNodesGetByServiceId(c, ctx, serviceId),
    compute_node_search_by_hypervisor: (ctx, pattern) => nodes.computeNodeSearchByHypervisor(c, ctx, pattern),
    compute_node_delete: (_ctx, id) => nodes.computeNodeDelete(c, id),
    compute_node_statistics: () => nodes.computeNodeStatistics(c, svc.COMPUTE_TOPIC),
    migration_create: (_ctx, values) => migs.migrationCreate(c, values),
    migration_get: (ctx, id) => migs.migrationGet(c, ctx, id),
    migration_update: (ctx, id, values) => migs.migrationUpdate(c, ctx, id, values),
    migration_get_by_instance_and_status: (ctx, uuid, status) => migs.migrationGetByInstanceAndStatus(c, ctx, uuid, status),
    migration_get_unconfirmed_by_dest_compute: (ctx, window, dest) => migs.migrationGetUnconfirmedByDestCompute(c, ctx, window, dest),
    migration_get_in_progress_by_host_and_node: (ctx, host, node) => migs.migrationGetInProgressByHostAndNode(c, ctx, host, node),
    migration_get_all_by_filters: (ctx, filters) => migs.migrationGetAllByFilters(c, ctx, filters),

    instance_fault_create: (_ctx, values) => faults.instanceFaultCreate(c, values),
    instance_fault_get_by_instance_uuids: (ctx, uuids, opts) => faults.instanceFaultGetByInstanceUuids(c, ctx, uuids, opts),
    instance_fault_get_latest_for_instance: (ctx, uuid) => faults.instanceFaultGetLatestForInstance(c, ctx, uuid),
    action_start: (_ctx, values) => act.actionStart(c, values),
    action_finish: (_ctx, values) => act.actionFinish(c, values),
    actions_get: (ctx, uuid) => act.actionsGet(c, ctx, uuid),
    action_get_by_request_id: (ctx, uuid, requestId) => act.actionGetByRequestId(c, ctx, uuid, requestId),
    action_event_start: (_ctx, values) => act.actionEventStart(c, values),
    action_event_finish: (_ctx, values) => act.actionEventFinish(c, values),
    action_events_get: (ctx, actionId) => act.actionEventsGet(c, ctx, actionId),
    action_event_get_by_id: (ctx, actionId, eventId) => act.actionEventGetById(c, ctx, actionId, eventId),
    key_pair_create: (_ctx, values) => keys.keyPairCreate(c, values),
    key_pair_get: (ctx, userId, name) => keys.keyPairGet(c, ctx, userId, name),
    key_pair_get_all_by_user: (ctx, userId) => keys.keyPairGetAllByUser(c, ctx, userId),
    key_pair_count_by_user: (_ctx, userId) => keys.keyPairCountByUser(c, userId),
    key_pair_destroy: (_ctx, userId, name) => keys.keyPairDestroy(c, userId, name),
    agent_build_create: (_ctx, values) => agents.agentBuildCreate(c, values),
    agent_build_get_by_triple: (ctx, hv, os, arch) => agents.agentBuildGetByTriple(c, ctx, hv, os, arch),
    agent_build_get_all: (ctx, hv) => agents.agentBuildGetAll(c, ctx, hv),
    agent_build_update: (ctx, id, values) => agents.agentBuildUpdate(c, ctx, id, values),
    agent_build_destroy: (_ctx, id) => agents.agentBuildDestroy(c, id),

    network_create: (_ctx, values) => nets.networkCreate(c, values),
    network_get: (ctx, id) => nets.networkGet(c, ctx, id),
    network_get_all: (ctx) => nets.networkGetAll(c, ctx),
    virtual_interface_create: (_ctx, values) => nets.virtualInterfaceCreate(c, values),
    virtual_interface_get_by_instance: (ctx, uuid) => nets.virtualInterfaceGetByInstance(c, ctx, uuid),
    virtual_interface_delete_by_instance: (_ctx, uuid) => nets.virtualInterfaceDeleteByInstance(c, uuid),
    fixed_ip_create: (_ctx, values) => nets.fixedIpCreate(c, values),
    fixed_ip_bulk_create: (_ctx, values) => nets.fixedIpBulkCreate(c, values),
    fixed_ip_get: (ctx, id, opts) => nets.fixedIpGet(c, ctx, id, opts),
    fixed_ip_get_by_address: (ctx, address, opts) => nets.fixedIpGetByAddress(c, ctx, address, opts),
    fixed_ip_get_by_instance: (ctx, uuid, opts) => nets.fixedIpGetByInstance(c, ctx, uuid, opts),
    fixed_ip_associate: (ctx, address, uuid, opts) => nets.fixedIpAssociate(c, ctx, address, uuid, opts),
    fixed_ip_associate_pool: (ctx, networkId, uuid, host) => nets.fixedIpAssociatePool(c, ctx, networkId, uuid, host),
    fixed_ip_disassociate: (_ctx, address) => nets.fixedIpDisassociate(c, address),
    fixed_ip_update: (ctx, address, values) => nets.fixedIpUpdate(c, ctx, address, values),

    volume_create: (_ctx, values) => vols.volumeCreate(c, values),
    volume_get: (ctx, id) => vols.volumeGet(c, ctx, id),
    volume_get_all: (ctx, filters) => vols.volumeGetAll(c, ctx, filters),
    volume_update: (ctx, id, values, opts) => vols.volumeUpdate(c, ctx, id, values, opts),
    volume_destroy: (_ctx, id, opts) => vols.volumeDestroy(c, id, opts),
  };
}
