// The save paths: instance_save (objects), instance_update_and_get_original, and the
// legacy raw instance_update with Nova's allowed keys.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import {
  INSTANCE_UPDATE_ALLOWED_KEYS, InstanceNotFound, InstanceUpdateKeyNotAllowed, InvalidColumn,
  UnexpectedDeletingTaskStateError, UnexpectedTaskStateError, UnexpectedVMStateError,
} from '../src/index.js';
import { describeBackends, rejection } from './support/backends.js';

describeBackends('instance save', ({ db }) => {
  const api = () => db().api;
  const create = () => api().instance_create({}, { vm_state: 'building', task_state: 'spawning', metadata: { a: '1' }, system_metadata: { s: '1' }, flavor: { id: 1 } });

  it('writes only the given fields, bumps updated_at, returns the joins asked for', async () => {
    const inst = await create();
    const saved = await api().instance_save({}, inst.uuid, { vm_state: 'active', task_state: null, power_state: 1 }, { expectedTaskState: 'spawning', expectedVmState: ['building', 'error'], columnsToJoin: ['system_metadata'] });
    expect(saved).toMatchObject({ vm_state: 'active', task_state: null, power_state: 1, system_metadata: { s: '1' } });
    expect(saved.metadata).toBeUndefined();
    expect(saved.updated_at).toBeInstanceOf(Date);
    const bare = await api().instance_save({}, inst.uuid, { progress: 50 });
    expect(bare.progress).toBe(50);
    expect(bare.system_metadata).toBeUndefined();
  });

  it('replaces dicts and the extra JSON in the same transaction', async () => {
    const inst = await create();
    const saved = await api().instance_save({}, inst.uuid, { metadata: { b: '2' }, system_metadata: { s: '2', t: null }, flavor: { id: 2 }, numa_topology: { cells: [] } }, { columnsToJoin: ['metadata', 'system_metadata', 'flavor', 'numa_topology'] });
    expect(saved.metadata).toEqual({ b: '2' });
    expect(saved.system_metadata).toEqual({ s: '2', t: null });
    expect(saved.flavor).toEqual({ id: 2 });
    expect(saved.numa_topology).toEqual({ cells: [] });
  });

  it('raises the Nova state errors with expected and actual, and writes nothing', async () => {
    const inst = await create();
    const task = await rejection(api().instance_save({}, inst.uuid, { task_state: 'x', display_name: 'no' }, { expectedTaskState: [null, 'rebooting'] }));
    expect(task).toBeInstanceOf(UnexpectedTaskStateError);
    expect(task.kwargs).toEqual({ expected: [null, 'rebooting'], actual: 'spawning', instance_uuid: inst.uuid });
    const vm = await rejection(api().instance_save({}, inst.uuid, { vm_state: 'active' }, { expectedVmState: 'stopped', expectedTaskState: 'nope' }));
    expect(vm).toBeInstanceOf(UnexpectedVMStateError); // vm state is checked first, as in Nova
    expect(vm.kwargs).toMatchObject({ expected: ['stopped'], actual: 'building' });
    expect((await api().instance_get_by_uuid({}, inst.uuid)).display_name).toBeNull();
    await api().instance_save({}, inst.uuid, { task_state: 'deleting' });
    const del = await rejection(api().instance_save({}, inst.uuid, { task_state: 'rebooting' }, { expectedTaskState: null }));
    expect(del).toBeInstanceOf(UnexpectedDeletingTaskStateError);
    expect(del).toBeInstanceOf(UnexpectedTaskStateError);
    expect(del.name).toBe('UnexpectedDeletingTaskStateError');
    expect(await rejection(api().instance_save({}, randomUUID(), { progress: 1 }, { expectedTaskState: null }))).toBeInstanceOf(InstanceNotFound);
    expect(await rejection(api().instance_save({}, inst.uuid, { id: 5 } as never))).toBeInstanceOf(InvalidColumn);
  });

  it('does not save a deleted instance unless the context reads deleted rows', async () => {
    const inst = await create();
    await api().instance_destroy({}, inst.uuid);
    expect(await rejection(api().instance_save({}, inst.uuid, { cleaned: true }))).toBeInstanceOf(InstanceNotFound);
    expect((await api().instance_save({ readDeleted: 'yes' }, inst.uuid, { cleaned: true })).cleaned).toBe(true);
  });

  it('instance_update_and_get_original returns the row before and after', async () => {
    const inst = await create();
    const [before, after] = await api().instance_update_and_get_original({}, inst.uuid, { task_state: null, vm_state: 'active' }, { expectedTaskState: 'spawning', columnsToJoin: ['metadata'] });
    expect(before).toMatchObject({ task_state: 'spawning', vm_state: 'building', metadata: { a: '1' } });
    expect(after).toMatchObject({ task_state: null, vm_state: 'active', metadata: { a: '1' } });
  });

  it('legacy instance_update: Nova allowed keys, expected_task_state in the updates, ISO datetimes', async () => {
    const inst = await create();
    expect(INSTANCE_UPDATE_ALLOWED_KEYS).toContain('root_device_name');
    expect(INSTANCE_UPDATE_ALLOWED_KEYS).not.toContain('display_name');
    const row = await api().instance_update({}, inst.uuid, {
      task_state: null, vm_state: 'active', expected_task_state: 'spawning', launched_at: '2014-10-16T01:02:03.000000', root_device_name: '/dev/vda', system_metadata: { s: '9' },
    });
    expect(row.launched_at?.toISOString()).toBe('2014-10-16T01:02:03.000Z');
    expect(row.root_device_name).toBe('/dev/vda');
    expect(row.system_metadata).toEqual({ s: '9' });
    expect(row.info_cache).not.toBeUndefined(); // default joins, as Nova's conductor returned
    const bad = await rejection(api().instance_update({}, inst.uuid, { display_name: 'x' }));
    expect(bad).toBeInstanceOf(InstanceUpdateKeyNotAllowed);
    expect(bad.kwargs).toEqual({ key: 'display_name', instance_uuid: inst.uuid });
    expect(await rejection(api().instance_update({}, inst.uuid, { task_state: 'x', expected_task_state: 'spawning' }))).toBeInstanceOf(UnexpectedTaskStateError);
    // Without expected_task_state there is no compare (Nova: only a present key guards).
    expect((await api().instance_update({}, inst.uuid, { task_state: 'rebooting' })).task_state).toBe('rebooting');
  });
});
