// Creating, saving and destroying instances. Every save is one compare-and-write
// UPDATE: the expected task/vm states sit in its WHERE clause, so a state transition
// either lands whole or not at all, whatever the backend (the row lock makes a second
// writer re-check the WHERE against the first one's result), and saves of different
// fields never overwrite each other (each writes only its own columns).
import { randomUUID } from 'node:crypto';
import type { DbContext } from '../context.js';
import {
  ConstraintNotMet, InstanceExists, InstanceNotFound, InstanceUpdateKeyNotAllowed, InvalidColumn,
  UnexpectedDeletingTaskStateError, UnexpectedTaskStateError, UnexpectedVMStateError,
} from '../errors.js';
import { fromDb, toDb, toDbValue } from '../model/columns.js';
import { canReturn, inTransaction, insertRow, mapDuplicate, nowText, whereInNullable, whereVisible, type Conn, type Row } from '../model/conn.js';
import { insertMetadata, loadJoins, replaceMetadata, withJoins, writeExtra } from './instance-joins.js';
import {
  DEFAULT_INSTANCE_JOINS, INSTANCE, INSTANCE_UPDATE_ALLOWED_KEYS, TASK_STATE_DELETING,
  type InstanceCreateValues, type InstanceJoin, type InstanceRow, type InstanceValues,
} from './instance-model.js';
import { getInstanceRaw } from './instance-read.js';
import { securityGroupIdsForInstance } from './security-groups.js';

export type ExpectedState = string | null | readonly (string | null)[];

export interface InstanceSaveOptions {
  /** The save lands only if task_state is (one of) this; `null` means "no task". */
  expectedTaskState?: ExpectedState;
  /** The save lands only if vm_state is (one of) this. */
  expectedVmState?: ExpectedState;
  /** Joins of the returned row; default none (Nova's save re-joins `system_metadata`: ask for it). */
  columnsToJoin?: readonly InstanceJoin[];
}

const asList = (e: ExpectedState | undefined): (string | null)[] | undefined =>
  e === undefined ? undefined : Array.isArray(e) ? [...(e as (string | null)[])] : [e as string | null];

/** Why a guarded UPDATE matched nothing: gone, or a state differs (vm state is checked first, as Nova does). */
function mismatch(uuid: string, cur: Row | undefined, vm?: (string | null)[], task?: (string | null)[]): Error | null {
  if (!cur) return new InstanceNotFound({ instance_id: uuid });
  const vmState = (cur.vm_state as string | null) ?? null;
  const taskState = (cur.task_state as string | null) ?? null;
  if (vm && !vm.includes(vmState)) return new UnexpectedVMStateError({ expected: vm, actual: vmState, instance_uuid: uuid });
  if (task && !task.includes(taskState)) {
    const E = taskState === TASK_STATE_DELETING ? UnexpectedDeletingTaskStateError : UnexpectedTaskStateError;
    return new E({ expected: task, actual: taskState, instance_uuid: uuid });
  }
  return null;
}

/** The single guarded UPDATE. Returns the updated raw row when the backend can return it. */
async function compareAndWrite(t: Conn, ctx: DbContext, uuid: string, cols: Row, opts: InstanceSaveOptions): Promise<Row | null> {
  const vm = asList(opts.expectedVmState);
  const task = asList(opts.expectedTaskState);
  for (let attempt = 0; ; attempt++) {
    const qb = whereVisible(t.q('instances').where('uuid', uuid), ctx);
    if (vm) whereInNullable(qb, 'vm_state', vm);
    if (task) whereInNullable(qb, 'task_state', task);
    if (canReturn(t)) {
      const rows = (await qb.update(cols).returning('*')) as Row[];
      if (rows.length) return rows[0];
    } else if ((await qb.update(cols)) > 0) {
      return null;
    }
    const cur = (await whereVisible(t.q('instances').where('uuid', uuid), ctx).first()) as Row | undefined;
    const err = mismatch(uuid, cur, vm, task);
    // No mismatch now means the row changed back between the two statements: try again.
    if (err || attempt >= 2) throw err ?? new UnexpectedTaskStateError({ expected: task ?? [], actual: (cur?.task_state as string) ?? null, instance_uuid: uuid });
  }
}

export async function updateInstance(
  c: Conn, ctx: DbContext, uuid: string, values: InstanceValues, opts: InstanceSaveOptions, wantOriginal: boolean,
): Promise<{ before: InstanceRow | null; after: InstanceRow }> {
  const { metadata, system_metadata, flavor, numa_topology, ...scalars } = values;
  if ('uuid' in scalars && scalars.uuid !== uuid) throw new InvalidColumn({ table: 'instances', column: 'uuid' });
  const cols = toDb(INSTANCE, scalars as Record<string, unknown>);
  if (cols.updated_at === undefined || cols.updated_at === null) cols.updated_at = nowText(c);
  const joins = opts.columnsToJoin ?? [];
  const children = metadata !== undefined || system_metadata !== undefined || flavor !== undefined || numa_topology !== undefined;
  if (!wantOriginal && !children) {
    // One guarded UPDATE is atomic by itself, so no transaction: the joins (which this
    // save does not change) load on another connection while the UPDATE runs.
    const joined = joins.length ? loadJoins(c, [uuid], joins) : null;
    joined?.catch(() => {}); // if the UPDATE fails first, its error is the one reported
    const raw = (await compareAndWrite(c, ctx, uuid, cols, opts)) ?? ((await c.q('instances').where('uuid', uuid).first()) as Row);
    const after = fromDb(INSTANCE, raw) as InstanceRow;
    if (joined) (await joined)(after);
    return { before: null, after };
  }
  return inTransaction(c, async (t) => {
    const before = wantOriginal ? (await withJoins(t, ctx, [await getInstanceRaw(t, ctx, { uuid })], joins))[0] : null;
    let raw = await compareAndWrite(t, ctx, uuid, cols, opts);
    if (metadata) await replaceMetadata(t, 'instance_metadata', uuid, metadata);
    if (system_metadata) await replaceMetadata(t, 'instance_system_metadata', uuid, system_metadata);
    await writeExtra(t, uuid, { flavor, numa_topology });
    raw ??= (await t.q('instances').where('uuid', uuid).first()) as Row;
    const [after] = await withJoins(t, ctx, [raw], joins);
    return { before, after };
  });
}

/** The object-save path: any instance field, expected states as options. */
export async function instanceSave(c: Conn, ctx: DbContext, uuid: string, values: InstanceValues, opts: InstanceSaveOptions = {}): Promise<InstanceRow> {
  return (await updateInstance(c, ctx, uuid, values, opts, false)).after;
}

export async function instanceUpdateAndGetOriginal(
  c: Conn, ctx: DbContext, uuid: string, values: InstanceValues, opts: InstanceSaveOptions = {},
): Promise<[InstanceRow, InstanceRow]> {
  const { before, after } = await updateInstance(c, ctx, uuid, values, opts, true);
  return [before!, after];
}

/**
 * The legacy conductor `instance_update(uuid, updates)`: keys limited to Nova's
 * `allowed_updates`, `expected_task_state` inside `updates`, datetimes as ISO strings
 * accepted. Returns the updated instance with the default joins.
 */
export async function legacyInstanceUpdate(c: Conn, ctx: DbContext, uuid: string, updates: Record<string, unknown>): Promise<InstanceRow> {
  for (const key of Object.keys(updates)) {
    if (!INSTANCE_UPDATE_ALLOWED_KEYS.includes(key)) throw new InstanceUpdateKeyNotAllowed({ key, instance_uuid: uuid });
  }
  const { expected_task_state, ...values } = updates;
  const opts: InstanceSaveOptions = { columnsToJoin: DEFAULT_INSTANCE_JOINS };
  if ('expected_task_state' in updates) opts.expectedTaskState = expected_task_state as ExpectedState;
  return (await updateInstance(c, ctx, uuid, values as InstanceValues, opts, false)).after;
}

export async function instanceCreate(c: Conn, ctx: DbContext, values: InstanceCreateValues, opts: { columnsToJoin?: readonly InstanceJoin[] } = {}): Promise<InstanceRow> {
  const { metadata, system_metadata, flavor, numa_topology, security_groups, info_cache, uuid: given, ...scalars } = values;
  const uuid = given ?? randomUUID();
  const cols = toDb(INSTANCE, scalars as Record<string, unknown>);
  return inTransaction(c, async (t) => {
    const now = nowText(t);
    const raw = await mapDuplicate('instances', ['uuid'], () => insertRow(t, 'instances', { ...cols, uuid, created_at: now, deleted: 0 }), () => new InstanceExists({ name: uuid }));
    await insertMetadata(t, 'instance_metadata', uuid, metadata);
    await insertMetadata(t, 'instance_system_metadata', uuid, system_metadata);
    await t.q('instance_extra').insert({
      instance_uuid: uuid, flavor: toDbValue('json', flavor ?? null), numa_topology: toDbValue('json', numa_topology ?? null), created_at: now, deleted: 0,
    });
    // Nova creates the (empty) info cache with the instance; saves then only update it.
    await t.q('instance_info_caches').insert({ instance_uuid: uuid, network_info: toDbValue('json', info_cache?.network_info ?? null), created_at: now, deleted: 0 });
    if (security_groups?.length) {
      const ids = await securityGroupIdsForInstance(t, ctx, (cols.project_id as string) ?? null, (cols.user_id as string) ?? null, security_groups);
      await t.q('security_group_instance_association').insert(ids.map((id) => ({ security_group_id: id, instance_uuid: uuid, created_at: now, deleted: 0 })));
    }
    const [row] = await withJoins(t, ctx, [raw], opts.columnsToJoin ?? DEFAULT_INSTANCE_JOINS);
    return row;
  });
}

export interface InstanceDestroyOptions {
  /** Only destroy if these columns still hold these values (Nova's `constraint`; e.g. `{ host: null }`). */
  constraint?: { host?: string | null };
  columnsToJoin?: readonly InstanceJoin[];
}

/**
 * Soft-deletes the instance with its security group membership, info cache, metadata
 * and extra (system metadata stays, for usage audits, as in Nova). Returns the row as
 * deleted.
 */
export async function instanceDestroy(c: Conn, ctx: DbContext, uuid: string, opts: InstanceDestroyOptions = {}): Promise<InstanceRow> {
  return inTransaction(c, async (t) => {
    await getInstanceRaw(t, ctx, { uuid });
    const now = nowText(t);
    const qb = t.q('instances').where({ uuid, deleted: 0 });
    const constraint = opts.constraint ?? {};
    if (constraint.host === null) qb.whereNull('host');
    else if (constraint.host !== undefined) qb.where('host', constraint.host);
    if ((await qb.update({ deleted: t.q.ref('id'), deleted_at: now })) === 0) throw new ConstraintNotMet({ table: 'instances', constraint });
    for (const table of ['security_group_instance_association', 'instance_info_caches', 'instance_metadata', 'instance_extra']) {
      await t.q(table).where({ instance_uuid: uuid, deleted: 0 }).update({ deleted: t.q.ref('id'), deleted_at: now });
    }
    const raw = (await t.q('instances').where('uuid', uuid).first()) as Row;
    const [row] = await withJoins(t, { readDeleted: 'yes' }, [raw], opts.columnsToJoin ?? []);
    return row;
  });
}
