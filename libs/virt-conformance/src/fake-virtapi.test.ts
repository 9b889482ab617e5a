import { describe, expect, it } from 'vitest';
import { FakeVirtAPI } from './fake-virtapi.js';
import { createTestInstance, testBdm } from './test-data.js';

describe('FakeVirtAPI', () => {
  it('answers instance_update with the rows before and after, and records who called', async () => {
    const api = FakeVirtAPI.create();
    const ctx = api.context();
    const ti = createTestInstance({ ctx });
    api.addInstance(ti.instance);
    const [before, after] = await api.forHost('node-1').instance_update(ctx, ti.uuid, { default_swap_device: '/dev/vdc' });
    expect(before).toMatchObject({ uuid: ti.uuid, default_swap_device: null, memory_mb: 64 });
    expect(after).toMatchObject({ uuid: ti.uuid, default_swap_device: '/dev/vdc' });
    expect(api.instanceRow(ti.uuid)).toMatchObject({ default_swap_device: '/dev/vdc' });
    expect(api.callsTo('instance_update')).toEqual([{ host: 'node-1', method: 'instance_update', args: [ti.uuid, { default_swap_device: '/dev/vdc' }] }]);
    await expect(api.instance_update(ctx, 'no-such-uuid', {})).rejects.toMatchObject({ name: 'InstanceNotFound' });
  });

  it('serves the default security group, its rules, provider rules and BDM rows', async () => {
    const api = FakeVirtAPI.create();
    const ctx = api.context();
    const ti = createTestInstance({ ctx });
    api.addInstance(ti.instance);
    expect(await api.security_group_get_by_instance(ctx, ti.uuid)).toEqual([{ id: 1, name: 'default', project_id: 'conformance-project' }]);
    expect((await api.security_group_rule_get_by_security_group(ctx, 1)).map((r) => r.protocol)).toEqual(['tcp', 'icmp']);
    api.addSecurityGroupRule({ id: 9, parent_group_id: 1, protocol: 'udp', from_port: 53, to_port: 53, cidr: '10.0.0.0/8', group_id: null });
    expect(await api.security_group_rule_get_by_security_group(ctx, 1)).toHaveLength(3);
    expect(await api.provider_fw_rule_get_all(ctx)).toHaveLength(1);
    api.addBlockDeviceMapping({ id: 1, instance_uuid: ti.uuid, device_name: '/dev/vdb', source_type: 'volume', destination_type: 'volume', volume_id: 'v', connection_info: null, boot_index: null });
    expect(await api.block_device_mapping_get_all_by_instance(ctx, ti.uuid)).toHaveLength(1);
    expect(api.calls.map((c) => c.method)).toEqual([
      'security_group_get_by_instance',
      'security_group_rule_get_by_security_group',
      'security_group_rule_get_by_security_group',
      'provider_fw_rule_get_all',
      'block_device_mapping_get_all_by_instance',
    ]);
  });

  it('runs the body of waitForInstanceEvent and records the events awaited', async () => {
    const api = FakeVirtAPI.create();
    const ti = createTestInstance();
    expect(await api.waitForInstanceEvent(ti.instance, ['network-vif-plugged'], 300, async () => 42)).toBe(42);
    expect(api.callsTo('waitForInstanceEvent')[0]!.args).toEqual([ti.uuid, ['network-vif-plugged'], 300]);
  });

  it('makes contexts whose object saves are recorded instead of reaching a conductor', async () => {
    const api = FakeVirtAPI.create();
    const ctx = api.context();
    const bdm = testBdm(ctx, createTestInstance().uuid, 'swap');
    bdm.device_name = '/dev/vdc';
    await bdm.save();
    expect(api.objectActions).toEqual([{ objname: 'BlockDeviceMapping', method: 'save', changes: { device_name: '/dev/vdc' } }]);
    expect(bdm.obj_what_changed().size).toBe(0);
    expect(bdm.device_name).toBe('/dev/vdc');
  });
});
