import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import {
  ConstraintNotMet, InstanceExists, InstanceNotFound, InvalidColumn, InvalidSortKey, MarkerNotFound,
  SecurityGroupNotFoundForProject, type DbApi, type InstanceCreateValues,
} from '../src/index.js';
import { describeBackends, rejection, uniq } from './support/backends.js';

describeBackends('instances', ({ db }) => {
  const api = (): DbApi => db().api;
  const create = (v: InstanceCreateValues = {}) => api().instance_create({}, { project_id: 'p1', user_id: 'u1', vm_state: 'building', ...v });

  it('creates an instance with metadata, system metadata, info cache, default security group and extra', async () => {
    const inst = await create({ metadata: { a: '1' }, system_metadata: { 'instance_type_name': 'm1.tiny', x: null }, security_groups: ['default'], flavor: { memory_mb: 512 }, info_cache: { network_info: [{ id: 'vif1' }] } });
    expect(inst.id).toBeGreaterThan(0);
    expect(inst.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(inst.deleted).toBe(false);
    expect(inst.locked).toBe(false);
    expect(inst.created_at).toBeInstanceOf(Date);
    expect(inst.updated_at).toBeNull();
    expect(inst.metadata).toEqual({ a: '1' });
    expect(inst.system_metadata).toEqual({ instance_type_name: 'm1.tiny', x: null });
    expect(inst.info_cache?.network_info).toEqual([{ id: 'vif1' }]);
    expect(inst.security_groups?.map((g) => g.name)).toEqual(['default']);
    expect(inst.flavor).toBeUndefined();
    const got = await api().instance_get_by_uuid({}, inst.uuid, { columnsToJoin: ['flavor', 'fault', 'numa_topology'] });
    expect(got.flavor).toEqual({ memory_mb: 512 });
    expect(got.fault).toBeNull();
    expect(got.numa_topology).toBeNull();
    expect(got.metadata).toBeUndefined();
  });

  it('refuses a duplicate uuid and unknown security groups', async () => {
    const inst = await create();
    expect(await rejection(create({ uuid: inst.uuid }))).toBeInstanceOf(InstanceExists);
    const err = await rejection(create({ security_groups: ['nope'] }));
    expect(err).toBeInstanceOf(SecurityGroupNotFoundForProject);
    expect(err.kwargs).toEqual({ project_id: 'p1', security_group_id: 'nope' });
  });

  it('round-trips every kind of column', async () => {
    const launched = new Date('2014-10-16T12:34:56.789Z');
    const inst = await create({ launched_at: launched, locked: true, locked_by: 'admin', memory_mb: 2048, cleaned: true, access_ip_v4: '10.0.0.1', user_data: 'x'.repeat(70000), config_drive: '' });
    const got = await api().instance_get({}, inst.id, { columnsToJoin: [] });
    expect(got.launched_at?.toISOString()).toBe('2014-10-16T12:34:56.000Z');
    expect(got.locked).toBe(true);
    expect(got.cleaned).toBe(true);
    expect(got.memory_mb).toBe(2048);
    expect(got.user_data?.length).toBe(70000);
    expect(got.config_drive).toBe('');
    expect(await rejection(create({ bogus: 1 } as never))).toBeInstanceOf(InvalidColumn);
  });

  it('get raises InstanceNotFound with the id it was given', async () => {
    const uuid = randomUUID();
    const err = await rejection(api().instance_get_by_uuid({}, uuid));
    expect(err).toBeInstanceOf(InstanceNotFound);
    expect(err.name).toBe('InstanceNotFound');
    expect(err.category).toBe('NotFound');
    expect(err.kwargs).toEqual({ instance_id: uuid });
  });

  it('lists by host and by host and node, with the default joins', async () => {
    const host = uniq('host');
    const a = await create({ host, node: 'n1', metadata: { k: 'v' } });
    const b = await create({ host, node: 'n2' });
    await create({ host: uniq('other'), node: 'n1' });
    const all = await api().instance_get_all_by_host({}, host);
    expect(all.map((i) => i.uuid)).toEqual([a.uuid, b.uuid]);
    expect(all[0].metadata).toEqual({ k: 'v' });
    expect(all[1].metadata).toEqual({});
    expect(all[0].security_groups).toEqual([]);
    const n1 = await api().instance_get_all_by_host_and_node({}, host, 'n1', { columnsToJoin: [] });
    expect(n1.map((i) => i.uuid)).toEqual([a.uuid]);
    expect(n1[0].metadata).toBeUndefined();
  });

  it('filters, sorts and pages with a marker', async () => {
    const project = uniq('proj');
    const made = [];
    for (let i = 0; i < 7; i++) {
      made.push(await create({ project_id: project, display_name: i % 3 === 0 ? null : `vm-${i % 3}`, vm_state: i % 2 ? 'active' : 'stopped', metadata: { tier: i < 3 ? 'web' : 'db' } }));
    }
    const f = (filters: Record<string, unknown>, opts = {}) => api().instance_get_all_by_filters({}, { project_id: project, ...filters }, { columnsToJoin: [], ...opts });
    expect((await f({})).length).toBe(7);
    expect((await f({ vm_state: 'active' })).length).toBe(3);
    expect((await f({ vm_state: ['active', 'stopped'] })).length).toBe(7);
    expect((await f({ display_name: null })).length).toBe(3);
    expect((await f({ display_name: { like: 'm-2' } })).length).toBe(2);
    expect((await f({ metadata: { tier: 'web' } })).map((i) => i.uuid)).toEqual(made.slice(0, 3).map((i) => i.uuid).reverse());
    expect((await f({ uuid: [made[1].uuid, made[4].uuid] })).length).toBe(2);
    // Paging over a nullable key visits every row once, in order, on every backend.
    for (const dir of ['asc', 'desc'] as const) {
      const full = (await f({}, { sortKey: 'display_name', sortDir: dir })).map((i) => i.uuid);
      const paged: string[] = [];
      let marker: string | undefined;
      for (;;) {
        const page = await f({}, { sortKey: 'display_name', sortDir: dir, limit: 2, marker });
        if (page.length === 0) break;
        paged.push(...page.map((i) => i.uuid));
        marker = page[page.length - 1].uuid;
      }
      expect(paged).toEqual(full);
      const names = (await f({}, { sortKey: 'display_name', sortDir: dir })).map((i) => i.display_name);
      expect(dir === 'asc' ? names[0] : names[names.length - 1]).toBeNull();
    }
    expect(await rejection(f({}, { sortKey: 'user_data' }))).toBeInstanceOf(InvalidSortKey);
    expect(await rejection(f({}, { marker: randomUUID() }))).toBeInstanceOf(MarkerNotFound);
    expect(await rejection(f({ nonsense: 1 }))).toBeInstanceOf(InvalidColumn);
  });

  it('soft-deletes: destroy hides the instance unless the context reads deleted rows', async () => {
    const host = uniq('host');
    const inst = await create({ host, metadata: { a: '1' }, system_metadata: { s: '1' }, security_groups: ['default'] });
    const gone = await api().instance_destroy({}, inst.uuid);
    expect(gone.deleted).toBe(true);
    expect(gone.deleted_at).toBeInstanceOf(Date);
    expect(await rejection(api().instance_get_by_uuid({}, inst.uuid))).toBeInstanceOf(InstanceNotFound);
    const seen = await api().instance_get_by_uuid({ readDeleted: 'yes' }, inst.uuid);
    expect(seen.deleted).toBe(true);
    expect(seen.metadata).toEqual({});
    expect(seen.system_metadata).toEqual({ s: '1' }); // kept for usage audits, as in Nova
    expect(seen.security_groups).toEqual([]);
    expect(await api().instance_get_all_by_host({}, host)).toEqual([]);
    expect((await api().instance_get_all_by_host({ readDeleted: 'only' }, host)).map((i) => i.uuid)).toEqual([inst.uuid]);
    expect((await api().instance_get_all_by_filters({}, { host, deleted: true })).length).toBe(1);
    expect(await rejection(api().instance_destroy({}, inst.uuid))).toBeInstanceOf(InstanceNotFound);
  });

  it('destroy honours a host constraint', async () => {
    const inst = await create({ host: 'h1' });
    const err = await rejection(api().instance_destroy({}, inst.uuid, { constraint: { host: null } }));
    expect(err).toBeInstanceOf(ConstraintNotMet);
    await api().instance_destroy({}, inst.uuid, { constraint: { host: 'h1' } });
  });

  it('updates metadata dicts in place and deletes keys', async () => {
    const inst = await create({ metadata: { a: '1', b: '2' } });
    expect(await api().instance_metadata_update({}, inst.uuid, { b: '3', c: '4' }, false)).toEqual({ a: '1', b: '3', c: '4' });
    expect(await api().instance_metadata_update({}, inst.uuid, { c: '5' }, true)).toEqual({ c: '5' });
    await api().instance_metadata_delete({}, inst.uuid, 'c');
    expect(await api().instance_metadata_get({}, inst.uuid)).toEqual({});
    // A key can come back after a delete: the unique key includes `deleted`.
    await api().instance_metadata_update({}, inst.uuid, { a: 'again' }, false);
    expect(await api().instance_metadata_get({}, inst.uuid)).toEqual({ a: 'again' });
    await api().instance_system_metadata_update({}, inst.uuid, { s: null }, false);
    expect(await api().instance_system_metadata_get({}, inst.uuid)).toEqual({ s: null });
  });

  it('keeps the info cache: update, get, delete, and no revival after destroy', async () => {
    const inst = await create();
    const nw = [{ id: 'vif', address: 'fa:16:3e:00:00:01', network: { subnets: [] } }];
    const row = await api().instance_info_cache_update({}, inst.uuid, { network_info: nw });
    expect(row.network_info).toEqual(nw);
    expect(row.updated_at).toBeInstanceOf(Date);
    await api().instance_info_cache_update({}, inst.uuid, { network_info: JSON.stringify([]) });
    expect((await api().instance_info_cache_get({}, inst.uuid))?.network_info).toEqual([]);
    await api().instance_destroy({}, inst.uuid);
    expect((await rejection(api().instance_info_cache_update({}, inst.uuid, { network_info: [] }))).name).toBe('InstanceInfoCacheNotFound');
    expect(await api().instance_info_cache_get({}, randomUUID())).toBeNull();
  });

  it('finds instances hung in rebooting and active in a window', async () => {
    const host = uniq('host');
    const a = await create({ host, task_state: 'rebooting', launched_at: '2020-01-01T00:00:00Z' });
    await api().instance_save({}, a.uuid, { updated_at: new Date(Date.now() - 3600_000) });
    const b = await create({ host, task_state: 'rebooting', launched_at: '2020-06-01T00:00:00Z', terminated_at: '2020-07-01T00:00:00Z' });
    const hung = (await api().instance_get_all_hung_in_rebooting({}, 600)).map((i) => i.uuid);
    expect(hung).toContain(a.uuid);
    expect(hung).not.toContain(b.uuid);
    const active = (await api().instance_get_active_by_window_joined({}, '2020-08-01T00:00:00Z', null, null, host)).map((i) => i.uuid);
    expect(active).toEqual([a.uuid]);
    const early = (await api().instance_get_active_by_window_joined({}, '2019-01-01T00:00:00Z', '2020-03-01T00:00:00Z', null, host)).map((i) => i.uuid);
    expect(early).toEqual([a.uuid]);
    expect((await api().instance_get_all_by_host_and_not_type({}, host, 42)).length).toBe(2);
  });
});
