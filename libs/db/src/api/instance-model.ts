// Instance rows: the columns of Nova Juno's `instances` table (§4.2) and the joins an
// Instance object can ask for.
import { PERSISTENT_COLUMNS, tableModel, type PersistentFields } from '../model/columns.js';
import type { InstanceFaultRow } from './fault-model.js';
import type { InstanceInfoCacheRow } from './info-cache-model.js';
import type { SecurityGroupRow } from './security-group-model.js';

/** The scalar columns of an instance (every Instance object field stored in `instances`). */
export interface InstanceColumns extends PersistentFields {
  id: number;
  uuid: string;
  user_id: string | null;
  project_id: string | null;
  image_ref: string | null;
  kernel_id: string | null;
  ramdisk_id: string | null;
  hostname: string | null;
  launch_index: number | null;
  key_name: string | null;
  key_data: string | null;
  power_state: number | null;
  vm_state: string | null;
  task_state: string | null;
  memory_mb: number | null;
  vcpus: number | null;
  root_gb: number | null;
  ephemeral_gb: number | null;
  ephemeral_key_uuid: string | null;
  host: string | null;
  node: string | null;
  instance_type_id: number | null;
  user_data: string | null;
  reservation_id: string | null;
  scheduled_at: Date | null;
  launched_at: Date | null;
  terminated_at: Date | null;
  availability_zone: string | null;
  display_name: string | null;
  display_description: string | null;
  launched_on: string | null;
  locked: boolean;
  locked_by: string | null;
  os_type: string | null;
  architecture: string | null;
  vm_mode: string | null;
  root_device_name: string | null;
  default_ephemeral_device: string | null;
  default_swap_device: string | null;
  config_drive: string | null;
  access_ip_v4: string | null;
  access_ip_v6: string | null;
  auto_disk_config: boolean;
  progress: number | null;
  shutdown_terminate: boolean;
  disable_terminate: boolean;
  cell_name: string | null;
  cleaned: boolean;
}

/**
 * An instance row. The joined attributes are present exactly when asked for through
 * `columnsToJoin` (`metadata` and `system_metadata` as dicts, `info_cache`,
 * `security_groups`, the latest `fault`, and the JSON `flavor` / `numa_topology`
 * stored in instance_extra, whose shape the objects lib owns).
 */
export interface InstanceRow extends InstanceColumns {
  metadata?: Record<string, string>;
  system_metadata?: Record<string, string | null>;
  info_cache?: InstanceInfoCacheRow | null;
  security_groups?: SecurityGroupRow[];
  fault?: InstanceFaultRow | null;
  flavor?: unknown;
  numa_topology?: unknown;
}

export const INSTANCE_JOINS = ['metadata', 'system_metadata', 'info_cache', 'security_groups', 'fault', 'flavor', 'numa_topology'] as const;
export type InstanceJoin = (typeof INSTANCE_JOINS)[number];

/** Nova's INSTANCE_DEFAULT_FIELDS: what `instance_get_by_uuid` and lists join when not told. */
export const DEFAULT_INSTANCE_JOINS: readonly InstanceJoin[] = ['metadata', 'system_metadata', 'info_cache', 'security_groups'];

/** Columns an instance can be created or saved with (not id, timestamps of creation, deletion). */
export type InstanceScalarValues = Partial<Omit<InstanceColumns, 'id' | 'created_at' | 'deleted' | 'deleted_at'>>;

/** What `instance_save` / `instance_update_and_get_original` write. Dicts replace the stored ones. */
export interface InstanceValues extends Omit<InstanceScalarValues, 'scheduled_at' | 'launched_at' | 'terminated_at' | 'updated_at'> {
  scheduled_at?: Date | string | null;
  launched_at?: Date | string | null;
  terminated_at?: Date | string | null;
  updated_at?: Date | string | null;
  metadata?: Record<string, string>;
  system_metadata?: Record<string, string | null>;
  flavor?: unknown;
  numa_topology?: unknown;
}

/** What `instance_create` takes: instance values, security group names, an initial info cache. */
export interface InstanceCreateValues extends InstanceValues {
  uuid?: string;
  /** Names of the project's security groups; `default` is created when missing (Nova's ensure_default). */
  security_groups?: string[];
  info_cache?: { network_info?: unknown };
}

export const INSTANCE = tableModel<InstanceColumns>('instances', 'id', {
  id: 'int', uuid: 'str', user_id: 'str', project_id: 'str', image_ref: 'str', kernel_id: 'str', ramdisk_id: 'str',
  hostname: 'str', launch_index: 'int', key_name: 'str', key_data: 'str', power_state: 'int', vm_state: 'str',
  task_state: 'str', memory_mb: 'int', vcpus: 'int', root_gb: 'int', ephemeral_gb: 'int', ephemeral_key_uuid: 'str',
  host: 'str', node: 'str', instance_type_id: 'int', user_data: 'str', reservation_id: 'str', scheduled_at: 'time',
  launched_at: 'time', terminated_at: 'time', availability_zone: 'str', display_name: 'str', display_description: 'str',
  launched_on: 'str', locked: 'bool', locked_by: 'str', os_type: 'str', architecture: 'str', vm_mode: 'str',
  root_device_name: 'str', default_ephemeral_device: 'str', default_swap_device: 'str', config_drive: 'str',
  access_ip_v4: 'str', access_ip_v6: 'str', auto_disk_config: 'bool', progress: 'int', shutdown_terminate: 'bool',
  disable_terminate: 'bool', cell_name: 'str', cleaned: 'bool',
  ...PERSISTENT_COLUMNS,
});

/**
 * Keys the legacy conductor `instance_update` accepts: Nova Juno's conductor
 * `allowed_updates`, verbatim (expected_task_state is a compare, not a column).
 */
export const INSTANCE_UPDATE_ALLOWED_KEYS: readonly string[] = [
  'task_state', 'vm_state', 'expected_task_state', 'power_state', 'access_ip_v4', 'access_ip_v6', 'launched_at',
  'terminated_at', 'host', 'node', 'memory_mb', 'vcpus', 'root_gb', 'ephemeral_gb', 'instance_type_id',
  'root_device_name', 'launched_on', 'progress', 'vm_mode', 'default_ephemeral_device', 'default_swap_device',
  'system_metadata', 'updated_at',
];

/** Nova's task_states.DELETING: a mismatch against it raises the "deleting" variant. */
export const TASK_STATE_DELETING = 'deleting';
