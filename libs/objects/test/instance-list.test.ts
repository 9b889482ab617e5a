import { describe, expect, it } from 'vitest';
import { InstanceFault, InstanceList, InvalidSortKey, MarkerNotFound, TaskState } from '../src/index.js';
import { makeInstance, MODES, useEnv, uuid } from './harness.js';

describe.each(MODES)('InstanceList (%s)', (mode) => {
  const env = useEnv(mode);

  it('getByHost and getByHostAndNode return that host’s live instances, in one call each', async () => {
    const host = `h-${uuid()}`;
    const a = await makeInstance(env, { host, node: 'n1' });
    const b = await makeInstance(env, { host, node: 'n2' });
    const gone = await makeInstance(env, { host, node: 'n1' });
    await gone.destroy();
    await makeInstance(env, { host: 'elsewhere', node: 'n1' });
    env.resetCalls();
    const all = await InstanceList.getByHost(env.ctx, host);
    const onN1 = await InstanceList.getByHostAndNode(env.ctx, host, 'n1');
    expect(env.callNames()).toEqual(mode === 'remote' ? ['InstanceList.getByHost', 'InstanceList.getByHostAndNode'] : []);
    expect(all).toBeInstanceOf(InstanceList);
    expect(all.map((i) => i.uuid).sort()).toEqual([a.uuid, b.uuid].sort());
    expect(onN1.map((i) => i.uuid)).toEqual([a.uuid]);
    expect(all.obj_has_changes()).toBe(false);
    expect(all.at(0)!.obj_context).toBe(env.ctx);
  });

  it('loads the expected attributes for every instance and leaves the others lazy', async () => {
    const host = `h-${uuid()}`;
    await makeInstance(env, { host, metadata: { a: '1' } });
    await makeInstance(env, { host, metadata: { b: '2' } });
    const list = await InstanceList.getByHost(env.ctx, host, { expectedAttrs: ['metadata'] });
    expect(list.map((i) => i.metadata).sort((x, y) => Object.keys(x)[0]!.localeCompare(Object.keys(y)[0]!))).toEqual([{ a: '1' }, { b: '2' }]);
    expect(list.at(0)!.obj_attr_is_set('info_cache')).toBe(false);
  });

  it('getByFilters sorts, limits and pages with a marker', async () => {
    const project = `p-${uuid()}`;
    const names = ['c', 'a', 'e', 'b', 'd'];
    for (const display_name of names) await makeInstance(env, { project_id: project, display_name });
    const query = { sortKey: 'display_name', sortDir: 'asc' as const, limit: 2 };
    const page1 = await InstanceList.getByFilters(env.ctx, { project_id: project }, query);
    const page2 = await InstanceList.getByFilters(env.ctx, { project_id: project }, { ...query, marker: page1.at(-1)!.uuid });
    const page3 = await InstanceList.getByFilters(env.ctx, { project_id: project }, { ...query, marker: page2.at(-1)!.uuid });
    expect([page1, page2, page3].map((p) => p.map((i) => i.display_name))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    const desc = await InstanceList.getByFilters(env.ctx, { project_id: project }, { sortKey: 'display_name', sortDir: 'desc' });
    expect(desc.map((i) => i.display_name)).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('filters by lists of values, like-matches, metadata and deleted', async () => {
    const project = `p-${uuid()}`;
    const web = await makeInstance(env, { project_id: project, display_name: 'web-1', task_state: TaskState.SPAWNING, metadata: { role: 'web' } });
    const db = await makeInstance(env, { project_id: project, display_name: 'db-1', task_state: null, metadata: { role: 'db' } });
    const old = await makeInstance(env, { project_id: project, display_name: 'web-old' });
    await old.destroy();
    const byState = await InstanceList.getByFilters(env.ctx, { project_id: project, task_state: [TaskState.SPAWNING, null] }, { sortKey: 'id', sortDir: 'asc' });
    expect(byState.map((i) => i.uuid)).toEqual([web.uuid, db.uuid]);
    const like = await InstanceList.getByFilters(env.ctx, { project_id: project, display_name: { like: 'web' } });
    expect(like.map((i) => i.uuid)).toEqual([web.uuid]);
    const byMeta = await InstanceList.getByFilters(env.ctx, { project_id: project, metadata: { role: 'db' } });
    expect(byMeta.map((i) => i.uuid)).toEqual([db.uuid]);
    const deleted = await InstanceList.getByFilters(env.ctx, { project_id: project, deleted: true });
    expect(deleted.map((i) => [i.uuid, i.deleted])).toEqual([[old.uuid, true]]);
  });

  it('reports a bad sort key and an unknown marker with this lib’s errors', async () => {
    await expect(InstanceList.getByFilters(env.ctx, {}, { sortKey: 'user_data' })).rejects.toThrow(InvalidSortKey);
    await expect(InstanceList.getByFilters(env.ctx, {}, { marker: uuid() })).rejects.toThrow(MarkerNotFound);
  });

  it('fillFaults sets each instance’s newest fault (or null) with one call', async () => {
    const host = `h-${uuid()}`;
    const a = await makeInstance(env, { host });
    const b = await makeInstance(env, { host });
    for (const message of ['first', 'second']) await new InstanceFault({ instance_uuid: a.uuid, code: 500, message }, env.admin).create();
    const list = await InstanceList.getByHost(env.ctx, host);
    env.resetCalls();
    await list.fillFaults();
    expect(env.callNames()).toEqual(mode === 'remote' ? ['InstanceFaultList.getByInstanceUuids'] : []);
    const byUuid = new Map(list.map((i) => [i.uuid, i.fault]));
    expect(byUuid.get(a.uuid)!.message).toBe('second');
    expect(byUuid.get(b.uuid)).toBeNull();
    expect(list.obj_has_changes()).toBe(false);
  });
});
