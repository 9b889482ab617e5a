// The conductor's RPC APIs as typed version histories (style rule 6): what each version
// added, the release aliases a deployment pins with `[upgrade_levels]`, and the version each
// method is sent at. Tests read these constants; they are the spec, not a docstring.
import { defineRpcApi } from '@novakit/rpc';

/** The topic every conductor worker consumes (Nova's CONF.conductor.topic). */
export const CONDUCTOR_TOPIC = 'conductor';
/** The namespace of the orchestration endpoint on the conductor topic. */
export const COMPUTE_TASK_NAMESPACE = 'compute_task';
/** The binary name conductors register their Service record under. */
export const CONDUCTOR_BINARY = 'nova-conductor';

export const CONDUCTOR_API = defineRpcApi({
  name: 'conductor',
  history: {
    '1.0':
      'legacy raw DB methods of the pre-objects world, plain dicts in and out: instance_get_by_uuid, instance_get_all_by_host, ' +
      'instance_update, instance_update_and_get_original, block_device_mapping_get_all_by_instance, ' +
      'block_device_mapping_update_or_create, security_group_get_by_instance, security_group_rule_get_by_security_group, ' +
      'provider_fw_rule_get_all, instance_fault_create, action_event_start, action_event_finish, agent_build_get_by_triple, ' +
      'service_get_by_compute_host, service_update, compute_node_create, compute_node_update, compute_node_delete, ' +
      'migration_get_in_progress_by_host_and_node',
    '1.1': 'object_class_action_versions and object_action: remotable methods run on the conductor; class results levelled to the caller manifest',
    '1.2': 'object_backport_versions: a receiver asks the conductor to level an object newer than it knows',
  },
  aliases: { 'release-1': '1.2' },
});

export type ConductorVersion = (typeof CONDUCTOR_API.versions)[number];

/** The version each conductor method is sent at: the one that introduced it. */
export const CONDUCTOR_METHOD_VERSIONS = {
  instance_get_by_uuid: '1.0',
  instance_get_all_by_host: '1.0',
  instance_update: '1.0',
  instance_update_and_get_original: '1.0',
  block_device_mapping_get_all_by_instance: '1.0',
  block_device_mapping_update_or_create: '1.0',
  security_group_get_by_instance: '1.0',
  security_group_rule_get_by_security_group: '1.0',
  provider_fw_rule_get_all: '1.0',
  instance_fault_create: '1.0',
  action_event_start: '1.0',
  action_event_finish: '1.0',
  agent_build_get_by_triple: '1.0',
  service_get_by_compute_host: '1.0',
  service_update: '1.0',
  compute_node_create: '1.0',
  compute_node_update: '1.0',
  compute_node_delete: '1.0',
  migration_get_in_progress_by_host_and_node: '1.0',
  object_class_action_versions: '1.1',
  object_action: '1.1',
  object_backport_versions: '1.2',
} as const satisfies Record<string, ConductorVersion>;

export type ConductorMethod = keyof typeof CONDUCTOR_METHOD_VERSIONS;

export const COMPUTE_TASK_API = defineRpcApi({
  name: 'compute_task',
  history: {
    '1.0': 'build_instances: create the instance records, schedule them, cast build_and_run_instance to the chosen computes',
    '1.1': 'live_migrate_instance: check destination and source through the computes, then cast live_migration to the source',
  },
  aliases: { 'release-1': '1.1' },
});

export type ComputeTaskVersion = (typeof COMPUTE_TASK_API.versions)[number];

export const COMPUTE_TASK_METHOD_VERSIONS = {
  build_instances: '1.0',
  live_migrate_instance: '1.1',
} as const satisfies Record<string, ComputeTaskVersion>;

export type ComputeTaskMethod = keyof typeof COMPUTE_TASK_METHOD_VERSIONS;

/**
 * The conductor RPC version a conductor of each service version serves (what `auto` caps
 * resolve through). A new service version that serves more gets a line here.
 */
export const CONDUCTOR_VERSION_BY_SERVICE_VERSION: Readonly<Record<number, { conductor: ConductorVersion; computeTask: ComputeTaskVersion }>> = {
  /** A conductor that reports no service version predates the object methods. */
  0: { conductor: '1.0', computeTask: '1.0' },
  /** Release 1. */
  1: { conductor: '1.2', computeTask: '1.1' },
};

/**
 * The caps for the oldest live conductor's service version (null: none up, so no cap). A
 * version newer than any listed gets the newest line this client knows.
 */
export function capsForServiceVersion(minimum: number | null | undefined): { conductor: ConductorVersion; computeTask: ComputeTaskVersion } | null {
  if (minimum == null) return null;
  const known = Object.keys(CONDUCTOR_VERSION_BY_SERVICE_VERSION).map(Number).sort((a, b) => a - b);
  const at = known.filter((v) => v <= minimum).pop() ?? known[0]!;
  return CONDUCTOR_VERSION_BY_SERVICE_VERSION[at]!;
}
