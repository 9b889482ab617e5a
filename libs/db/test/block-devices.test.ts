import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { BDMNotFound, VolumeBDMNotFound } from '../src/index.js';
import { describeBackends, rejection } from './support/backends.js';

describeBackends('block device mappings', ({ db }) => {
  const api = () => db().api;

  it('creates, lists by instance, updates and destroys', async () => {
    const inst = await api().instance_create({}, {});
    const root = await api().block_device_mapping_create({}, {
      instance_uuid: inst.uuid, source_type: 'image', destination_type: 'local', image_id: randomUUID(), boot_index: 0, device_name: '/dev/vda', delete_on_termination: true,
    });
    expect(root.delete_on_termination).toBe(true);
    expect(root.no_device).toBe(false);
    const vol = await api().block_device_mapping_create({}, { instance_uuid: inst.uuid, source_type: 'volume', destination_type: 'volume', volume_id: randomUUID(), device_name: '/dev/vdb' });
    expect((await api().block_device_mapping_get_all_by_instance({}, inst.uuid)).map((b) => b.id)).toEqual([root.id, vol.id]);
    const info = JSON.stringify({ driver_volume_type: 'file', data: { path: '/x' } });
    const upd = await api().block_device_mapping_update({}, vol.id, { connection_info: info });
    expect(upd.connection_info).toBe(info);
    expect(upd.updated_at).toBeInstanceOf(Date);
    await api().block_device_mapping_destroy({}, vol.id);
    expect((await api().block_device_mapping_get_all_by_instance({}, inst.uuid)).map((b) => b.id)).toEqual([root.id]);
    expect(await rejection(api().block_device_mapping_get({}, vol.id))).toBeInstanceOf(BDMNotFound);
    expect((await api().block_device_mapping_get({ readDeleted: 'yes' }, vol.id)).deleted).toBe(true);
    expect(await rejection(api().block_device_mapping_destroy({}, vol.id))).toBeInstanceOf(BDMNotFound);
  });

  it('lists the live mappings of many instances in one call, in id order', async () => {
    const [a, b, none] = [await api().instance_create({}, {}), await api().instance_create({}, {}), await api().instance_create({}, {})];
    const vol = (uuid: string) => api().block_device_mapping_create({}, { instance_uuid: uuid, source_type: 'volume', destination_type: 'volume', volume_id: randomUUID() });
    const a1 = await vol(a.uuid);
    const b1 = await vol(b.uuid);
    const a2 = await vol(a.uuid);
    const gone = await vol(b.uuid);
    await api().block_device_mapping_destroy({}, gone.id);
    const ids = async (ctx: { readDeleted?: 'yes' }, uuids: string[]) => (await api().block_device_mapping_get_all_by_instance_uuids(ctx, uuids)).map((x) => x.id);
    expect(await ids({}, [b.uuid, a.uuid, none.uuid, randomUUID(), a.uuid])).toEqual([a1.id, b1.id, a2.id]);
    expect((await api().block_device_mapping_get_all_by_instance_uuids({}, [a.uuid])).map((x) => [x.instance_uuid, x.volume_id])).toEqual(
      (await api().block_device_mapping_get_all_by_instance({}, a.uuid)).map((x) => [x.instance_uuid, x.volume_id]),
    );
    expect(await ids({ readDeleted: 'yes' }, [b.uuid])).toEqual([b1.id, gone.id]);
    expect(await ids({}, [])).toEqual([]);
    // More uuids than any backend binds in one statement (SQLite 32766, PostgreSQL 65535).
    const many: string[] = Array.from({ length: 70_000 }, () => randomUUID());
    many[0] = b.uuid;
    many[40_000] = a.uuid;
    many[69_999] = none.uuid;
    expect(await ids({}, many)).toEqual([a1.id, b1.id, a2.id]);
  });

  it('lists the live mappings of many volumes in one call, in id order; a volume’s last is what get_by_volume_id gives', async () => {
    const [a, b] = [await api().instance_create({}, {}), await api().instance_create({}, {})];
    const [v1, v2, v3, unmapped] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const map = (uuid: string, volume_id: string) => api().block_device_mapping_create({}, { instance_uuid: uuid, source_type: 'volume', destination_type: 'volume', volume_id });
    const a1 = await map(a.uuid, v1);
    const b2 = await map(b.uuid, v2);
    const b1 = await map(b.uuid, v1); // a volume mapped to two instances, as during a migration
    const gone = await map(a.uuid, v3);
    await api().block_device_mapping_destroy({}, gone.id);
    const ids = async (ctx: { readDeleted?: 'yes' }, volumeIds: string[]) => (await api().block_device_mapping_get_all_by_volume_ids(ctx, volumeIds)).map((x) => x.id);
    expect(await ids({}, [v2, v1, v3, unmapped, v1])).toEqual([a1.id, b2.id, b1.id]);
    const last = (await api().block_device_mapping_get_all_by_volume_ids({}, [v1])).at(-1)!;
    expect(last).toEqual(await api().block_device_mapping_get_by_volume_id({}, v1));
    expect(await ids({ readDeleted: 'yes' }, [v3])).toEqual([gone.id]);
    expect(await ids({}, [])).toEqual([]);
    // More ids than any backend binds in one statement (SQLite 32766, PostgreSQL 65535).
    const many: string[] = Array.from({ length: 70_000 }, () => randomUUID());
    many[0] = v2;
    many[40_000] = v1;
    many[69_999] = unmapped;
    expect(await ids({}, many)).toEqual([a1.id, b2.id, b1.id]);
  });

  it('gets by volume id, optionally with the instance and for one instance', async () => {
    const inst = await api().instance_create({}, { host: 'h1' });
    const volumeId = randomUUID();
    const bdm = await api().block_device_mapping_create({}, { instance_uuid: inst.uuid, source_type: 'volume', destination_type: 'volume', volume_id: volumeId });
    expect((await api().block_device_mapping_get_by_volume_id({}, volumeId)).id).toBe(bdm.id);
    const joined = await api().block_device_mapping_get_by_volume_id({}, volumeId, { columnsToJoin: ['instance'], instanceJoins: ['system_metadata'] });
    expect(joined.instance?.uuid).toBe(inst.uuid);
    expect(joined.instance?.system_metadata).toEqual({});
    const err = await rejection(api().block_device_mapping_get_by_volume_id({}, volumeId, { instanceUuid: randomUUID() }));
    expect(err).toBeInstanceOf(VolumeBDMNotFound);
    expect(err.kwargs).toEqual({ volume_id: volumeId });
    await api().block_device_mapping_destroy_by_instance_and_volume({}, inst.uuid, volumeId);
    expect(await rejection(api().block_device_mapping_get_by_volume_id({}, volumeId))).toBeInstanceOf(VolumeBDMNotFound);
  });

  it('update_or_create updates by device name, creates otherwise, and keeps one swap', async () => {
    const inst = await api().instance_create({}, {});
    const a = await api().block_device_mapping_update_or_create({}, { instance_uuid: inst.uuid, device_name: '/dev/vdc', source_type: 'volume', destination_type: 'volume', volume_id: 'v1' });
    const b = await api().block_device_mapping_update_or_create({}, { instance_uuid: inst.uuid, device_name: '/dev/vdc', source_type: 'volume', destination_type: 'volume', volume_id: 'v2' });
    expect(b.id).toBe(a.id);
    expect(b.volume_id).toBe('v2');
    const noName = await api().block_device_mapping_update_or_create({}, { instance_uuid: inst.uuid, source_type: 'volume', destination_type: 'volume', volume_id: 'v3' });
    expect(noName.id).not.toBe(a.id);
    const swap = { instance_uuid: inst.uuid, source_type: 'blank', destination_type: 'local', guest_format: 'swap', volume_size: 1 };
    const s1 = await api().block_device_mapping_update_or_create({}, { ...swap, device_name: '/dev/vdd' });
    const s2 = await api().block_device_mapping_update_or_create({}, { ...swap, device_name: '/dev/vde' });
    const live = await api().block_device_mapping_get_all_by_instance({}, inst.uuid);
    expect(live.map((x) => x.id)).toEqual([a.id, noName.id, s2.id]);
    expect(live.some((x) => x.id === s1.id)).toBe(false);
    await api().block_device_mapping_destroy_by_instance_and_device({}, inst.uuid, '/dev/vde');
    expect((await api().block_device_mapping_get_all_by_instance({}, inst.uuid)).length).toBe(2);
  });
});
