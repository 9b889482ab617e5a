import { describe, expect, it } from 'vitest';
import {
  ComputeHostNotFound,
  ComputeNode,
  ComputeNodeList,
  HostBinaryNotFound,
  Migration,
  MigrationList,
  MigrationNotFound,
  SERVICE_VERSION,
  Service,
  ServiceBinaryExists,
  ServiceList,
} from '../src/index.js';
import { MODES, useEnv, uuid } from './harness.js';

describe.each(MODES)('Service (%s)', (mode) => {
  const env = useEnv(mode);

  it('register finds or creates the record, updates its topic and reports this code’s version', async () => {
    const host = `h-${uuid()}`;
    const values = { host, binary: 'novakit-conductor', topic: 'conductor' };
    const [a, b] = await Promise.all([Service.register(env.ctx, values), Service.register(env.ctx, values)]);
    expect(b.id).toBe(a.id);
    expect(a.version).toBe(SERVICE_VERSION);
    const old = await Service.getById(env.admin, a.id);
    old.version = 1;
    old.topic = 'old-topic';
    await old.save();
    const again = await Service.register(env.ctx, values);
    expect(again.id).toBe(a.id);
    const stored = await Service.getById(env.admin, a.id);
    expect(stored).toMatchObject({ topic: 'conductor', version: SERVICE_VERSION, report_count: 3 });
    expect(stored.last_seen_up).not.toBeNull();
  });

  it('registers with this process’s service version and is found by host and binary or topic', async () => {
    const host = `h-${uuid()}`;
    const svc = Service.forThisProcess(env.ctx, { host, binary: 'novakit-compute', topic: 'compute' });
    await svc.create();
    expect(svc.id).toBeGreaterThan(0);
    expect(svc.version).toBe(SERVICE_VERSION);
    expect(svc.report_count).toBe(0);
    expect((await Service.getByHostAndBinary(env.ctx, host, 'novakit-compute')).id).toBe(svc.id);
    expect((await Service.getByHostAndTopic(env.ctx, host, 'compute'))!.id).toBe(svc.id);
    expect(await Service.getByHostAndTopic(env.ctx, host, 'nothing')).toBeNull();
    await expect(Service.getByHostAndBinary(env.ctx, host, 'novakit-api')).rejects.toThrow(HostBinaryNotFound);
    await expect(Service.forThisProcess(env.ctx, { host, binary: 'novakit-compute' }).create()).rejects.toThrow(ServiceBinaryExists);
  });

  it('reports heartbeats atomically: concurrent reports all count', async () => {
    const svc = Service.forThisProcess(env.ctx, { host: `h-${uuid()}`, binary: 'novakit-compute', topic: 'compute' });
    await svc.create();
    const other = await Service.getById(env.ctx, svc.id);
    await Promise.all([svc.report(), other.report(), svc.report()]);
    const stored = await Service.getById(env.admin, svc.id);
    expect(stored.report_count).toBe(3);
    expect(stored.last_seen_up).toBeInstanceOf(Date);
    expect(svc.obj_has_changes()).toBe(false);
  });

  it('saves changed fields (disable with a reason)', async () => {
    const svc = Service.forThisProcess(env.ctx, { host: `h-${uuid()}`, binary: 'novakit-compute', topic: 'compute' });
    await svc.create();
    svc.disabled = true;
    svc.disabled_reason = 'maintenance';
    env.resetCalls();
    await svc.save();
    if (mode === 'remote') expect(JSON.parse(env.calls()[0]!.wire).objinst['nova_object.changes'].sort()).toEqual(['disabled', 'disabled_reason']);
    const stored = await Service.getById(env.admin, svc.id);
    expect([stored.disabled, stored.disabled_reason]).toEqual([true, 'maintenance']);
    const disabled = await ServiceList.getAll(env.ctx, { disabled: true });
    expect(disabled.map((s) => s.id)).toContain(svc.id);
  });

  it('gives the minimum service version of live services of a binary', async () => {
    const binary = `novakit-${uuid()}`;
    expect(await Service.getMinimumVersion(env.ctx, binary)).toBeNull();
    const old = new Service({ host: `h-${uuid()}`, binary, topic: 't', version: 3 }, env.ctx);
    const current = new Service({ host: `h-${uuid()}`, binary, topic: 't', version: 5 }, env.ctx);
    await old.create();
    await current.create();
    env.resetCalls();
    expect(await Service.getMinimumVersion(env.ctx, binary)).toBe(3);
    expect(env.callNames()).toEqual(mode === 'remote' ? ['Service.getMinimumVersion'] : []);
    // The old service upgrades: its next heartbeat reports the new version.
    await old.heartbeat(5);
    expect(await Service.getMinimumVersion(env.ctx, binary)).toBe(5);
    // A forced-down service no longer holds the cap back.
    const stuck = new Service({ host: `h-${uuid()}`, binary, topic: 't', version: 1 }, env.ctx);
    await stuck.create();
    expect(await Service.getMinimumVersion(env.ctx, binary)).toBe(1);
    stuck.forced_down = true;
    await stuck.save();
    expect(await Service.getMinimumVersion(env.ctx, binary)).toBe(5);
  });

  it('getByComputeHost brings the compute node; otherwise it loads lazily; destroy removes both', async () => {
    const host = `h-${uuid()}`;
    const svc = Service.forThisProcess(env.ctx, { host, binary: 'novakit-compute', topic: 'compute' });
    await svc.create();
    const node = new ComputeNode(nodeValues(host, svc.id), env.ctx);
    await node.create();
    const withNode = await Service.getByComputeHost(env.ctx, host);
    expect(withNode.compute_node!.id).toBe(node.id);
    const plain = await Service.getById(env.ctx, svc.id);
    env.resetCalls();
    await plain.obj_load_attr('compute_node');
    expect(plain.compute_node!.hypervisor_hostname).toBe(`${host}.node`);
    expect(env.callNames()).toEqual(mode === 'remote' ? ['ComputeNode.getByServiceId'] : []);
    expect((await ServiceList.getByHost(env.ctx, host)).map((s) => s.binary)).toEqual(['novakit-compute']);
    expect((await ServiceList.getByTopic(env.ctx, 'compute')).map((s) => s.id)).toContain(svc.id);
    expect((await ServiceList.getByBinary(env.ctx, 'novakit-compute')).map((s) => s.id)).toContain(svc.id);
    await svc.destroy();
    await expect(Service.getByComputeHost(env.ctx, host)).rejects.toThrow(ComputeHostNotFound);
  });
});

function nodeValues(host: string, serviceId: number) {
  return {
    service_id: serviceId,
    host,
    hypervisor_hostname: `${host}.node`,
    hypervisor_type: 'fake',
    hypervisor_version: 1000,
    vcpus: 8,
    memory_mb: 16384,
    local_gb: 100,
    vcpus_used: 0,
    memory_mb_used: 512,
    local_gb_used: 0,
    cpu_info: '{"arch":"x86_64"}',
    host_ip: '192.0.2.7',
    stats: { num_instances: '0' },
  };
}

describe.each(MODES)('ComputeNode (%s)', (mode) => {
  const env = useEnv(mode);

  it('creates, finds by id, service and host/node, and saves only the changed resources', async () => {
    const host = `h-${uuid()}`;
    const svc = Service.forThisProcess(env.admin, { host, binary: 'novakit-compute', topic: 'compute' });
    await svc.create();
    const node = new ComputeNode(nodeValues(host, svc.id), env.ctx);
    await node.create();
    expect(node.id).toBeGreaterThan(0);
    expect(node.stats).toEqual({ num_instances: '0' });
    expect((await ComputeNode.getById(env.ctx, node.id)).host_ip).toBe('192.0.2.7');
    expect((await ComputeNode.getByServiceId(env.ctx, svc.id)).id).toBe(node.id);
    const mine = await ComputeNode.getByHostAndNodename(env.ctx, host, `${host}.node`);

    const other = await ComputeNode.getById(env.admin, node.id);
    other.cpu_info = '{"arch":"aarch64"}';
    await other.save();
    mine.vcpus_used = 2;
    mine.stats = { num_instances: '1' };
    env.resetCalls();
    await mine.save();
    if (mode === 'remote') expect(JSON.parse(env.calls()[0]!.wire).objinst['nova_object.changes'].sort()).toEqual(['stats', 'vcpus_used']);
    const stored = await ComputeNode.getById(env.admin, node.id);
    expect([stored.vcpus_used, stored.stats, stored.cpu_info]).toEqual([2, { num_instances: '1' }, '{"arch":"aarch64"}']);
    expect(mine.cpu_info).toBe('{"arch":"aarch64"}');
  });

  it('lists all, by host and by hypervisor name; destroy soft-deletes', async () => {
    const host = `h-${uuid()}`;
    const a = new ComputeNode({ ...nodeValues(host, 0), hypervisor_hostname: `${host}-a` }, env.ctx);
    const b = new ComputeNode({ ...nodeValues(host, 0), hypervisor_hostname: `${host}-b` }, env.ctx);
    await a.create();
    await b.create();
    expect((await ComputeNodeList.getByHost(env.ctx, host)).map((n) => n.hypervisor_hostname)).toEqual([`${host}-a`, `${host}-b`]);
    expect((await ComputeNodeList.getByHypervisor(env.ctx, `${host}-b`)).map((n) => n.id)).toEqual([b.id]);
    expect((await ComputeNodeList.getAll(env.ctx)).length).toBeGreaterThanOrEqual(2);
    await a.destroy();
    expect((await ComputeNodeList.getByHost(env.ctx, host)).map((n) => n.id)).toEqual([b.id]);
    await expect(ComputeNode.getById(env.ctx, a.id)).rejects.toThrow(ComputeHostNotFound);
    await expect(ComputeNodeList.getByHost(env.ctx, `none-${uuid()}`)).rejects.toThrow(ComputeHostNotFound);
  });
});

describe.each(MODES)('Migration (%s)', (mode) => {
  const env = useEnv(mode);

  it('creates, saves status changes and is found by instance and status', async () => {
    const instanceUuid = uuid();
    const m = new Migration({ instance_uuid: instanceUuid, source_compute: 'src', dest_compute: 'dst', source_node: 'sn', dest_node: 'dn', status: 'migrating' }, env.ctx);
    await m.create();
    m.status = 'finished';
    await m.save();
    expect((await Migration.getByInstanceAndStatus(env.ctx, instanceUuid, 'finished')).id).toBe(m.id);
    expect((await Migration.getById(env.ctx, m.id)).dest_compute).toBe('dst');
    await expect(Migration.getByInstanceAndStatus(env.ctx, instanceUuid, 'reverted')).rejects.toThrow(MigrationNotFound);
    await expect(Migration.getById(env.ctx, 999_999)).rejects.toThrow(MigrationNotFound);
  });

  it('lists the ones in progress on a node and by filters', async () => {
    const host = `h-${uuid()}`;
    const running = new Migration({ instance_uuid: uuid(), source_compute: host, source_node: 'n', dest_compute: 'x', dest_node: 'y', status: 'migrating' }, env.ctx);
    const done = new Migration({ instance_uuid: uuid(), source_compute: host, source_node: 'n', dest_compute: 'x', dest_node: 'y', status: 'confirmed' }, env.ctx);
    await running.create();
    await done.create();
    expect((await MigrationList.getInProgressByHostAndNode(env.ctx, host, 'n')).map((m) => m.id)).toEqual([running.id]);
    expect((await MigrationList.getByFilters(env.ctx, { host, status: ['confirmed'] })).map((m) => m.id)).toEqual([done.id]);
    expect((await MigrationList.getUnconfirmedByDestCompute(env.ctx, 3600, `none-${uuid()}`)).length).toBe(0);
  });
});
