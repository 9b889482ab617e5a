import { expect, it } from 'vitest';
import { FlavorAccessExists, FlavorAccessNotFound, FlavorExists, FlavorExtraSpecsNotFound, FlavorIdExists, FlavorNotFound, FlavorNotFoundByName } from '../src/index.js';
import { describeBackends, rejection, uniq } from './support/backends.js';

describeBackends('flavors', ({ db }) => {
  const api = () => db().api;
  const flavor = (name: string, extra: Record<string, unknown> = {}) => ({ name, flavorid: name, memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: 0, ...extra });

  it('creates with extra specs and access, refuses duplicates', async () => {
    const name = uniq('f');
    const f = await api().flavor_create({}, flavor(name, { extra_specs: { 'hw:cpu_policy': 'dedicated' }, is_public: false }), ['p1']);
    expect(f.extra_specs).toEqual({ 'hw:cpu_policy': 'dedicated' });
    expect(f.is_public).toBe(false);
    expect(f.rxtx_factor).toBe(1);
    expect(f.swap).toBe(0);
    expect(await rejection(api().flavor_create({}, flavor(name)))).toBeInstanceOf(FlavorIdExists);
    expect(await rejection(api().flavor_create({}, { ...flavor(name), flavorid: uniq('id') }))).toBeInstanceOf(FlavorExists);
    expect((await api().flavor_get({}, f.id)).name).toBe(name);
    expect((await api().flavor_get_by_name({}, name)).id).toBe(f.id);
    expect((await api().flavor_get_by_flavor_id({}, name)).id).toBe(f.id);
    expect(await api().flavor_access_get_by_flavor_id({}, name)).toEqual(['p1']);
  });

  it('edits extra specs and access', async () => {
    const name = uniq('f');
    await api().flavor_create({}, flavor(name));
    expect(await api().flavor_extra_specs_update_or_create({}, name, { a: '1', b: '2' })).toEqual({ a: '1', b: '2' });
    expect(await api().flavor_extra_specs_update_or_create({}, name, { a: '3' })).toEqual({ a: '3', b: '2' });
    await api().flavor_extra_specs_delete({}, name, 'b');
    expect(await api().flavor_extra_specs_get({}, name)).toEqual({ a: '3' });
    expect(await rejection(api().flavor_extra_specs_delete({}, name, 'b'))).toBeInstanceOf(FlavorExtraSpecsNotFound);
    await api().flavor_access_add({}, name, 'p2');
    expect(await rejection(api().flavor_access_add({}, name, 'p2'))).toBeInstanceOf(FlavorAccessExists);
    await api().flavor_access_remove({}, name, 'p2');
    expect(await rejection(api().flavor_access_remove({}, name, 'p2'))).toBeInstanceOf(FlavorAccessNotFound);
  });

  it('lists with filters and pages, and destroys by name', async () => {
    const tag = uniq('list');
    for (let i = 0; i < 5; i++) await api().flavor_create({}, flavor(`${tag}-${i}`, { memory_mb: 256 * (i + 1), is_public: i !== 4 }));
    const mine = (rows: { name: string }[]) => rows.filter((r) => r.name.startsWith(tag)).map((r) => r.name);
    expect(mine(await api().flavor_get_all({}, { min_memory_mb: 768 }))).toEqual([`${tag}-2`, `${tag}-3`, `${tag}-4`]);
    expect(mine(await api().flavor_get_all({}, { is_public: true }))).toHaveLength(4);
    expect(mine(await api().flavor_get_all({}, { project_id: 'nobody' }))).toHaveLength(4);
    const page = await api().flavor_get_all({}, {}, { marker: `${tag}-1`, limit: 2 });
    expect(page.map((f) => f.name)).toEqual([`${tag}-2`, `${tag}-3`]);
    await api().flavor_destroy({}, `${tag}-0`);
    expect(await rejection(api().flavor_get_by_name({}, `${tag}-0`))).toBeInstanceOf(FlavorNotFoundByName);
    expect(await rejection(api().flavor_get_by_flavor_id({}, `${tag}-0`))).toBeInstanceOf(FlavorNotFound);
    expect((await api().flavor_get_by_flavor_id({ readDeleted: 'yes' }, `${tag}-0`)).deleted).toBe(true);
    // The name is free again after a delete.
    await api().flavor_create({}, flavor(`${tag}-0`));
  });
});
