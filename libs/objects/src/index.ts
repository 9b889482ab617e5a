/**
 * @novakit/objects — the compute domain objects (namespace `nova`, `nova_object.*` keys) on
 * @novakit/versioned-objects. This first layer: Nova's instance states, the domain errors,
 * the request context and its oslo codec, the network model, and the DB API the objects
 * will call when they run locally (declared structurally; libs/db implements it).
 */
export { RequestContext, createRequestContextCodec, dbContextOf, generateRequestId, requestContextCodec } from './context.js';
export type { ContextAttachments, ReadDeleted, RequestContextInit } from './context.js';
export type { DbExpectedState, DbInstanceRow, DbPersistentRow, DbValues, InstanceJoinName, ObjectsDbApi, ObjectsDbContext } from './db-api.js';
export { POWER_STATE_NAMES, POWER_STATES, PowerState, TASK_STATES, TaskState, VM_STATES, VmState } from './states.js';
export { NetworkInfoSchema, SAMPLE_NETWORK_INFO, VifSchema, vifFixedIps, vifFloatingIps } from './network-model.js';
export type { NetworkInfo, Vif, VifFixedIp, VifIp, VifNetwork, VifRoute, VifSubnet } from './network-model.js';
export * from './errors.js';
