// Every legacy raw method through the in-process transport, on SQLite (and PostgreSQL and
// MariaDB when they answer): plain dicts with ISO-8601 timestamps in and out, Nova's
// conductor rules, errors re-raised by class.
import { ConductorClient, InstanceUpdateKeyNotAllowed, LEGACY_METHOD_ARGS } from '@novakit/conductor-api';
import {
  BDMNotFound,
  ComputeHostNotFound,
  Instance,
  InstanceActionNotFound,
  InstanceInfoCache,
  InstanceNotFound,
  RequestContext,
  SAMPLE_NETWORK_INFO,
  SecurityGroup,
  SecurityGroupList,
  ServiceNotFound,
  UnexpectedTaskStateError,
} from '@novakit/objects';
import { InvalidArguments } from '@novakit/rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends } from './backends.js';
import { conductorEnv, type ConductorEnv, uuid } from './harness.js';

describeBackends('legacy methods', (dialect) => {
  let env: ConductorEnv;
  let conductor: ConductorClient;
  let ctx: RequestContext;
  const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
  const called = new Set<string>();

  beforeAll(async () => {
    env = await conductorEnv({ dialect });
    // Record which legacy methods the suite exercised (the last test checks all were).
    conductor = new Proxy(env.client, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && prop in LEGACY_METHOD_ARGS) called.add(prop);
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    ctx = RequestContext.create({ user_id: 'user-1', project_id: 'project-1' });
  });
  afterAll(async () => env?.close());

  async function makeInstance(values: Record<string, unknown> = {}): Promise<Instance> {
    const inst = new Instance(
      {
        uuid: uuid(),
        user_id: 'user-1',
        project_id: 'project-1',
        vm_state: 'active',
        task_state: null,
        host: 'host-a',
        node: 'node-a',
        metadata: { role: 'web' },
        info_cache: new InstanceInfoCache({ network_info: SAMPLE_NETWORK_INFO }),
        security_groups: new SecurityGroupList({ objects: [new SecurityGroup({ name: 'default' })] }),
        ...values,
      } as never,
      env.admin,
    );
    await inst.create();
    return inst;
  }

  describe('instances', () => {
    it('instance_get_by_uuid: the row with default joins, name, ISO timestamps and network_info as JSON text', async () => {
      const inst = await makeInstance();
      const dict = await conductor.instance_get_by_uuid(ctx, inst.uuid);
      expect(dict).toMatchObject({ uuid: inst.uuid, id: inst.id, host: 'host-a', vm_state: 'active', metadata: { role: 'web' }, deleted: false });
      expect(dict.name).toBe(inst.name);
      expect(dict.created_at).toMatch(ISO);
      expect(typeof dict.info_cache!.network_info).toBe('string');
      expect(JSON.parse(dict.info_cache!.network_info!)).toEqual(SAMPLE_NETWORK_INFO);
      expect(dict.security_groups!.map((g) => g.name)).toEqual(['default']);
      expect((await conductor.instance_get_by_uuid(ctx, inst.uuid, ['fault'])).metadata).toBeUndefined();
      expect(await conductor.instance_get_by_uuid(ctx, uuid()).catch((e: unknown) => e)).toBeInstanceOf(InstanceNotFound);
    });

    it('instance_get_all_by_host (and node)', async () => {
      const a = await makeInstance({ host: 'legacy-host', node: 'n1' });
      const b = await makeInstance({ host: 'legacy-host', node: 'n2' });
      expect((await conductor.instance_get_all_by_host(ctx, 'legacy-host')).map((i) => i.uuid).sort()).toEqual([a.uuid, b.uuid].sort());
      expect((await conductor.instance_get_all_by_host(ctx, 'legacy-host', 'n2')).map((i) => i.uuid)).toEqual([b.uuid]);
    });

    it('instance_update: allowed keys only, expected_task_state compared, ISO datetimes accepted', async () => {
      const inst = await makeInstance({ task_state: 'spawning' });
      const out = await conductor.instance_update(ctx, inst.uuid, { task_state: null, vm_state: 'active', launched_at: '2030-01-01T00:00:00Z', expected_task_state: 'spawning' });
      expect(out).toMatchObject({ task_state: null, launched_at: '2030-01-01T00:00:00Z' });
      const raced = await conductor.instance_update(ctx, inst.uuid, { task_state: 'rebooting', expected_task_state: 'spawning' }).catch((e: unknown) => e);
      expect(raced).toBeInstanceOf(UnexpectedTaskStateError);
      const refused = await conductor.instance_update(ctx, inst.uuid, { display_name: 'x' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(InstanceUpdateKeyNotAllowed);
      expect((refused as InstanceUpdateKeyNotAllowed).kwargs).toEqual({ key: 'display_name', instance_uuid: inst.uuid });
    });

    it('instance_update_and_get_original: [before, after], same rules', async () => {
      const inst = await makeInstance({ root_device_name: null });
      const [before, after] = await conductor.instance_update_and_get_original(ctx, inst.uuid, { root_device_name: '/dev/vda' });
      expect(before.root_device_name).toBeNull();
      expect(after.root_device_name).toBe('/dev/vda');
      expect(after.name).toBe(inst.name);
      expect(await conductor.instance_update_and_get_original(ctx, inst.uuid, { hostname: 'x' }).catch((e: unknown) => e)).toBeInstanceOf(InstanceUpdateKeyNotAllowed);
      const raced = await conductor.instance_update_and_get_original(ctx, inst.uuid, { task_state: null, expected_task_state: 'migrating' }).catch((e: unknown) => e);
      expect(raced).toBeInstanceOf(UnexpectedTaskStateError);
    });
  });

  describe('block devices, security groups, firewall', () => {
    it('block_device_mapping_update_or_create (create, update, upsert) and _get_all_by_instance', async () => {
      const inst = await makeInstance();
      const created = await conductor.block_device_mapping_update_or_create(ctx, { instance_uuid: inst.uuid, device_name: '/dev/vdb', source_type: 'volume', destination_type: 'volume', volume_id: 'v1' }, true);
      expect(created).toMatchObject({ instance_uuid: inst.uuid, device_name: '/dev/vdb', volume_id: 'v1' });
      expect(created.created_at).toMatch(ISO);
      await conductor.block_device_mapping_update_or_create(ctx, { id: created.id, connection_info: '{"a":1}' }, false);
      await conductor.block_device_mapping_update_or_create(ctx, { instance_uuid: inst.uuid, device_name: '/dev/vdb', volume_id: 'v2' });
      const all = await conductor.block_device_mapping_get_all_by_instance(ctx, inst.uuid);
      expect(all.map((b) => [b.id, b.volume_id, b.connection_info])).toEqual([[created.id, 'v2', '{"a":1}']]);
      expect(await conductor.block_device_mapping_update_or_create(ctx, { id: 99999, volume_id: 'x' }, false).catch((e: unknown) => e)).toBeInstanceOf(BDMNotFound);
      expect(await conductor.block_device_mapping_update_or_create(ctx, { volume_id: 'x' }, false).catch((e: unknown) => e)).toBeInstanceOf(InvalidArguments);
    });

    it('security_group_get_by_instance, security_group_rule_get_by_security_group, provider_fw_rule_get_all', async () => {
      const inst = await makeInstance();
      const [group] = await conductor.security_group_get_by_instance(ctx, inst.uuid);
      expect(group).toMatchObject({ name: 'default', project_id: 'project-1' });
      await env.db.security_group_rule_create({}, { parent_group_id: group!.id, protocol: 'tcp', from_port: 22, to_port: 22, cidr: '10.0.0.0/8' });
      const rules = await conductor.security_group_rule_get_by_security_group(ctx, group!.id);
      expect(rules.map((r) => [r.parent_group_id, r.protocol, r.from_port, r.to_port, r.cidr, r.group_id])).toEqual([[group!.id, 'tcp', 22, 22, '10.0.0.0/8', null]]);
      await env.db.provider_fw_rule_create({}, { protocol: 'udp', from_port: 53, to_port: 53, cidr: '0.0.0.0/0' });
      expect((await conductor.provider_fw_rule_get_all(ctx)).map((r) => [r.protocol, r.from_port, r.cidr])).toEqual([['udp', 53, '0.0.0.0/0']]);
    });
  });

  describe('faults, actions, agents', () => {
    it('instance_fault_create cuts the message to 255 characters', async () => {
      const inst = await makeInstance();
      const fault = await conductor.instance_fault_create(ctx, { instance_uuid: inst.uuid, code: 500, message: 'x'.repeat(300), details: 'tb', host: 'host-a' });
      expect((fault.message as string).length).toBe(255);
      expect(fault.created_at).toMatch(ISO);
    });

    it('action_event_start / action_event_finish within the request’s action', async () => {
      const inst = await makeInstance();
      const values = { event: 'compute_stop_instance', instance_uuid: inst.uuid, request_id: ctx.request_id };
      expect(await conductor.action_event_start(ctx, values).catch((e: unknown) => e)).toBeInstanceOf(InstanceActionNotFound);
      await env.db.action_start({}, { action: 'stop', instance_uuid: inst.uuid, request_id: ctx.request_id });
      expect(await conductor.action_event_start(ctx, { ...values, host: 'host-a' })).toMatchObject({ event: 'compute_stop_instance', host: 'host-a', result: null });
      expect(await conductor.action_event_finish(ctx, { ...values, result: 'Error', traceback: 'tb' })).toMatchObject({ result: 'Error', traceback: 'tb' });
    });

    it('agent_build_get_by_triple: the build or null', async () => {
      await env.db.agent_build_create({}, { hypervisor: 'qemu', os: 'linux', architecture: 'x86_64', version: '1.0', url: 'http://a', md5hash: 'm' });
      expect(await conductor.agent_build_get_by_triple(ctx, 'qemu', 'linux', 'x86_64')).toMatchObject({ version: '1.0', url: 'http://a' });
      expect(await conductor.agent_build_get_by_triple(ctx, 'xen', 'linux', 'x86_64')).toBeNull();
    });
  });

  describe('services, compute nodes, migrations (the resource tracker’s calls)', () => {
    it('service_get_by_compute_host, service_update, compute_node_create/update/delete, migration_get_in_progress_by_host_and_node', async () => {
      const service = await env.db.service_create({}, { host: 'rt-host', binary: 'nova-compute', topic: 'compute' });
      const node = await conductor.compute_node_create(ctx, {
        service_id: service.id, host: 'rt-host', hypervisor_hostname: 'rt-node', vcpus: 8, memory_mb: 16384, local_gb: 200,
        vcpus_used: 0, memory_mb_used: 512, local_gb_used: 0, hypervisor_type: 'fake', hypervisor_version: 1,
      });
      expect(node).toMatchObject({ host: 'rt-host', memory_mb: 16384 });
      expect(await conductor.compute_node_update(ctx, node.id as number, { memory_mb_used: 2048, vcpus_used: 2 })).toMatchObject({ memory_mb_used: 2048, vcpus_used: 2 });
      const svc = await conductor.service_get_by_compute_host(ctx, 'rt-host');
      expect(svc).toMatchObject({ id: service.id, binary: 'nova-compute', disabled: false });
      expect(svc.compute_node!.map((n) => n.hypervisor_hostname)).toEqual(['rt-node']);
      expect(await conductor.service_update(ctx, service.id, { disabled: true, disabled_reason: 'maintenance' })).toMatchObject({ disabled: true, disabled_reason: 'maintenance' });
      expect(await conductor.service_update(ctx, 99999, { disabled: true }).catch((e: unknown) => e)).toBeInstanceOf(ServiceNotFound);
      expect(await conductor.service_get_by_compute_host(ctx, 'nowhere').catch((e: unknown) => e)).toBeInstanceOf(ComputeHostNotFound);

      const inst = await makeInstance();
      await env.db.migration_create({}, { instance_uuid: inst.uuid, source_compute: 'rt-host', source_node: 'rt-node', dest_compute: 'b', dest_node: 'b', status: 'migrating' });
      expect((await conductor.migration_get_in_progress_by_host_and_node(ctx, 'rt-host', 'rt-node')).map((m) => m.instance_uuid)).toEqual([inst.uuid]);

      await conductor.compute_node_delete(ctx, node.id as number);
      expect((await conductor.service_get_by_compute_host(ctx, 'rt-host')).compute_node).toEqual([]);
    });
  });

  describe('arguments', () => {
    it('are validated against the contract’s schemas before anything runs', async () => {
      const raw = env.client as unknown as { instance_update: (c: RequestContext, u: unknown, x: unknown) => Promise<unknown> };
      expect(await raw.instance_update(ctx, 42, {}).catch((e: unknown) => e)).toBeInstanceOf(InvalidArguments);
      expect(await raw.instance_update(ctx, uuid(), 'not a dict').catch((e: unknown) => e)).toBeInstanceOf(InvalidArguments);
    });

    it('the suite exercised every legacy method', () => {
      expect([...called].sort()).toEqual(Object.keys(LEGACY_METHOD_ARGS).sort());
    });
  });
});
