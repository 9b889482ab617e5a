import { ObjectActionError } from '@novakit/versioned-objects';
import { describe, expect, it } from 'vitest';
import {
  DBNotAllowed,
  Flavor,
  Instance,
  InstanceFault,
  InstanceInfoCache,
  InstanceNotFound,
  RequestContext,
  SAMPLE_NETWORK_INFO,
  SecurityGroup,
  SecurityGroupList,
  TaskState,
  UnexpectedDeletingTaskStateError,
  UnexpectedTaskStateError,
  UnexpectedVMStateError,
  VmState,
} from '../src/index.js';
import { makeInstance, MODES, useEnv, uuid } from './harness.js';

describe.each(MODES)('Instance (%s)', (mode) => {
  const env = useEnv(mode);

  describe('create and read', () => {
    it('creates with metadata, security groups, info cache and flavor, and reads them back', async () => {
      const flavor = new Flavor({ id: 1, name: 'm1.small', memory_mb: 2048, vcpus: 1, root_gb: 20, ephemeral_gb: 0, flavorid: '2', swap: 0, disabled: false, is_public: true, extra_specs: { 'hw:cpu_policy': 'shared' } });
      const inst = new Instance(
        {
          uuid: uuid(),
          display_name: 'web-1',
          vm_state: VmState.BUILDING,
          task_state: TaskState.SCHEDULING,
          memory_mb: 2048,
          metadata: { role: 'web' },
          system_metadata: { image_os: 'linux', signed: null },
          security_groups: new SecurityGroupList({ objects: [new SecurityGroup({ name: 'default' })] }),
          info_cache: new InstanceInfoCache({ network_info: SAMPLE_NETWORK_INFO }),
          flavor,
        },
        env.ctx,
      );
      await inst.create();
      expect(inst.id).toBeGreaterThan(0);
      expect(inst.created_at).toBeInstanceOf(Date);
      expect(inst.deleted).toBe(false);
      expect(inst.obj_has_changes()).toBe(false);
      expect(inst.security_groups.map((g) => g.name)).toEqual(['default']);

      const got = await Instance.getByUuid(env.ctx, inst.uuid, { expectedAttrs: ['metadata', 'system_metadata', 'info_cache', 'security_groups', 'flavor'] });
      expect(got).toBeInstanceOf(Instance);
      expect(got.display_name).toBe('web-1');
      expect(got.vm_state).toBe('building');
      expect(got.metadata).toEqual({ role: 'web' });
      expect(got.system_metadata).toEqual({ image_os: 'linux', signed: null });
      expect(got.info_cache!.network_info).toEqual(SAMPLE_NETWORK_INFO);
      expect(got.security_groups.map((g) => g.name)).toEqual(['default']);
      expect(got.flavor!.flavorid).toBe('2');
      expect(got.flavor!.extra_specs).toEqual({ 'hw:cpu_policy': 'shared' });
      expect(got.obj_has_changes()).toBe(false);
    });

    it('getByUuid loads info_cache and security_groups by default and leaves the rest lazy', async () => {
      const inst = await makeInstance(env, { metadata: { a: '1' } });
      const got = await Instance.getByUuid(env.ctx, inst.uuid);
      expect(got.obj_attr_is_set('info_cache')).toBe(true);
      expect(got.obj_attr_is_set('security_groups')).toBe(true);
      expect(got.obj_attr_is_set('metadata')).toBe(false);
      expect(() => got.metadata).toThrow(/obj_load_attr\('metadata'\)/);
    });

    it('getById finds the same instance', async () => {
      const inst = await makeInstance(env);
      expect((await Instance.getById(env.ctx, inst.id, { expectedAttrs: [] })).uuid).toBe(inst.uuid);
    });

    it('raises InstanceNotFound (this lib’s class) for an unknown uuid', async () => {
      const err = await Instance.getByUuid(env.ctx, uuid()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InstanceNotFound);
      expect((err as InstanceNotFound).kwargs.instance_id).toBeTruthy();
    });

    it('refuses a second create and unknown expected attributes', async () => {
      const inst = await makeInstance(env);
      inst.obj_set_context(env.ctx);
      await expect(inst.create()).rejects.toThrow(ObjectActionError);
      await expect(Instance.getByUuid(env.ctx, inst.uuid, { expectedAttrs: ['metadatas' as never] })).rejects.toThrow(/not an optional attribute/);
    });

    it('computes name from the template, falling back to the uuid', async () => {
      const inst = await makeInstance(env);
      expect(inst.name).toBe(`instance-${inst.id.toString(16).padStart(8, '0')}`);
      expect(new Instance({ uuid: inst.uuid }).name).toBe(inst.uuid);
      expect(inst.obj_fields).toContain('name');
    });
  });

  describe('save', () => {
    it('writes only the changed fields and reads updated_at back', async () => {
      const inst = await makeInstance(env, { display_name: 'before' });
      const mine = await Instance.getByUuid(env.ctx, inst.uuid, { expectedAttrs: [] });
      const other = await Instance.getByUuid(env.admin, inst.uuid, { expectedAttrs: [] });
      other.display_description = 'changed after I read';
      await other.save();
      env.resetCalls();
      mine.display_name = 'after';
      await mine.save();
      if (mode === 'remote') {
        expect(env.callNames()).toEqual(['Instance.save']);
        const sent = JSON.parse(env.calls()[0]!.wire).objinst;
        expect(sent['nova_object.changes']).toEqual(['display_name']);
      }
      const stored = await Instance.getByUuid(env.admin, inst.uuid, { expectedAttrs: [] });
      expect(stored.display_name).toBe('after');
      // My save did not overwrite the concurrent change to another field…
      expect(stored.display_description).toBe('changed after I read');
      // …and re-read it, with the new updated_at.
      expect(mine.display_description).toBe('changed after I read');
      expect(mine.updated_at).toBeInstanceOf(Date);
      expect(mine.obj_has_changes()).toBe(false);
    });

    it('writes nothing when nothing changed, whatever the expected states', async () => {
      const inst = await Instance.getByUuid(env.ctx, (await makeInstance(env)).uuid, { expectedAttrs: [] });
      env.resetCalls();
      await inst.save({ expectedTaskState: TaskState.DELETING });
      expect(env.callNames()).toEqual(mode === 'remote' ? ['Instance.save'] : []);
    });

    it('saves metadata edited in place, and system_metadata, replacing the stored dicts', async () => {
      const made = await makeInstance(env, { metadata: { keep: '1', drop: '2' }, system_metadata: { a: 'x' } });
      const inst = await Instance.getByUuid(env.ctx, made.uuid, { expectedAttrs: ['metadata', 'system_metadata'] });
      inst.metadata.added = '3';
      delete inst.metadata.drop;
      inst.system_metadata.b = null;
      expect([...inst.obj_what_changed()].sort()).toEqual(['metadata', 'system_metadata']);
      await inst.save();
      const stored = await Instance.getByUuid(env.admin, made.uuid, { expectedAttrs: ['metadata', 'system_metadata'] });
      expect(stored.metadata).toEqual({ keep: '1', added: '3' });
      expect(stored.system_metadata).toEqual({ a: 'x', b: null });
      expect(inst.obj_has_changes()).toBe(false);
    });

    it('saves a dirty info cache child (and nothing else when only it changed)', async () => {
      const made = await makeInstance(env);
      const inst = await Instance.getByUuid(env.ctx, made.uuid);
      const before = inst.updated_at;
      inst.info_cache!.network_info = SAMPLE_NETWORK_INFO;
      expect(inst.obj_what_changed()).toEqual(new Set(['info_cache']));
      env.resetCalls();
      await inst.save();
      expect(env.callNames()).toEqual(mode === 'remote' ? ['Instance.save'] : []);
      expect(inst.obj_has_changes()).toBe(false);
      expect(inst.updated_at).toEqual(before);
      const stored = await InstanceInfoCache.getByInstanceUuid(env.admin, made.uuid);
      expect(stored.network_info).toEqual(SAMPLE_NETWORK_INFO);
    });

    it('saves an edited security group through the instance', async () => {
      const made = await makeInstance(env, { security_groups: new SecurityGroupList({ objects: [new SecurityGroup({ name: 'default' })] }) });
      const inst = await Instance.getByUuid(env.ctx, made.uuid);
      inst.security_groups.at(0)!.description = 'edited';
      await inst.save();
      const group = await SecurityGroup.getById(env.admin, inst.security_groups.at(0)!.id);
      expect(group.description).toBe('edited');
    });

    it('saves a changed flavor into instance_extra', async () => {
      const made = await makeInstance(env);
      const inst = await Instance.getByUuid(env.ctx, made.uuid, { expectedAttrs: ['flavor'] });
      expect(inst.flavor).toBeNull();
      inst.flavor = new Flavor({ id: 7, name: 'tiny', memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: 0, flavorid: 't', swap: 0, disabled: false, is_public: true, extra_specs: {} });
      await inst.save();
      const stored = await Instance.getByUuid(env.admin, made.uuid, { expectedAttrs: ['flavor'] });
      expect(stored.flavor!.name).toBe('tiny');
      expect(stored.flavor!.obj_has_changes()).toBe(false);
    });

    it('checks the expected task state in the same write', async () => {
      const made = await makeInstance(env, { task_state: null });
      const inst = await Instance.getByUuid(env.ctx, made.uuid, { expectedAttrs: [] });
      inst.task_state = TaskState.REBOOTING;
      await inst.save({ expectedTaskState: null });
      inst.task_state = null;
      const err = await inst.save({ expectedTaskState: [TaskState.SPAWNING, TaskState.POWERING_ON] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnexpectedTaskStateError);
      expect((err as UnexpectedTaskStateError).kwargs).toMatchObject({ expected: ['spawning', 'powering-on'], actual: 'rebooting', instance_uuid: made.uuid });
      expect(inst.obj_what_changed()).toEqual(new Set(['task_state']));
      const stored = await Instance.getByUuid(env.admin, made.uuid, { expectedAttrs: [] });
      expect(stored.task_state).toBe('rebooting');
    });

    it('raises the Deleting variant when the instance is being deleted', async () => {
      const made = await makeInstance(env, { task_state: TaskState.DELETING });
      const inst = await Instance.getByUuid(env.ctx, made.uuid, { expectedAttrs: [] });
      inst.task_state = TaskState.SPAWNING;
      const err = await inst.save({ expectedTaskState: null }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnexpectedDeletingTaskStateError);
      expect(err).toBeInstanceOf(UnexpectedTaskStateError);
      expect((err as UnexpectedTaskStateError).kwargs).toMatchObject({ expected: [null], actual: 'deleting' });
    });

    it('checks the expected vm state', async () => {
      const made = await makeInstance(env, { vm_state: VmState.STOPPED });
      const inst = await Instance.getByUuid(env.ctx, made.uuid, { expectedAttrs: [] });
      inst.vm_state = VmState.ACTIVE;
      const err = await inst.save({ expectedVmState: [VmState.ACTIVE, VmState.PAUSED] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnexpectedVMStateError);
      expect((err as UnexpectedVMStateError).kwargs).toMatchObject({ expected: ['active', 'paused'], actual: 'stopped' });
      await inst.save({ expectedVmState: VmState.STOPPED });
      expect(inst.vm_state).toBe('active');
    });

    it('of two concurrent transitions from the same state, exactly one wins', async () => {
      const made = await makeInstance(env, { task_state: null });
      const a = await Instance.getByUuid(env.ctx, made.uuid, { expectedAttrs: [] });
      const b = await Instance.getByUuid(env.ctx, made.uuid, { expectedAttrs: [] });
      a.task_state = TaskState.REBOOTING;
      b.task_state = TaskState.POWERING_OFF;
      const results = await Promise.allSettled([a.save({ expectedTaskState: null }), b.save({ expectedTaskState: null })]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(UnexpectedTaskStateError);
      const stored = await Instance.getByUuid(env.admin, made.uuid, { expectedAttrs: [] });
      expect(stored.task_state).toBe((lost[0]!.reason as UnexpectedTaskStateError).kwargs.actual);
    });

    it('two concurrent saves of different fields both land', async () => {
      const made = await makeInstance(env);
      const a = await Instance.getByUuid(env.ctx, made.uuid, { expectedAttrs: [] });
      const b = await Instance.getByUuid(env.ctx, made.uuid, { expectedAttrs: [] });
      a.progress = 50;
      b.root_device_name = '/dev/vda';
      await Promise.all([a.save(), b.save()]);
      const stored = await Instance.getByUuid(env.admin, made.uuid, { expectedAttrs: [] });
      expect([stored.progress, stored.root_device_name]).toEqual([50, '/dev/vda']);
    });

    it('refuses to change the id', async () => {
      const inst = await Instance.getByUuid(env.ctx, (await makeInstance(env)).uuid, { expectedAttrs: [] });
      inst.id = inst.id + 1000;
      await expect(inst.save()).rejects.toThrow(/id cannot be changed/);
    });
  });

  describe('lazy loading', () => {
    it('loads each attribute with one remotable call', async () => {
      const made = await makeInstance(env, { metadata: { k: 'v' }, system_metadata: { s: '1' } });
      await new InstanceFault({ instance_uuid: made.uuid, code: 500, message: 'boom', host: 'host-a' }, env.admin).create();
      const inst = await Instance.getByUuid(env.ctx, made.uuid, { expectedAttrs: [] });
      const loads: [string, () => unknown][] = [
        ['metadata', () => inst.metadata],
        ['system_metadata', () => inst.system_metadata],
        ['info_cache', () => inst.info_cache],
        ['security_groups', () => inst.security_groups],
        ['fault', () => inst.fault],
        ['flavor', () => inst.flavor],
      ];
      for (const [name, read] of loads) {
        env.resetCalls();
        await inst.obj_load_attr(name);
        expect(env.calls(), name).toHaveLength(mode === 'remote' ? 1 : 0);
        expect(read(), name).toBeDefined();
      }
      expect(inst.metadata).toEqual({ k: 'v' });
      expect(inst.system_metadata).toEqual({ s: '1' });
      expect(inst.fault!.message).toBe('boom');
      expect(inst.security_groups.length).toBe(0);
      expect(inst.flavor).toBeNull();
      expect(inst.obj_has_changes()).toBe(false);
      if (mode === 'remote') expect(env.callNames()).toEqual(['Instance.getByUuid']);
    });

    it('a context with neither a DB API nor an indirection API cannot run them', async () => {
      const inst = new Instance({ uuid: uuid() }, RequestContext.create());
      await expect(inst.obj_load_attr('metadata')).rejects.toThrow(DBNotAllowed);
      await expect(inst.obj_load_attr('metadata')).rejects.toThrow(/Instance.getByUuid needs the database/);
    });

    it('refuses fields that are not lazy', async () => {
      const inst = new Instance({ uuid: uuid() }, env.ctx);
      await expect(inst.obj_load_attr('host')).rejects.toThrow(/not lazy-loadable/);
    });
  });

  describe('destroy and refresh', () => {
    it('soft-deletes; a deleted instance is found only with read_deleted', async () => {
      const made = await makeInstance(env);
      const inst = await Instance.getByUuid(env.ctx, made.uuid, { expectedAttrs: [] });
      await inst.destroy();
      expect(inst.deleted).toBe(true);
      expect(inst.deleted_at).toBeInstanceOf(Date);
      await expect(Instance.getByUuid(env.ctx, made.uuid)).rejects.toThrow(InstanceNotFound);
      const ghost = await Instance.getByUuid(env.context({ read_deleted: 'yes' }), made.uuid, { expectedAttrs: [] });
      expect(ghost.deleted).toBe(true);
      // A deleted instance still lazy-loads (its system metadata stays, for usage audits).
      await inst.obj_load_attr('system_metadata');
      expect(inst.system_metadata).toEqual({});
    });

    it('refuses to delete an unhosted instance that got a host meanwhile', async () => {
      const made = await makeInstance(env, { host: null });
      const inst = await Instance.getByUuid(env.ctx, made.uuid, { expectedAttrs: [] });
      const scheduler = await Instance.getByUuid(env.admin, made.uuid, { expectedAttrs: [] });
      scheduler.host = 'host-b';
      await scheduler.save();
      await expect(inst.destroy()).rejects.toThrow(/host changed/);
    });

    it('refresh re-reads the fields and the loaded joins', async () => {
      const made = await makeInstance(env, { metadata: { a: '1' } });
      const inst = await Instance.getByUuid(env.ctx, made.uuid, { expectedAttrs: ['metadata'] });
      const other = await Instance.getByUuid(env.admin, made.uuid, { expectedAttrs: ['metadata'] });
      other.metadata = { a: '2' };
      other.power_state = 4;
      await other.save();
      await inst.refresh();
      expect(inst.metadata).toEqual({ a: '2' });
      expect(inst.power_state).toBe(4);
      expect(inst.obj_attr_is_set('fault')).toBe(false);
      expect(inst.obj_has_changes()).toBe(false);
    });
  });
});
