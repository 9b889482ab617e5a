import { ObjectActionError } from '@novakit/versioned-objects';
import { describe, expect, it } from 'vitest';
import {
  BlockDeviceMapping,
  BlockDeviceMappingList,
  Flavor,
  FlavorExists,
  FlavorList,
  InstanceInfoCache,
  InstanceInfoCacheNotFound,
  SAMPLE_NETWORK_INFO,
  SecurityGroup,
  SecurityGroupList,
  SecurityGroupNotFound,
  SecurityGroupRule,
  SecurityGroupRuleList,
  VolumeBDMNotFound,
  vifFixedIps,
} from '../src/index.js';
import { makeInstance, MODES, useEnv, uuid } from './harness.js';

describe.each(MODES)('InstanceInfoCache (%s)', (mode) => {
  const env = useEnv(mode);

  it('saves network_info only when it changed, and reads it back typed', async () => {
    const inst = await makeInstance(env);
    const cache = await InstanceInfoCache.getByInstanceUuid(env.ctx, inst.uuid);
    expect(cache.network_info).toBeNull();
    env.resetCalls();
    await cache.save();
    cache.network_info = SAMPLE_NETWORK_INFO;
    await cache.save();
    expect(env.callNames()).toEqual(mode === 'remote' ? ['InstanceInfoCache.save', 'InstanceInfoCache.save'] : []);
    const again = await InstanceInfoCache.getByInstanceUuid(env.ctx, inst.uuid);
    expect(vifFixedIps(again.network_info![0]!).map((ip) => ip.address)).toEqual(['10.0.0.5']);
    expect(again.updated_at).toBeInstanceOf(Date);
  });

  it('refresh re-reads; delete removes it', async () => {
    const inst = await makeInstance(env);
    const cache = await InstanceInfoCache.getByInstanceUuid(env.ctx, inst.uuid);
    const other = await InstanceInfoCache.getByInstanceUuid(env.admin, inst.uuid);
    other.network_info = SAMPLE_NETWORK_INFO;
    await other.save();
    await cache.refresh();
    expect(cache.network_info).toEqual(SAMPLE_NETWORK_INFO);
    await cache.delete();
    await cache.refresh();
    expect(cache.deleted).toBe(true);
    // A deleted cache is not revived by a late save (its instance is gone).
    cache.network_info = [];
    await expect(cache.save()).rejects.toThrow(InstanceInfoCacheNotFound);
  });
});

describe.each(MODES)('BlockDeviceMapping (%s)', (mode) => {
  const env = useEnv(mode);

  const bdm = (instanceUuid: string, values: Record<string, unknown>) =>
    new BlockDeviceMapping({ instance_uuid: instanceUuid, delete_on_termination: false, no_device: false, ...values } as never, env.ctx);

  it('creates, lists with the root BDM helper, saves changed fields and destroys', async () => {
    const inst = await makeInstance(env);
    const root = bdm(inst.uuid, { source_type: 'image', destination_type: 'local', boot_index: 0, device_name: '/dev/vda', image_id: uuid() });
    await root.create();
    const vol = bdm(inst.uuid, { source_type: 'volume', destination_type: 'volume', boot_index: null, device_name: '/dev/vdb', volume_id: 'vol-1' });
    await vol.create();
    expect(root.id).toBeGreaterThan(0);
    await expect(root.create()).rejects.toThrow(ObjectActionError);

    const list = await BlockDeviceMappingList.getByInstanceUuid(env.ctx, inst.uuid);
    expect(list.length).toBe(2);
    expect(list.rootBdm()!.device_name).toBe('/dev/vda');
    expect(list.rootBdm()!.isImage).toBe(true);
    expect(list.volumeBdms().map((b) => b.volume_id)).toEqual(['vol-1']);

    vol.connection_info = JSON.stringify({ driver_volume_type: 'iscsi', data: { target_lun: 1 } });
    env.resetCalls();
    await vol.save();
    if (mode === 'remote') expect(JSON.parse(env.calls()[0]!.wire).objinst['nova_object.changes']).toEqual(['connection_info']);
    expect(String(vol)).not.toContain('iscsi');
    const stored = await BlockDeviceMapping.getByVolumeId(env.admin, 'vol-1');
    expect(JSON.parse(stored.connection_info!).data.target_lun).toBe(1);

    await vol.destroy();
    expect(vol.deleted).toBe(true);
    await expect(BlockDeviceMapping.getByVolumeId(env.ctx, 'vol-1')).rejects.toThrow(VolumeBDMNotFound);
    expect((await BlockDeviceMappingList.getByInstanceUuid(env.ctx, inst.uuid)).length).toBe(1);
  });

  it('getByInstanceUuids lists the mappings of many instances with one call; bdmsByInstanceUuid groups them', async () => {
    const [a, b, none] = [await makeInstance(env), await makeInstance(env), await makeInstance(env)];
    const made: BlockDeviceMapping[] = [];
    for (const [inst, device] of [[a, '/dev/vdb'], [b, '/dev/vdb'], [a, '/dev/vdc']] as const) {
      const m = bdm(inst.uuid, { source_type: 'volume', destination_type: 'volume', device_name: device, volume_id: `vol-${uuid()}` });
      await m.create();
      made.push(m);
    }
    env.resetCalls();
    const all = await BlockDeviceMappingList.getByInstanceUuids(env.ctx, [b.uuid, a.uuid, none.uuid]);
    expect(all.map((m) => m.id)).toEqual(made.map((m) => m.id));
    expect(all.objects[0]!.obj_context).toBe(env.ctx);
    expect(env.callNames()).toEqual(mode === 'remote' ? ['BlockDeviceMappingList.getByInstanceUuids'] : []);

    env.resetCalls();
    const grouped = await BlockDeviceMappingList.bdmsByInstanceUuid(env.ctx, [a.uuid, b.uuid, none.uuid, a.uuid]);
    expect(env.callNames()).toEqual(mode === 'remote' ? ['BlockDeviceMappingList.getByInstanceUuids'] : []);
    expect([...grouped.keys()]).toEqual([a.uuid, b.uuid, none.uuid]);
    expect(grouped.get(a.uuid)!.volumeBdms().map((m) => m.device_name)).toEqual(['/dev/vdb', '/dev/vdc']);
    expect(grouped.get(a.uuid)!.map((m) => m.id)).toEqual((await BlockDeviceMappingList.getByInstanceUuid(env.ctx, a.uuid)).map((m) => m.id));
    expect(grouped.get(b.uuid)!.map((m) => m.id)).toEqual([made[1]!.id]);
    expect(grouped.get(none.uuid)!.length).toBe(0);

    env.resetCalls();
    expect((await BlockDeviceMappingList.bdmsByInstanceUuid(env.ctx, [])).size).toBe(0);
    expect(env.calls()).toHaveLength(0);
  });

  it('getByVolumeIds lists the mappings of many volumes with one call; bdmByVolumeId keeps what getByVolumeId gives', async () => {
    const [a, b] = [await makeInstance(env), await makeInstance(env)];
    const [v1, v2, unmapped] = [`vol-${uuid()}`, `vol-${uuid()}`, `vol-${uuid()}`];
    const made: BlockDeviceMapping[] = [];
    for (const [inst, volume_id] of [[a, v1], [b, v2], [b, v1]] as const) {
      const m = bdm(inst.uuid, { source_type: 'volume', destination_type: 'volume', device_name: '/dev/vdb', volume_id });
      await m.create();
      made.push(m);
    }
    env.resetCalls();
    const all = await BlockDeviceMappingList.getByVolumeIds(env.ctx, [v2, v1, unmapped]);
    expect(all.map((m) => m.id)).toEqual(made.map((m) => m.id));
    expect(all.objects[0]!.obj_context).toBe(env.ctx);
    expect(env.callNames()).toEqual(mode === 'remote' ? ['BlockDeviceMappingList.getByVolumeIds'] : []);

    env.resetCalls();
    const byVolume = await BlockDeviceMappingList.bdmByVolumeId(env.ctx, [v1, v2, unmapped, v1]);
    expect(env.callNames()).toEqual(mode === 'remote' ? ['BlockDeviceMappingList.getByVolumeIds'] : []);
    expect([...byVolume.keys()].sort()).toEqual([v1, v2].sort());
    for (const v of [v1, v2]) expect(byVolume.get(v)!.id, v).toBe((await BlockDeviceMapping.getByVolumeId(env.ctx, v)).id);
    expect(byVolume.get(v1)!.instance_uuid).toBe(b.uuid);

    env.resetCalls();
    expect((await BlockDeviceMappingList.bdmByVolumeId(env.ctx, [])).size).toBe(0);
    expect(env.calls()).toHaveLength(0);
  });

  it('getByVolumeId can load the instance in the same call, else lazily', async () => {
    const inst = await makeInstance(env, { display_name: 'with-volume' });
    const volumeId = `vol-${uuid()}`;
    await bdm(inst.uuid, { source_type: 'volume', destination_type: 'volume', volume_id: volumeId, device_name: '/dev/vdc' }).create();
    env.resetCalls();
    const joined = await BlockDeviceMapping.getByVolumeId(env.ctx, volumeId, { expectedAttrs: ['instance'] });
    expect(joined.instance!.display_name).toBe('with-volume');
    expect(env.calls()).toHaveLength(mode === 'remote' ? 1 : 0);
    const plain = await BlockDeviceMapping.getByVolumeId(env.ctx, volumeId, { instanceUuid: inst.uuid });
    expect(plain.obj_attr_is_set('instance')).toBe(false);
    env.resetCalls();
    await plain.obj_load_attr('instance');
    expect(plain.instance!.uuid).toBe(inst.uuid);
    expect(env.callNames()).toEqual(mode === 'remote' ? ['Instance.getByUuid'] : []);
  });

  it('updateOrCreate reuses the live mapping of the same device', async () => {
    const inst = await makeInstance(env);
    const first = bdm(inst.uuid, { source_type: 'blank', destination_type: 'local', device_name: '/dev/vdd', volume_size: 1 });
    await first.updateOrCreate();
    const second = bdm(inst.uuid, { source_type: 'blank', destination_type: 'local', device_name: '/dev/vdd', volume_size: 2 });
    await second.updateOrCreate();
    expect(second.id).toBe(first.id);
    const list = await BlockDeviceMappingList.getByInstanceUuid(env.ctx, inst.uuid);
    expect(list.map((b) => b.volume_size)).toEqual([2]);
  });

  it('refuses to write the instance through its mapping', async () => {
    const inst = await makeInstance(env);
    const b = bdm(inst.uuid, { source_type: 'blank', destination_type: 'local', device_name: '/dev/vde' });
    await b.create();
    b.instance = inst;
    await expect(b.save()).rejects.toThrow(/instance changed/);
  });
});

describe.each(MODES)('SecurityGroup and SecurityGroupRule (%s)', (mode) => {
  const env = useEnv(mode);

  it('creates groups and rules and finds them by project, instance and group', async () => {
    const project = `p-${uuid()}`;
    const web = new SecurityGroup({ name: 'web', description: 'http', project_id: project, user_id: 'u' }, env.ctx);
    await web.create();
    const admin = new SecurityGroup({ name: 'admin', description: 'ssh', project_id: project, user_id: 'u' }, env.ctx);
    await admin.create();
    const http = new SecurityGroupRule({ protocol: 'tcp', from_port: 80, to_port: 80, cidr: '0.0.0.0/0', parent_group: web }, env.ctx);
    await http.create();
    const fromAdmin = new SecurityGroupRule({ protocol: 'tcp', from_port: 22, to_port: 22, cidr: null, parent_group: web, grantee_group: admin }, env.ctx);
    await fromAdmin.create();
    expect(http.id).toBeGreaterThan(0);
    expect(http.parent_group!.name).toBe('web');

    const rules = await SecurityGroupRuleList.getBySecurityGroup(env.ctx, web);
    expect(rules.map((r) => [r.from_port, r.cidr, r.grantee_group?.name ?? null])).toEqual([
      [80, '0.0.0.0/0', null],
      [22, null, 'admin'],
    ]);
    expect((await SecurityGroupRule.getById(env.ctx, http.id)).parent_group!.id).toBe(web.id);

    const inst = await makeInstance(env, { project_id: project, security_groups: new SecurityGroupList({ objects: [new SecurityGroup({ name: 'web' })] }) });
    expect((await SecurityGroupList.getByInstance(env.ctx, inst.uuid)).map((g) => g.name)).toEqual(['web']);
    expect((await SecurityGroupRuleList.getByInstance(env.ctx, inst.uuid)).length).toBe(2);
    expect((await SecurityGroupList.getByProject(env.ctx, project)).map((g) => g.name)).toEqual(['web', 'admin']);
    expect((await SecurityGroupList.getAll(env.ctx)).length).toBeGreaterThanOrEqual(2);
    expect(await web.inUse()).toBe(true);
    expect(await admin.inUse()).toBe(false);
  });

  it('getBySecurityGroupIds lists the rules of many groups with one call; rulesBySecurityGroupId groups them', async () => {
    const project = `p-${uuid()}`;
    const groups: SecurityGroup[] = [];
    for (const name of ['web', 'db', 'empty']) {
      const g = new SecurityGroup({ name, description: name, project_id: project, user_id: 'u' }, env.ctx);
      await g.create();
      groups.push(g);
    }
    const [web, db, empty] = groups as [SecurityGroup, SecurityGroup, SecurityGroup];
    const made: SecurityGroupRule[] = [];
    for (const [parent, port, grantee] of [[web, 80, null], [db, 5432, web], [web, 443, null]] as const) {
      const r = new SecurityGroupRule({ protocol: 'tcp', from_port: port, to_port: port, cidr: grantee ? null : '0.0.0.0/0', parent_group: parent, grantee_group: grantee }, env.ctx);
      await r.create();
      made.push(r);
    }
    env.resetCalls();
    const all = await SecurityGroupRuleList.getBySecurityGroupIds(env.ctx, [db.id, web.id, empty.id]);
    expect(all.map((r) => r.id)).toEqual(made.map((r) => r.id));
    expect(all.objects[0]!.obj_context).toBe(env.ctx);
    expect(env.callNames()).toEqual(mode === 'remote' ? ['SecurityGroupRuleList.getBySecurityGroupIds'] : []);

    env.resetCalls();
    const grouped = await SecurityGroupRuleList.rulesBySecurityGroupId(env.ctx, [web.id, db.id, empty.id, web.id]);
    expect(env.callNames()).toEqual(mode === 'remote' ? ['SecurityGroupRuleList.getBySecurityGroupIds'] : []);
    expect([...grouped.keys()]).toEqual([web.id, db.id, empty.id]);
    for (const g of groups) {
      const one = await SecurityGroupRuleList.getBySecurityGroupId(env.ctx, g.id);
      expect(grouped.get(g.id)!.obj_to_primitive(), String(g.name)).toEqual(one.obj_to_primitive());
    }
    expect(grouped.get(db.id)!.objects[0]!.grantee_group!.name).toBe('web');
    expect(grouped.get(empty.id)!.length).toBe(0);

    env.resetCalls();
    expect((await SecurityGroupRuleList.rulesBySecurityGroupId(env.ctx, [])).size).toBe(0);
    expect(env.calls()).toHaveLength(0);
  });

  it('saves changes, refreshes, and reports unknown groups', async () => {
    const project = `p-${uuid()}`;
    const group = new SecurityGroup({ name: 'g', description: 'one', project_id: project }, env.ctx);
    await group.create();
    group.description = 'two';
    await group.save();
    const byName = await SecurityGroup.getByName(env.ctx, project, 'g');
    expect(byName.description).toBe('two');
    const other = await SecurityGroup.getById(env.admin, group.id);
    other.description = 'three';
    await other.save();
    await byName.refresh();
    expect(byName.description).toBe('three');
    await expect(SecurityGroup.getById(env.ctx, 999_999)).rejects.toThrow(SecurityGroupNotFound);
    await expect(SecurityGroup.getByName(env.ctx, project, 'nope')).rejects.toThrow(SecurityGroupNotFound);
  });
});

describe.each(MODES)('Flavor (%s)', (mode) => {
  const env = useEnv(mode);

  const newFlavor = (name: string, values: Record<string, unknown> = {}) =>
    new Flavor({ name, flavorid: `f-${name}`, memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0, disabled: false, is_public: true, extra_specs: {}, ...values } as never, env.ctx);

  it('creates, finds by id, name and flavorid, and refuses duplicates', async () => {
    const f = newFlavor('small', { extra_specs: { 'hw:numa_nodes': '1' } });
    await f.create();
    expect(f.id).toBeGreaterThan(0);
    expect(f.rxtx_factor).toBe(1);
    expect((await Flavor.getById(env.ctx, f.id)).name).toBe('small');
    expect((await Flavor.getByName(env.ctx, 'small')).extra_specs).toEqual({ 'hw:numa_nodes': '1' });
    expect((await Flavor.getByFlavorId(env.ctx, 'f-small')).memory_mb).toBe(512);
    await expect(newFlavor('small', { flavorid: 'other' }).create()).rejects.toThrow(FlavorExists);
  });

  it('saves extra specs and projects as whole replacements, and loads projects lazily', async () => {
    const f = newFlavor('private', { is_public: false, projects: ['p1', 'p2'], extra_specs: { a: '1', b: '2' } });
    await f.create();
    const got = await Flavor.getByName(env.ctx, 'private');
    expect(got.obj_attr_is_set('projects')).toBe(false);
    env.resetCalls();
    await got.obj_load_attr('projects');
    expect(env.callNames()).toEqual(mode === 'remote' ? ['Flavor.loadProjects'] : []);
    expect([...got.projects].sort()).toEqual(['p1', 'p2']);
    got.extra_specs = { b: '3', c: '4' };
    got.projects = ['p2', 'p3'];
    await got.save();
    const again = await Flavor.getByName(env.ctx, 'private');
    expect(again.extra_specs).toEqual({ b: '3', c: '4' });
    await again.obj_load_attr('projects');
    expect([...again.projects].sort()).toEqual(['p2', 'p3']);
    again.memory_mb = 1;
    await expect(again.save()).rejects.toThrow(/read-only fields were changed: memory_mb/);
  });

  it('lists with filters, sort, limit and marker; destroy hides the flavor', async () => {
    for (const [name, mem] of [['l1', 1024], ['l2', 2048], ['l3', 4096]] as const) await newFlavor(name, { memory_mb: mem }).create();
    const big = await FlavorList.getAll(env.ctx, { filters: { min_memory_mb: 2048 }, sortKey: 'memory_mb', sortDir: 'asc' });
    expect(big.map((f) => f.name)).toEqual(['l2', 'l3']);
    const page = await FlavorList.getAll(env.ctx, { filters: { min_memory_mb: 1024 }, sortKey: 'memory_mb', limit: 1, marker: 'f-l1' });
    expect(page.map((f) => f.name)).toEqual(['l2']);
    const l3 = await Flavor.getByName(env.ctx, 'l3');
    await l3.destroy();
    expect((await FlavorList.getAll(env.ctx, { filters: { min_memory_mb: 2048 } })).map((f) => f.name)).toEqual(['l2']);
  });
});
