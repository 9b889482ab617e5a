/**
 * @novakit/objects — the compute domain objects (namespace `nova`, `nova_object.*` keys) on
 * @novakit/versioned-objects, with their version histories; the request context and the RPC
 * serializer; Nova's instance states; the domain errors.
 *
 * An object method marked remotable runs where the context says: with `ctx.indirection`
 * (a compute) it is sent to the conductor; with `ctx.db` (the conductor) it runs here
 * against the database. The DB side is the structural `ObjectsDbApi`, which libs/db
 * implements; this lib never imports it.
 *
 * ```ts
 * const ctx = RequestContext.withDb(RequestContext.admin(), createDbApi(database));  // conductor
 * const inst = await Instance.getByUuid(ctx, uuid, { expectedAttrs: ['metadata'] });
 * inst.task_state = TaskState.REBOOTING;
 * await inst.save({ expectedTaskState: null });   // UnexpectedTaskStateError if someone else won
 * await inst.obj_load_attr('fault');              // lazy: one remotable call
 * const rpcSerializer = new NovaObjectSerializer({ db });
 * ```
 */
export { objectRegistry, OBJECT_CLASSES } from './objects.js';
export { NovaObjectSerializer } from './serializer.js';
export { RequestContext, createRequestContextCodec, dbContextOf, generateRequestId, requestContextCodec } from './context.js';
export type { ContextAttachments, ReadDeleted, RequestContextInit } from './context.js';
export type {
  DbBlockDeviceMappingRow,
  DbComputeNodeRow,
  DbExpectedState,
  DbFixedIpRow,
  DbFlavorRow,
  DbInfoCacheRow,
  DbInstanceActionEventRow,
  DbInstanceActionRow,
  DbInstanceFaultRow,
  DbInstanceRow,
  DbKeyPairRow,
  DbAgentBuildRow,
  DbMigrationRow,
  DbPersistentRow,
  DbSecurityGroupRow,
  DbSecurityGroupRuleRow,
  DbServiceRow,
  DbValues,
  InstanceJoinName,
  InstanceListQuery,
  ObjectsDbApi,
  ObjectsDbContext,
} from './db-api.js';
export { DELETABLE_TASK_STATES, POWER_STATE_NAMES, POWER_STATES, PowerState, TASK_STATES, TaskState, VM_STATES, VmState } from './states.js';
export {
  NetworkInfoSchema,
  SAMPLE_NETWORK_INFO,
  VifFixedIpSchema,
  VifIpSchema,
  VifNetworkSchema,
  VifRouteSchema,
  VifSchema,
  VifSubnetSchema,
  vifFixedIps,
  vifFloatingIps,
} from './network-model.js';
export type { NetworkInfo, Vif, VifFixedIp, VifIp, VifNetwork, VifRoute, VifSubnet } from './network-model.js';
export { Instance } from './instance.js';
export type { InstanceGetOptions, InstanceSaveOptions } from './instance.js';
export { INSTANCE_DEFAULT_ATTRS, INSTANCE_OPTIONAL_ATTRS } from './instance-rows.js';
export type { InstanceOptionalAttr } from './instance-rows.js';
export { formatInstanceName } from './instance-name.js';
export { InstanceList } from './instance-list.js';
export type { InstanceFilters, InstanceListOptions, InstanceQuery } from './instance-list.js';
export { InstanceInfoCache } from './instance-info-cache.js';
export { BDM_DESTINATION_TYPES, BDM_SOURCE_TYPES, BlockDeviceMapping, BlockDeviceMappingList } from './block-device-mapping.js';
export type { BdmDestinationType, BdmGetByVolumeOptions, BdmSourceType } from './block-device-mapping.js';
export { Flavor, FlavorList } from './flavor.js';
export type { FlavorQuery } from './flavor.js';
export { SecurityGroup, SecurityGroupList } from './security-group.js';
export { SecurityGroupRule, SecurityGroupRuleList } from './security-group-rule.js';
export { Migration, MigrationList } from './migration.js';
export type { MigrationFilters } from './migration.js';
export { ComputeNode, ComputeNodeList } from './compute-node.js';
export { SERVICE_DOWN_SECONDS, SERVICE_VERSION, Service, ServiceList } from './service.js';
export { InstanceFault, InstanceFaultList } from './instance-fault.js';
export { InstanceAction, InstanceActionEvent, InstanceActionEventList, InstanceActionList } from './instance-action.js';
export type { EventFailure, WantResult } from './instance-action.js';
export { KeyPair, KeyPairList } from './keypair.js';
export { FixedIP, FixedIPList } from './fixed-ip.js';
export type { FixedIpGetOptions } from './fixed-ip.js';
export { Agent } from './agent.js';
export * from './errors.js';
