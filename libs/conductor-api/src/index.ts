/**
 * @novakit/conductor-api — the conductor RPC contract and its client: the object methods
 * (oslo's indirection API, so objects on a compute run their remotable methods on a
 * conductor), the legacy raw methods of release 1 (tagged `@legacy`), the `compute_task`
 * orchestration client, the version histories with release aliases, the wire kwargs as zod
 * schemas, and the allow-list of errors a conductor call may raise.
 *
 * ```ts
 * const transport = await createTransport('amqp://guest:guest@127.0.0.1:5672/');
 * const conductor = new ConductorClient(transport, { versionCap: 'auto' });
 * const ctx = RequestContext.withIndirection(RequestContext.create({ user_id, project_id }), conductor);
 * const inst = await Instance.getByUuid(ctx, uuid);      // object_class_action_versions
 * inst.task_state = TaskState.REBOOTING;
 * await inst.save({ expectedTaskState: null });        // object_action: updated_at comes back
 * await conductor.instance_update(ctx, uuid, { vm_state: 'active' });   // @legacy
 * await conductor.computeTask.live_migrate_instance(ctx, { instance: inst, host: null, block_migration: false, disk_over_commit: false });
 * ```
 */
export { ConductorClient } from './client.js';
export type { ConductorClientOptions } from './client.js';
export { ComputeTaskClient } from './compute-task-client.js';
export type {
  BuildInstancesRequest,
  ComputeTaskApi,
  ConductorLegacyApi,
  ConductorObjectApi,
  FilterProperties,
  LiveMigrateRequest,
} from './contract.js';
export type {
  LegacyBlockDeviceMapping,
  LegacyEventFinishValues,
  LegacyEventStartValues,
  LegacyFaultValues,
  LegacyInstance,
  LegacyProviderFwRule,
  LegacyRow,
  LegacySecurityGroup,
  LegacySecurityGroupRule,
  LegacyService,
} from './legacy-types.js';
export {
  capsForServiceVersion,
  COMPUTE_TASK_API,
  COMPUTE_TASK_METHOD_VERSIONS,
  COMPUTE_TASK_NAMESPACE,
  CONDUCTOR_API,
  CONDUCTOR_BINARY,
  CONDUCTOR_METHOD_VERSIONS,
  CONDUCTOR_TOPIC,
  CONDUCTOR_VERSION_BY_SERVICE_VERSION,
} from './versions.js';
export type { ComputeTaskMethod, ComputeTaskVersion, ConductorMethod, ConductorVersion } from './versions.js';
export { COMPUTE_TASK_METHOD_ARGS, LEGACY_METHOD_ARGS, ManifestSchema, NameSchema, OBJECT_METHOD_ARGS } from './wire-args.js';
export type { ComputeTaskMethodArgs, LegacyMethodArgs, ObjectMethodArgs } from './wire-args.js';
export {
  ComputeServiceUnavailable,
  ComputeTaskUnavailable,
  CONDUCTOR_CALL_ERRORS,
  CONDUCTOR_ERROR_NAMES,
  CONDUCTOR_ERRORS,
  ConductorTimeout,
  ConductorVersionTooOld,
  conductorErrorRegistry,
  ConstraintNotMet,
  DBDeadlock,
  DBDuplicateEntry,
  InstanceNotRunning,
  InstanceUpdateKeyNotAllowed,
  InvalidColumn,
  InvalidHypervisorType,
  MigrationPreCheckError,
  NoValidHost,
  UnableToMigrateToSelf,
} from './errors.js';
