// The conductor contract (style rule 1: the contract file is the spec). Three parts:
// - ConductorObjectApi: oslo's indirection API; a compute sets the client as its contexts'
//   `indirection` and every remotable method runs on a conductor.
// - ConductorLegacyApi: the raw DB-proxy methods release-1 computes and drivers still call,
//   plain dicts in and out. Each is tagged `@legacy`: the migration tracker finds every
//   caller through the tag, and removing them is a major RPC version.
// - ComputeTaskApi: orchestration (`compute_task` namespace), with its own history.
// Wire method and kwarg names are Nova's; the TypeScript parameters follow them in order.
import type { BlockDeviceMapping, Instance, RequestContext } from '@novakit/objects';
import type { IndirectionApi } from '@novakit/versioned-objects';
import type {
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

/**
 * The object methods (CONDUCTOR_API 1.1, 1.2), with oslo's wire names and kwargs:
 * - `object_class_action_versions(objname, objmethod, object_versions, args, kwargs)`: run a
 *   remotable class method; an object result comes back levelled to `object_versions`.
 * - `object_action(objinst, objmethod, args, kwargs)` → `[updates, result]`: run a remotable
 *   method on a copy of `objinst`; `updates` holds every field the method changed (primitives)
 *   and `obj_what_changed`, which the caller applies to its own object.
 * - `object_backport_versions(objinst, object_versions)`: `objinst` (a primitive the caller
 *   could not read) levelled to `object_versions`.
 * Refusals are typed: an unregistered object (UnsupportedObjectError), a method that is not a
 * declared remotable (NotRemotableError), a malformed primitive (MalformedPrimitiveError,
 * FieldValueError), malformed arguments (InvalidArguments). Nothing refused is executed.
 */
export type ConductorObjectApi = IndirectionApi;

/** Plain-dict DB proxy methods of release 1 (CONDUCTOR_API 1.0). Errors: the objects' NotFound classes by name. */
export interface ConductorLegacyApi {
  /**
   * @legacy The instance row with `columns_to_join` (default: metadata, system_metadata,
   * info_cache, security_groups). InstanceNotFound. Replaced by `Instance.getByUuid`.
   */
  instance_get_by_uuid(ctx: RequestContext, instanceUuid: string, columnsToJoin?: readonly string[]): Promise<LegacyInstance>;
  /** @legacy Instances on `host` (and `node`, when given). Replaced by `InstanceList.getByHost(AndNode)`. */
  instance_get_all_by_host(ctx: RequestContext, host: string, node?: string | null): Promise<LegacyInstance[]>;
  /**
   * @legacy Nova's conductor `instance_update`: `updates` limited to Nova's allowed keys
   * (else InstanceUpdateKeyNotAllowed); `expected_task_state` in `updates` is compared in
   * the same UPDATE (UnexpectedTaskStateError). Returns the updated instance. Replaced by
   * setting attributes on the Instance and `save({ expectedTaskState })`.
   */
  instance_update(ctx: RequestContext, instanceUuid: string, updates: Readonly<Record<string, unknown>>, service?: string | null): Promise<LegacyInstance>;
  /**
   * @legacy As instance_update, returning `[before, after]`: what VirtAPI.instance_update
   * gives drivers (Nova's DB API of that name). Replaced by `instance.save()`.
   */
  instance_update_and_get_original(ctx: RequestContext, instanceUuid: string, updates: Readonly<Record<string, unknown>>): Promise<[LegacyInstance, LegacyInstance]>;
  /** @legacy The instance's live mappings. Replaced by `BlockDeviceMappingList.getByInstanceUuid`. */
  block_device_mapping_get_all_by_instance(ctx: RequestContext, instanceUuid: string): Promise<LegacyBlockDeviceMapping[]>;
  /**
   * @legacy Nova's `block_device_mapping_update_or_create(values, create)`: `create` true
   * inserts, false updates the mapping `values.id` (BDMNotFound), absent updates the instance's
   * mapping of the same device or inserts. Replaced by `bdm.create()` / `bdm.save()` / `bdm.updateOrCreate()`.
   */
  block_device_mapping_update_or_create(ctx: RequestContext, values: Readonly<Record<string, unknown>>, create?: boolean | null): Promise<LegacyBlockDeviceMapping>;
  /** @legacy The instance's security groups. Replaced by `SecurityGroupList.getByInstance`. */
  security_group_get_by_instance(ctx: RequestContext, instanceUuid: string): Promise<LegacySecurityGroup[]>;
  /** @legacy Rules whose parent is the group. Replaced by `SecurityGroupRuleList.getBySecurityGroupId`. */
  security_group_rule_get_by_security_group(ctx: RequestContext, securityGroupId: number): Promise<LegacySecurityGroupRule[]>;
  /** @legacy Provider firewall rules (no object exists for them, as in Juno). */
  provider_fw_rule_get_all(ctx: RequestContext): Promise<LegacyProviderFwRule[]>;
  /** @legacy Records a fault (message cut to 255 characters). Replaced by `InstanceFault.create`. */
  instance_fault_create(ctx: RequestContext, values: LegacyFaultValues): Promise<LegacyRow>;
  /** @legacy Starts an event of the request's action. InstanceActionNotFound. Replaced by `InstanceActionEvent.eventStart`. */
  action_event_start(ctx: RequestContext, values: LegacyEventStartValues): Promise<LegacyRow>;
  /** @legacy Finishes an event. InstanceActionNotFound, InstanceActionEventNotFound. Replaced by `InstanceActionEvent.eventFinish`. */
  action_event_finish(ctx: RequestContext, values: LegacyEventFinishValues): Promise<LegacyRow>;
  /** @legacy The agent build for a hypervisor/os/architecture, or null. Replaced by `Agent.getByTriple`. */
  agent_build_get_by_triple(ctx: RequestContext, hypervisor: string, os: string, architecture: string): Promise<LegacyRow | null>;
  /** @legacy The host's compute service with its `compute_node` list. ComputeHostNotFound. Replaced by `Service.getByComputeHost`. */
  service_get_by_compute_host(ctx: RequestContext, host: string): Promise<LegacyService>;
  /** @legacy Writes service columns (disabled, disabled_reason, forced_down …). ServiceNotFound. Replaced by `service.save()`. */
  service_update(ctx: RequestContext, serviceId: number, values: Readonly<Record<string, unknown>>): Promise<LegacyService>;
  /** @legacy The resource tracker's first report of a node. Replaced by `ComputeNode.create`. */
  compute_node_create(ctx: RequestContext, values: Readonly<Record<string, unknown>>): Promise<LegacyRow>;
  /** @legacy A node's resource report. ComputeHostNotFound. Replaced by `computeNode.save()`. */
  compute_node_update(ctx: RequestContext, nodeId: number, values: Readonly<Record<string, unknown>>): Promise<LegacyRow>;
  /** @legacy Removes a node the driver no longer reports. Replaced by `computeNode.destroy()`. */
  compute_node_delete(ctx: RequestContext, nodeId: number): Promise<void>;
  /** @legacy Migrations still moving resources on a node (resource tracker). Replaced by `MigrationList.getInProgressByHostAndNode`. */
  migration_get_in_progress_by_host_and_node(ctx: RequestContext, host: string, node: string): Promise<LegacyRow[]>;
}

/** What the scheduler is told besides the flavor: Nova's filter_properties subset. */
export interface FilterProperties {
  /** Hosts never to pick (e.g. the source of a migration, hosts already tried). */
  readonly ignore_hosts?: readonly string[];
  /** Only these hosts may be picked (an admin's `availability_zone:host`). */
  readonly force_hosts?: readonly string[];
}

export interface BuildInstancesRequest {
  /**
   * Instances to create, not yet created: uuid, display_name, project/user, image_ref and the
   * flavor's resources (memory_mb, vcpus, root_gb, ephemeral_gb) set. They are created in
   * vm_state building / task_state scheduling.
   */
  readonly instances: readonly Instance[];
  /** Image properties (the driver's ImageMeta). */
  readonly image: Readonly<Record<string, unknown>>;
  readonly filter_properties?: FilterProperties;
  readonly admin_password?: string | null;
  /** `[path, contents]` pairs. */
  readonly injected_files?: ReadonlyArray<readonly [string, string]>;
  readonly requested_networks?: ReadonlyArray<Readonly<Record<string, unknown>>> | null;
  readonly security_groups?: readonly string[];
  /** Mappings of the first instance (created with it when they have no id). */
  readonly block_device_mapping?: readonly BlockDeviceMapping[];
}

export interface LiveMigrateRequest {
  /** The instance, running on its `host`. */
  readonly instance: Instance;
  /** The destination, or null to let the scheduler choose one. */
  readonly host: string | null;
  readonly block_migration: boolean;
  readonly disk_over_commit: boolean;
}

/** Orchestration on the conductor (COMPUTE_TASK_API). */
export interface ComputeTaskApi {
  /**
   * Creates the instance records, picks a host for each with the scheduler and casts
   * `build_and_run_instance` to it. Resolves to the created instances. When no host fits,
   * every instance is set to ERROR with a fault and NoValidHost (naming each host's
   * rejection) is raised; a failed cast errors that instance only.
   */
  build_instances(ctx: RequestContext, request: BuildInstancesRequest): Promise<Instance[]>;
  /**
   * Checks the instance is running and the source up, picks (or checks) the destination,
   * sets task_state migrating, asks the destination then the source compute whether the
   * migration can go ahead, and casts `live_migration` to the source. Resolves to the
   * destination host. A failed check resets the task state and raises
   * (MigrationPreCheckError, ComputeServiceUnavailable, UnableToMigrateToSelf,
   * InstanceNotRunning, InvalidHypervisorType, NoValidHost, or the compute's error).
   *
   * With a requested host the compute's error comes back as raised (a driver's class by name,
   * as RemoteError to a client that does not know it), a timeout aside (below). When the
   * scheduler chooses and no candidate passes, the conductor raises MigrationPreCheckError with
   * the optional kwarg `cause`: the class name of the last candidate's error —
   * InvalidSharedStorage (block migration between hosts sharing storage),
   * BlockMigrationDisabled (the source cannot block-migrate), InvalidLocalStorage,
   * InvalidHypervisorType, MigrationPreCheckError (a generic refusal), MessagingTimeout (see
   * below), …. Callers decide by `cause` (or the error's own name), not by the
   * message. `cause` is absent when the conductor refused on its own account (no host, lack
   * of memory, an older hypervisor on the requested host) and from release-1 conductors, whose
   * message names the last error as `last: <class>: <message>`. Not a compute_task version:
   * request and result are unchanged, and clients rebuild errors from whatever kwargs arrive.
   *
   * A pre-check call (check_can_live_migrate_destination or _source) that the compute does not
   * answer in time is a refusal like the others: MigrationPreCheckError with `cause:
   * 'MessagingTimeout'`, naming the host and the check, the task state reset and nothing cast.
   * With a requested host this is the error raised; when the scheduler chooses, the next
   * candidate is tried and, if the last one did not answer either, the final error's `cause`
   * is `MessagingTimeout` as well. Release-1 conductors relayed the bare MessagingTimeout,
   * which a conductor client reports as ConductorTimeout (as if no conductor had answered).
   */
  live_migrate_instance(ctx: RequestContext, request: LiveMigrateRequest): Promise<string>;
}
