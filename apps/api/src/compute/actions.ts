// Server actions as Nova's compute API runs them: check the states the action accepts, set
// the action's task_state guarded by the one read (so of two concurrent actions exactly one
// wins; the other is a 409), record the instance action, then cast to the server's compute.
import { MigrationPreCheckError } from '@novakit/conductor-api';
import { InstanceAction, RequestContext, SecurityGroup, SecurityGroupNotFound, TaskState, type Instance } from '@novakit/objects';
import { errorClassName, RemoteError } from '@novakit/rpc';
import { NovakitError } from '@novakit/versioned-objects';
import { BlockMigrationDisabled, InvalidSharedStorage } from '@novakit/virt-driver';
import type { ApiBackend } from '../backend.js';
import type { ActionArgs } from '../schemas/servers.js';
import { serverForAction } from './lookup.js';
import type { StateCheckName } from './states.js';

interface TaskAction {
  readonly check: StateCheckName;
  readonly taskState: TaskState;
  /** The instance action name (nova/compute/instance_actions.py). */
  readonly action: string;
  readonly cast: (backend: ApiBackend, ctx: RequestContext, instance: Instance) => Promise<void>;
}

export const TASK_ACTIONS = {
  'os-stop': { check: 'stop', taskState: TaskState.POWERING_OFF, action: 'stop', cast: (b, ctx, i) => b.compute.stopInstance(ctx, i) },
  'os-start': { check: 'start', taskState: TaskState.POWERING_ON, action: 'start', cast: (b, ctx, i) => b.compute.startInstance(ctx, i) },
  pause: { check: 'pause', taskState: TaskState.PAUSING, action: 'pause', cast: (b, ctx, i) => b.compute.pauseInstance(ctx, i) },
  unpause: { check: 'unpause', taskState: TaskState.UNPAUSING, action: 'unpause', cast: (b, ctx, i) => b.compute.unpauseInstance(ctx, i) },
  suspend: { check: 'suspend', taskState: TaskState.SUSPENDING, action: 'suspend', cast: (b, ctx, i) => b.compute.suspendInstance(ctx, i) },
  resume: { check: 'resume', taskState: TaskState.RESUMING, action: 'resume', cast: (b, ctx, i) => b.compute.resumeInstance(ctx, i) },
} as const satisfies Record<string, TaskAction>;

export type TaskActionName = keyof typeof TASK_ACTIONS;

async function runTaskAction(backend: ApiBackend, ctx: RequestContext, id: string, spec: TaskAction): Promise<void> {
  const instance = await serverForAction(ctx, id, spec.check, spec.action);
  const held = instance.task_state;
  instance.task_state = spec.taskState;
  // UnexpectedTaskStateError (409) when another action took the server since it was read.
  await instance.save({ expectedTaskState: held });
  await InstanceAction.actionStart(ctx, instance.uuid, spec.action, { wantResult: false });
  try {
    await spec.cast(backend, ctx, instance);
  } catch (e) {
    // The cast never left: give the server back rather than leave it stuck in the task.
    instance.task_state = held;
    await instance.save({ expectedTaskState: spec.taskState }).catch(() => undefined);
    throw e;
  }
}

export function taskAction(backend: ApiBackend, ctx: RequestContext, id: string, name: TaskActionName): Promise<void> {
  return runTaskAction(backend, ctx, id, TASK_ACTIONS[name]);
}

export function reboot(backend: ApiBackend, ctx: RequestContext, id: string, type: 'SOFT' | 'HARD'): Promise<void> {
  const hard = type === 'HARD';
  return runTaskAction(backend, ctx, id, {
    check: hard ? 'hardReboot' : 'softReboot',
    taskState: hard ? TaskState.REBOOTING_HARD : TaskState.REBOOTING,
    action: 'reboot',
    cast: (b, c, i) => b.compute.rebootInstance(c, i, type),
  });
}

/** Refusals after which the same migration without block migration may pass. */
const BLOCK_MIGRATION_REFUSALS: ReadonlySet<string> = new Set([InvalidSharedStorage.name, BlockMigrationDisabled.name]);

/** Only for a MigrationPreCheckError without `cause`: a release-1 conductor's message names the last refusal. */
const RELEASE_1_REFUSAL_TEXT = /InvalidSharedStorage|block migration is disabled/;

/**
 * The pre-checks refused a block migration because the hosts share storage (or the source
 * cannot block-migrate): the compute's own error (requested host), or the conductor's
 * MigrationPreCheckError whose `cause` names it (scheduled host).
 */
function blockMigrationRefused(e: unknown): boolean {
  const name = errorClassName(e) ?? '';
  if (BLOCK_MIGRATION_REFUSALS.has(name)) return true;
  if (name !== MigrationPreCheckError.name) return false;
  const cause = e instanceof NovakitError ? e.kwargs.cause : undefined;
  if (typeof cause === 'string') return BLOCK_MIGRATION_REFUSALS.has(cause);
  const text = e instanceof NovakitError || e instanceof RemoteError ? e.message : '';
  return RELEASE_1_REFUSAL_TEXT.test(text);
}

/**
 * os-migrateLive. `block_migration: auto` (Nova 2.25) tries a block migration first (hosts of
 * the embedded node and QEMU hosts keep instance disks locally), and when the pre-checks say
 * the hosts share storage or the source cannot block-migrate, asks again without. The
 * conductor resets the task state after a refused pre-check, so the second request starts
 * clean. Resolves to the destination host.
 */
export async function liveMigrate(backend: ApiBackend, ctx: RequestContext, id: string, args: ActionArgs<'os-migrateLive'>): Promise<string> {
  const instance = await serverForAction(ctx, id, 'liveMigrate', 'live-migration');
  await InstanceAction.actionStart(ctx, instance.uuid, 'live-migration', { wantResult: false });
  const attempt = (blockMigration: boolean) =>
    backend.conductor.computeTask.live_migrate_instance(ctx, { instance, host: args.host, block_migration: blockMigration, disk_over_commit: args.disk_over_commit });
  if (args.block_migration !== 'auto') return attempt(args.block_migration);
  try {
    return await attempt(true);
  } catch (e) {
    if (!blockMigrationRefused(e)) throw e;
    return attempt(false);
  }
}

export async function consoleOutput(backend: ApiBackend, ctx: RequestContext, id: string, length: number | null | undefined): Promise<string> {
  const instance = await serverForAction(ctx, id, 'console', 'get_console_output');
  return backend.compute.getConsoleOutput(ctx, instance, length === undefined || length === null || length === -1 ? null : length);
}

export async function diagnostics(backend: ApiBackend, ctx: RequestContext, id: string): Promise<Record<string, number | string>> {
  const instance = await serverForAction(ctx, id, 'diagnostics', 'get_diagnostics');
  return backend.compute.getDiagnostics(ctx, instance);
}

/** addSecurityGroup / removeSecurityGroup: change the membership, then have the compute refresh the server's rules. */
export async function changeSecurityGroup(backend: ApiBackend, ctx: RequestContext, id: string, name: string, add: boolean): Promise<void> {
  const instance = await serverForAction(ctx, id, 'securityGroups', add ? 'add_security_group' : 'remove_security_group', { attrs: ['security_groups'] });
  const group = await SecurityGroup.getByName(ctx, ctx.project_id!, name);
  const member = instance.security_groups.some((g) => g.id === group.id);
  if (add && member) return;
  if (!add && !member) throw new SecurityGroupNotFound({ security_group_id: name });
  if (add) await group.addToInstance(instance.uuid);
  else await group.removeFromInstance(instance.uuid);
  if (instance.host) await backend.compute.refreshInstanceSecurityRules(ctx, instance);
}
