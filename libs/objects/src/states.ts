// Nova's instance state vocabulary (nova/compute/vm_states.py, task_states.py,
// power_state.py at Juno). vm_state is where the instance rests, task_state what is being
// done to it right now (null when idle), power_state what the hypervisor last reported.

/** Stable states of an instance. */
export const VmState = {
  ACTIVE: 'active',
  BUILDING: 'building',
  PAUSED: 'paused',
  SUSPENDED: 'suspended',
  STOPPED: 'stopped',
  RESCUED: 'rescued',
  RESIZED: 'resized',
  SOFT_DELETED: 'soft-delete',
  DELETED: 'deleted',
  ERROR: 'error',
  SHELVED: 'shelved',
  SHELVED_OFFLOADED: 'shelved_offloaded',
} as const;
export type VmState = (typeof VmState)[keyof typeof VmState];
export const VM_STATES: readonly VmState[] = Object.values(VmState);

/** Transitional states: set when an operation starts, cleared (null) when it ends. */
export const TaskState = {
  SCHEDULING: 'scheduling',
  BLOCK_DEVICE_MAPPING: 'block_device_mapping',
  NETWORKING: 'networking',
  SPAWNING: 'spawning',
  IMAGE_SNAPSHOT: 'image_snapshot',
  IMAGE_SNAPSHOT_PENDING: 'image_snapshot_pending',
  IMAGE_PENDING_UPLOAD: 'image_pending_upload',
  IMAGE_UPLOADING: 'image_uploading',
  IMAGE_BACKUP: 'image_backup',
  UPDATING_PASSWORD: 'updating_password',
  RESIZE_PREP: 'resize_prep',
  RESIZE_MIGRATING: 'resize_migrating',
  RESIZE_MIGRATED: 'resize_migrated',
  RESIZE_FINISH: 'resize_finish',
  RESIZE_REVERTING: 'resize_reverting',
  RESIZE_CONFIRMING: 'resize_confirming',
  REBOOTING: 'rebooting',
  REBOOT_PENDING: 'reboot_pending',
  REBOOT_STARTED: 'reboot_started',
  REBOOTING_HARD: 'rebooting_hard',
  REBOOT_PENDING_HARD: 'reboot_pending_hard',
  REBOOT_STARTED_HARD: 'reboot_started_hard',
  PAUSING: 'pausing',
  UNPAUSING: 'unpausing',
  SUSPENDING: 'suspending',
  RESUMING: 'resuming',
  POWERING_OFF: 'powering-off',
  POWERING_ON: 'powering-on',
  RESCUING: 'rescuing',
  UNRESCUING: 'unrescuing',
  REBUILDING: 'rebuilding',
  REBUILD_BLOCK_DEVICE_MAPPING: 'rebuild_block_device_mapping',
  REBUILD_SPAWNING: 'rebuild_spawning',
  MIGRATING: 'migrating',
  DELETING: 'deleting',
  SOFT_DELETING: 'soft-deleting',
  RESTORING: 'restoring',
  SHELVING: 'shelving',
  SHELVING_IMAGE_PENDING_UPLOAD: 'shelving_image_pending_upload',
  SHELVING_IMAGE_UPLOADING: 'shelving_image_uploading',
  SHELVING_OFFLOADING: 'shelving_offloading',
  UNSHELVING: 'unshelving',
} as const;
export type TaskState = (typeof TaskState)[keyof typeof TaskState];
export const TASK_STATES: readonly TaskState[] = Object.values(TaskState);

/** The hypervisor's view of the guest, as Nova's integer codes (stored and sent as integers). */
export const PowerState = {
  NOSTATE: 0x00,
  RUNNING: 0x01,
  PAUSED: 0x03,
  SHUTDOWN: 0x04,
  CRASHED: 0x06,
  SUSPENDED: 0x07,
} as const;
export type PowerState = (typeof PowerState)[keyof typeof PowerState];
export const POWER_STATES: readonly PowerState[] = Object.values(PowerState);

/**
 * The task states a delete may interrupt: a stuck build or power action, never a migration
 * or another delete. The API checks it before casting; the compute claims the instance with it.
 */
export const DELETABLE_TASK_STATES: readonly (TaskState | null)[] = [
  null,
  TaskState.SCHEDULING,
  TaskState.NETWORKING,
  TaskState.BLOCK_DEVICE_MAPPING,
  TaskState.SPAWNING,
  TaskState.REBOOTING,
  TaskState.REBOOTING_HARD,
  TaskState.REBOOT_PENDING,
  TaskState.REBOOT_STARTED,
  TaskState.REBOOT_PENDING_HARD,
  TaskState.REBOOT_STARTED_HARD,
  TaskState.POWERING_OFF,
  TaskState.POWERING_ON,
];

/** Nova's power_state.STATE_MAP: the names shown to users. */
export const POWER_STATE_NAMES: Readonly<Record<PowerState, string>> = {
  [PowerState.NOSTATE]: 'pending',
  [PowerState.RUNNING]: 'running',
  [PowerState.PAUSED]: 'paused',
  [PowerState.SHUTDOWN]: 'shutdown',
  [PowerState.CRASHED]: 'crashed',
  [PowerState.SUSPENDED]: 'suspended',
};
