// The plain dicts the legacy raw methods take and return: Nova's `jsonutils.to_primitive()` of a
// DB row (timestamps as ISO-8601 text, joined tables nested). They carry an index signature
// because they are dicts: a release-1 caller may read any column. Shapes line up with
// @novakit/virt-driver's legacy types, so the compute manager forwards VirtAPI calls as they are.

/** Any row as a JSON-safe dict. */
export type LegacyRow = Readonly<Record<string, unknown>>;

/** An instance row with the default joins (metadata, system_metadata, info_cache, security_groups) and `name`. */
export interface LegacyInstance {
  readonly [column: string]: unknown;
  readonly id: number;
  readonly uuid: string;
  /** The hypervisor-side name (instance_name_template applied), as Nova's dict carried it. */
  readonly name: string;
  readonly host: string | null;
  readonly node: string | null;
  readonly vm_state: string | null;
  readonly task_state: string | null;
  readonly power_state: number | null;
  readonly updated_at: string | null;
  readonly deleted: boolean;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly system_metadata?: Readonly<Record<string, string | null>>;
  /** network_info as JSON text, as the legacy dict had it. */
  readonly info_cache?: Readonly<{ network_info: string | null }> | null;
  readonly security_groups?: ReadonlyArray<LegacySecurityGroup>;
}

export interface LegacyBlockDeviceMapping {
  readonly [column: string]: unknown;
  readonly id: number;
  readonly instance_uuid: string;
  readonly device_name: string | null;
  readonly source_type: string | null;
  readonly destination_type: string | null;
  readonly volume_id: string | null;
  readonly connection_info: string | null;
  readonly boot_index: number | null;
}

export interface LegacySecurityGroup {
  readonly [column: string]: unknown;
  readonly id: number;
  readonly name: string;
  readonly project_id: string | null;
}

export interface LegacySecurityGroupRule {
  readonly [column: string]: unknown;
  readonly id: number;
  readonly parent_group_id: number;
  readonly protocol: string | null;
  readonly from_port: number | null;
  readonly to_port: number | null;
  readonly cidr: string | null;
  /** The grantee group, or null for a CIDR rule. */
  readonly group_id: number | null;
}

export interface LegacyProviderFwRule {
  readonly [column: string]: unknown;
  readonly id: number;
  readonly protocol: string;
  readonly from_port: number;
  readonly to_port: number;
  readonly cidr: string;
}

export interface LegacyService {
  readonly [column: string]: unknown;
  readonly id: number;
  readonly host: string;
  readonly binary: string;
  readonly topic: string | null;
  readonly disabled: boolean;
  readonly version: number;
  /** The host's compute nodes (Nova's joined `compute_node` list). */
  readonly compute_node?: ReadonlyArray<LegacyRow>;
}

/** `instance_fault_create` values (Nova's compute_utils.add_instance_fault_from_exc). */
export interface LegacyFaultValues {
  readonly instance_uuid: string;
  readonly code: number;
  readonly message?: string | null;
  readonly details?: string | null;
  readonly host?: string | null;
}

/** `action_event_start` values: the event belongs to the action of (instance_uuid, request_id). */
export interface LegacyEventStartValues {
  readonly event: string;
  readonly instance_uuid: string;
  readonly request_id: string;
  readonly start_time?: string;
  readonly host?: string | null;
}

export interface LegacyEventFinishValues {
  readonly event: string;
  readonly instance_uuid: string;
  readonly request_id: string;
  /** 'Success' or 'Error'. */
  readonly result: string;
  readonly finish_time?: string;
  readonly traceback?: string | null;
}
