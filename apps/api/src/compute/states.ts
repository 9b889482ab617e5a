// Nova's view of an instance's state for users (nova/api/openstack/common.py _STATE_MAP):
// vm_state plus task_state become one status, and the states each API operation accepts
// (the check_instance_state decorators of nova/compute/api.py at Juno).
import { DELETABLE_TASK_STATES, TaskState, VmState, type Instance } from '@novakit/objects';
import type { SERVER_STATUSES } from '../schemas/servers.js';

type Status = (typeof SERVER_STATUSES)[number];

const STATE_MAP: Readonly<Record<string, Readonly<Record<string, Status>>>> = {
  [VmState.ACTIVE]: {
    default: 'ACTIVE',
    [TaskState.REBOOTING]: 'REBOOT',
    [TaskState.REBOOT_PENDING]: 'REBOOT',
    [TaskState.REBOOT_STARTED]: 'REBOOT',
    [TaskState.REBOOTING_HARD]: 'HARD_REBOOT',
    [TaskState.REBOOT_PENDING_HARD]: 'HARD_REBOOT',
    [TaskState.REBOOT_STARTED_HARD]: 'HARD_REBOOT',
    [TaskState.UPDATING_PASSWORD]: 'PASSWORD',
    [TaskState.REBUILDING]: 'REBUILD',
    [TaskState.REBUILD_BLOCK_DEVICE_MAPPING]: 'REBUILD',
    [TaskState.REBUILD_SPAWNING]: 'REBUILD',
    [TaskState.MIGRATING]: 'MIGRATING',
    [TaskState.RESIZE_PREP]: 'RESIZE',
    [TaskState.RESIZE_MIGRATING]: 'RESIZE',
    [TaskState.RESIZE_MIGRATED]: 'RESIZE',
    [TaskState.RESIZE_FINISH]: 'RESIZE',
  },
  [VmState.BUILDING]: { default: 'BUILD' },
  [VmState.STOPPED]: { default: 'SHUTOFF', [TaskState.REBUILDING]: 'REBUILD', [TaskState.REBOOTING_HARD]: 'HARD_REBOOT' },
  [VmState.RESIZED]: { default: 'VERIFY_RESIZE', [TaskState.RESIZE_REVERTING]: 'REVERT_RESIZE' },
  [VmState.PAUSED]: { default: 'PAUSED', [TaskState.MIGRATING]: 'MIGRATING' },
  [VmState.SUSPENDED]: { default: 'SUSPENDED' },
  [VmState.RESCUED]: { default: 'RESCUE' },
  [VmState.ERROR]: { default: 'ERROR', [TaskState.REBOOTING_HARD]: 'HARD_REBOOT' },
  [VmState.DELETED]: { default: 'DELETED' },
  [VmState.SOFT_DELETED]: { default: 'SOFT_DELETED' },
  [VmState.SHELVED]: { default: 'SHELVED' },
  [VmState.SHELVED_OFFLOADED]: { default: 'SHELVED_OFFLOADED' },
};

export function statusOf(vmState: string | null, taskState: string | null): Status {
  const byTask = STATE_MAP[vmState ?? ''];
  if (!byTask) return 'UNKNOWN';
  return (taskState ? byTask[taskState] : undefined) ?? byTask.default ?? 'UNKNOWN';
}

/** The vm_states a status filter means (Nova's status_to_vm_states). */
export function vmStatesOf(status: Status): string[] {
  return Object.entries(STATE_MAP)
    .filter(([, m]) => m.default === status || Object.values(m).includes(status))
    .map(([vm]) => vm);
}

/** The task_states a status filter means, when the status is a task's (REBOOT, MIGRATING …); null: any. */
export function taskStatesOf(status: Status): (string | null)[] | null {
  const tasks = new Set<string | null>();
  let viaDefault = false;
  for (const m of Object.values(STATE_MAP)) {
    for (const [task, s] of Object.entries(m)) {
      if (s !== status) continue;
      if (task === 'default') viaDefault = true;
      else tasks.add(task);
    }
  }
  return viaDefault ? null : [...tasks];
}

/** What an operation accepts: vm_states, and task_states (null = idle). */
export interface StateCheck {
  readonly vmStates: readonly string[] | null;
  readonly taskStates: readonly (string | null)[] | null;
}

const IDLE = [null] as const;

export const STATE_CHECKS = {
  softReboot: { vmStates: [VmState.ACTIVE], taskStates: IDLE },
  hardReboot: {
    vmStates: [VmState.ACTIVE, VmState.STOPPED, VmState.PAUSED, VmState.SUSPENDED, VmState.ERROR],
    taskStates: [null, TaskState.REBOOTING, TaskState.REBOOT_PENDING, TaskState.REBOOT_STARTED, TaskState.REBOOTING_HARD],
  },
  stop: { vmStates: [VmState.ACTIVE, VmState.RESCUED, VmState.ERROR], taskStates: IDLE },
  start: { vmStates: [VmState.STOPPED], taskStates: IDLE },
  pause: { vmStates: [VmState.ACTIVE, VmState.RESCUED], taskStates: IDLE },
  unpause: { vmStates: [VmState.PAUSED], taskStates: IDLE },
  suspend: { vmStates: [VmState.ACTIVE, VmState.RESCUED], taskStates: IDLE },
  resume: { vmStates: [VmState.SUSPENDED], taskStates: IDLE },
  liveMigrate: { vmStates: [VmState.ACTIVE, VmState.PAUSED], taskStates: IDLE },
  attachVolume: { vmStates: [VmState.ACTIVE, VmState.PAUSED, VmState.STOPPED, VmState.SUSPENDED], taskStates: IDLE },
  detachVolume: { vmStates: [VmState.ACTIVE, VmState.PAUSED, VmState.STOPPED, VmState.SUSPENDED], taskStates: IDLE },
  securityGroups: { vmStates: null, taskStates: null },
  diagnostics: { vmStates: null, taskStates: null },
  console: { vmStates: [VmState.ACTIVE, VmState.PAUSED, VmState.STOPPED, VmState.SUSPENDED, VmState.RESCUED, VmState.ERROR], taskStates: null },
  /** A delete interrupts a stuck build or power action, never a migration or another delete (objects' DELETABLE_TASK_STATES, which the compute claims with). */
  delete: { vmStates: null, taskStates: DELETABLE_TASK_STATES },
} as const satisfies Record<string, StateCheck>;

export type StateCheckName = keyof typeof STATE_CHECKS;

/** Which check fails, if any: the attribute and its value (for InstanceInvalidState's 409). */
export function failedCheck(instance: Instance, check: StateCheck): { attr: 'vm_state' | 'task_state'; state: string | null } | null {
  if (instance.deleted) return { attr: 'vm_state', state: VmState.DELETED };
  if (check.vmStates && !check.vmStates.includes(instance.vm_state as string)) return { attr: 'vm_state', state: instance.vm_state };
  if (check.taskStates && !check.taskStates.includes(instance.task_state)) return { attr: 'task_state', state: instance.task_state };
  return null;
}
