// Object methods through the conductor: a compute-side context (a real ConductorClient as
// its indirection API, in-process transport) against SQLite, and PostgreSQL and MariaDB when
// they answer. First a sweep proving every
// declared remotable method of every registered object is dispatched and nothing else is;
// then each object family's methods doing real work.
import {
  BlockDeviceMapping,
  BlockDeviceMappingList,
  ComputeNode,
  ComputeNodeList,
  Flavor,
  Instance,
  InstanceAction,
  InstanceActionEvent,
  InstanceFault,
  InstanceList,
  InstanceNotFound,
  KeyPair,
  KeypairNotFound,
  Migration,
  MigrationList,
  objectRegistry,
  SecurityGroup,
  SecurityGroupList,
  SecurityGroupRule,
  SecurityGroupRuleList,
  Service,
  ServiceList,
  TaskState,
  UnexpectedTaskStateError,
} from '@novakit/objects';
import { NotRemotableError, VersionedObject } from '@novakit/versioned-objects';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends } from './backends.js';
import { conductorEnv, type ConductorEnv, uuid } from './harness.js';

describeBackends('object methods', (dialect) => {
  let env: ConductorEnv;
  beforeAll(async () => (env = await conductorEnv({ dialect })));
  afterAll(async () => env?.close());

  async function makeInstance(values: Record<string, unknown> = {}): Promise<Instance> {
    const inst = new Instance({ uuid: uuid(), user_id: 'user-1', project_id: 'project-1', vm_state: 'active', task_state: null, host: 'host-a', node: 'node-a', ...values } as never, env.admin);
    await inst.create();
    return inst;
  }

  describe('dispatch covers exactly the declared remotable methods', () => {
    it('every remotable class method of every registered object reaches its implementation', async () => {
      for (const cls of objectRegistry.allClasses()) {
        const { name, remotableClass } = cls.meta;
        for (const method of remotableClass) {
          const err = await env.client
            .object_class_action_versions(env.ctx, name, method, objectRegistry.treeVersions(name), [], {})
            .then(() => null, (e: unknown) => e);
          expect(err, `${name}.${method}`).not.toBeInstanceOf(NotRemotableError);
        }
      }
    });

    it('every remotable instance method is dispatched; a class method or framework method sent as one is refused', async () => {
      for (const cls of objectRegistry.allClasses()) {
        const { name, remotable, remotableClass } = cls.meta;
        const blank = () => new (cls as unknown as new (v: null, c: unknown) => VersionedObject)(null, env.ctx);
        for (const method of remotable) {
          const err = await env.client.object_action(env.ctx, blank(), method, [], {}).then(() => null, (e: unknown) => e);
          expect(err, `${name}.${method}`).not.toBeInstanceOf(NotRemotableError);
        }
        for (const method of [...remotableClass, 'obj_reset_changes', 'obj_clone', 'toString']) {
          const err = await env.client.object_action(env.ctx, blank(), method, [], {}).then(() => null, (e: unknown) => e);
          expect(err, `${name}.${method}`).toBeInstanceOf(NotRemotableError);
        }
      }
    });
  });

  describe('Instance from a compute', () => {
    it('getByUuid, change fields, save: the conductor’s updated_at and the stored row come back', async () => {
      const stored = await makeInstance({ progress: 0 });
      const inst = await Instance.getByUuid(env.ctx, stored.uuid);
      expect(inst.obj_context).toBe(env.ctx);
      const before = inst.updated_at;
      inst.progress = 42;
      inst.task_state = TaskState.SPAWNING;
      await new Promise((r) => setTimeout(r, 5));
      await inst.save({ expectedTaskState: null });
      expect(inst.obj_has_changes()).toBe(false);
      expect(inst.updated_at).toBeInstanceOf(Date);
      expect(inst.updated_at).not.toEqual(before);
      const row = await Instance.getByUuid(env.admin, stored.uuid);
      expect(row.progress).toBe(42);
      expect(row.task_state).toBe('spawning');
      expect(inst.updated_at!.getTime()).toBe(row.updated_at!.getTime());
    });

    it('a lost race is UnexpectedTaskStateError, the objects’ class, with kwargs', async () => {
      const inst = await Instance.getByUuid(env.ctx, (await makeInstance({ task_state: 'rebooting' })).uuid);
      inst.task_state = null;
      const err = await inst.save({ expectedTaskState: TaskState.SPAWNING }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnexpectedTaskStateError);
      expect((err as UnexpectedTaskStateError).kwargs).toMatchObject({ expected: ['spawning'], actual: 'rebooting' });
    });

    it('InstanceNotFound arrives as the objects’ class', async () => {
      const err = await Instance.getByUuid(env.ctx, uuid()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InstanceNotFound);
    });

    it('create, refresh, lazy-load and destroy run on the conductor', async () => {
      const inst = new Instance({ uuid: uuid(), project_id: 'project-1', host: 'host-b', vm_state: 'building', metadata: { role: 'db' } } as never, env.ctx);
      await inst.create();
      expect(inst.id).toBeGreaterThan(0);
      await Instance.getByUuid(env.admin, inst.uuid).then(async (i) => {
        i.host = 'host-c';
        await i.save();
      });
      await inst.refresh();
      expect(inst.host).toBe('host-c');
      const fresh = await Instance.getByUuid(env.ctx, inst.uuid, { expectedAttrs: [] });
      await fresh.obj_load_attr('metadata');
      expect(fresh.metadata).toEqual({ role: 'db' });
      await inst.destroy();
      expect(inst.deleted).toBe(true);
      expect(await Instance.getByUuid(env.admin, inst.uuid).catch((e: unknown) => e)).toBeInstanceOf(InstanceNotFound);
    });

    it('InstanceList.getByHost returns objects bound to the compute context', async () => {
      const a = await makeInstance({ host: 'list-host' });
      const list = await InstanceList.getByHost(env.ctx, 'list-host');
      expect(list.map((i) => i.uuid)).toEqual([a.uuid]);
      expect(list.objects[0]!.obj_context).toBe(env.ctx);
    });
  });

  describe('the other object families from a compute', () => {
    it('BlockDeviceMapping: create, save, list, destroy', async () => {
      const inst = await makeInstance();
      const bdm = new BlockDeviceMapping({ instance_uuid: inst.uuid, device_name: '/dev/vdb', source_type: 'volume', destination_type: 'volume', volume_id: 'vol-1', boot_index: null } as never, env.ctx);
      await bdm.create();
      bdm.connection_info = '{"driver_volume_type":"file"}';
      await bdm.save();
      const list = await BlockDeviceMappingList.getByInstanceUuid(env.ctx, inst.uuid);
      expect(list.map((b) => [b.volume_id, b.connection_info])).toEqual([['vol-1', '{"driver_volume_type":"file"}']]);
      await list.objects[0]!.destroy();
      expect((await BlockDeviceMappingList.getByInstanceUuid(env.ctx, inst.uuid)).length).toBe(0);
    });

    it('BlockDeviceMappingList.getByInstanceUuids: the mappings of several instances in one call', async () => {
      const [a, b] = [await makeInstance(), await makeInstance()];
      for (const [inst, volumeId] of [[a, 'vol-a1'], [b, 'vol-b1'], [a, 'vol-a2']] as const) {
        await new BlockDeviceMapping({ instance_uuid: inst.uuid, source_type: 'volume', destination_type: 'volume', volume_id: volumeId } as never, env.ctx).create();
      }
      const list = await BlockDeviceMappingList.getByInstanceUuids(env.ctx, [a.uuid, b.uuid, uuid()]);
      expect(list).toBeInstanceOf(BlockDeviceMappingList);
      expect(list.map((m) => [m.instance_uuid, m.volume_id])).toEqual([[a.uuid, 'vol-a1'], [b.uuid, 'vol-b1'], [a.uuid, 'vol-a2']]);
    });

    it('BlockDeviceMappingList.getByVolumeIds: the mappings of several volumes in one call', async () => {
      const [a, b] = [await makeInstance(), await makeInstance()];
      for (const [inst, volumeId] of [[a, 'vol-x1'], [b, 'vol-x2'], [b, 'vol-x1']] as const) {
        await new BlockDeviceMapping({ instance_uuid: inst.uuid, source_type: 'volume', destination_type: 'volume', volume_id: volumeId } as never, env.ctx).create();
      }
      const list = await BlockDeviceMappingList.getByVolumeIds(env.ctx, ['vol-x2', 'vol-x1', 'vol-none']);
      expect(list).toBeInstanceOf(BlockDeviceMappingList);
      expect(list.map((m) => [m.instance_uuid, m.volume_id])).toEqual([[a.uuid, 'vol-x1'], [b.uuid, 'vol-x2'], [b.uuid, 'vol-x1']]);
    });

    it('Service and ComputeNode: register, heartbeat, report resources, minimum version', async () => {
      const service = new Service({ host: 'cn-1', binary: 'nova-compute', topic: 'compute', version: 1 }, env.ctx);
      await service.create();
      await service.heartbeat(1);
      expect(service.report_count).toBe(1);
      const node = new ComputeNode({ service_id: service.id, host: 'cn-1', hypervisor_hostname: 'cn-1', vcpus: 4, memory_mb: 8192, local_gb: 100, vcpus_used: 0, memory_mb_used: 512, local_gb_used: 0, hypervisor_type: 'fake', hypervisor_version: 1 } as never, env.ctx);
      await node.create();
      node.memory_mb_used = 1024;
      await node.save();
      expect((await ComputeNodeList.getAll(env.ctx)).find((n) => n.id === node.id)!.memory_mb_used).toBe(1024);
      expect((await Service.getByComputeHost(env.ctx, 'cn-1')).id).toBe(service.id);
      expect(await Service.getMinimumVersion(env.ctx, 'nova-compute')).toBe(1);
      expect((await ServiceList.getByBinary(env.ctx, 'nova-compute')).map((s) => s.host)).toContain('cn-1');
    });

    it('SecurityGroup and rules', async () => {
      const group = new SecurityGroup({ name: 'web', project_id: 'project-1', user_id: 'user-1', description: 'w' }, env.ctx);
      await group.create();
      const rule = new SecurityGroupRule({ protocol: 'tcp', from_port: 80, to_port: 80, cidr: '0.0.0.0/0', parent_group: group } as never, env.ctx);
      await rule.create();
      const rules = await SecurityGroupRuleList.getBySecurityGroupId(env.ctx, group.id);
      expect(rules.map((r) => [r.protocol, r.from_port])).toEqual([['tcp', 80]]);
      expect(await group.inUse()).toBe(false);
      expect((await SecurityGroupList.getByProject(env.ctx, 'project-1')).map((g) => g.name)).toContain('web');
    });

    it('SecurityGroupRuleList.getBySecurityGroupIds: the rules of several groups in one call', async () => {
      const groups: SecurityGroup[] = [];
      for (const name of ['many-a', 'many-b', 'many-empty']) {
        const g = new SecurityGroup({ name, project_id: 'project-1', user_id: 'user-1', description: name }, env.ctx);
        await g.create();
        groups.push(g);
      }
      const [a, b, empty] = groups as [SecurityGroup, SecurityGroup, SecurityGroup];
      for (const [parent, port] of [[a, 22], [b, 80], [a, 443]] as const) {
        await new SecurityGroupRule({ protocol: 'tcp', from_port: port, to_port: port, cidr: '0.0.0.0/0', parent_group: parent } as never, env.ctx).create();
      }
      const list = await SecurityGroupRuleList.getBySecurityGroupIds(env.ctx, [b.id, a.id, empty.id]);
      expect(list).toBeInstanceOf(SecurityGroupRuleList);
      expect(list.map((r) => [r.parent_group!.name, r.from_port])).toEqual([['many-a', 22], ['many-b', 80], ['many-a', 443]]);
    });

    it('InstanceFault, InstanceAction and events', async () => {
      const inst = await makeInstance();
      await new InstanceFault({ instance_uuid: inst.uuid, code: 500, message: 'boom', details: 'trace', host: 'host-a' }, env.ctx).create();
      expect((await InstanceFault.getLatestForInstance(env.ctx, inst.uuid))!.message).toBe('boom');
      const action = await InstanceAction.actionStart(env.ctx, inst.uuid, 'reboot');
      expect(action!.request_id).toBe(env.ctx.request_id);
      await InstanceActionEvent.eventStart(env.ctx, inst.uuid, 'compute_reboot_instance', { host: 'host-a' });
      const event = await InstanceActionEvent.eventFinish(env.ctx, inst.uuid, 'compute_reboot_instance');
      expect(event!.result).toBe('Success');
      await InstanceAction.actionFinish(env.ctx, inst.uuid);
    });

    it('Migration, KeyPair and Flavor', async () => {
      const inst = await makeInstance();
      const migration = new Migration({ instance_uuid: inst.uuid, source_compute: 'a', dest_compute: 'b', status: 'migrating' }, env.ctx);
      await migration.create();
      migration.status = 'finished';
      await migration.save();
      expect((await MigrationList.getByFilters(env.ctx, { instance_uuid: inst.uuid })).map((m) => m.status)).toEqual(['finished']);

      const key = new KeyPair({ name: 'k1', user_id: 'user-1', public_key: 'ssh-ed25519 AAAA', fingerprint: 'fp' }, env.ctx);
      await key.create();
      expect((await KeyPair.getByName(env.ctx, 'user-1', 'k1')).fingerprint).toBe('fp');
      await key.destroy();
      expect(await KeyPair.getByName(env.ctx, 'user-1', 'k1').catch((e: unknown) => e)).toBeInstanceOf(KeypairNotFound);

      const flavor = new Flavor({ name: 'm1.tiny', flavorid: '1', memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0, is_public: true, disabled: false } as never, env.ctx);
      await flavor.create();
      expect((await Flavor.getByName(env.ctx, 'm1.tiny')).memory_mb).toBe(512);
    });
  });
});
