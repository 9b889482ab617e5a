import { expect, it } from 'vitest';
import {
  COMPUTE_TOPIC, ComputeHostNotFound, HostBinaryNotFound, MigrationNotFound, MigrationNotFoundByStatus,
  ServiceBinaryExists, ServiceNotFound, ServiceTopicExists,
} from '../src/index.js';
import { describeBackends, rejection, uniq } from './support/backends.js';

describeBackends('services, compute nodes and migrations', ({ db, clock }) => {
  const api = () => db().api;

  it('registers services and finds them by args, compute host, topic and binary', async () => {
    const host = uniq('h');
    const binary = uniq('novakit-compute');
    const svc = await api().service_create({}, { host, binary, topic: COMPUTE_TOPIC, version: 2 });
    expect(svc.report_count).toBe(0);
    expect(svc.disabled).toBe(false);
    expect(svc.last_seen_up).toBeInstanceOf(Date);
    expect(await rejection(api().service_create({}, { host, binary, topic: 'other' }))).toBeInstanceOf(ServiceBinaryExists);
    expect(await rejection(api().service_create({}, { host, binary: 'x', topic: COMPUTE_TOPIC }))).toBeInstanceOf(ServiceTopicExists);
    expect((await api().service_get_by_args({}, host, binary)).id).toBe(svc.id);
    expect(await rejection(api().service_get_by_args({}, host, 'nope'))).toBeInstanceOf(HostBinaryNotFound);
    const node = await api().compute_node_create({}, { service_id: svc.id, host, hypervisor_hostname: `${host}.node`, vcpus: 8, memory_mb: 4096, local_gb: 100, hypervisor_type: 'qemu', stats: { num_instances: '0' } });
    const byHost = await api().service_get_by_compute_host({}, host);
    expect(byHost.id).toBe(svc.id);
    expect(byHost.compute_node?.map((n) => n.id)).toEqual([node.id]);
    expect(await rejection(api().service_get_by_compute_host({}, uniq('none')))).toBeInstanceOf(ComputeHostNotFound);
    expect((await api().service_get_all_by_binary({}, binary)).map((s) => s.id)).toEqual([svc.id]);
    expect((await api().service_get_all_by_host({}, host)).length).toBe(1);
    expect(await api().service_get_by_host_and_topic({}, host, COMPUTE_TOPIC)).not.toBeNull();
    const disabled = await api().service_update({}, svc.id, { disabled: true, disabled_reason: 'maintenance' });
    expect(disabled.disabled).toBe(true);
    expect(await api().service_get_all_by_binary({}, binary)).toEqual([]);
    expect((await api().service_get({}, svc.id, { columnsToJoin: ['compute_node'] })).compute_node?.length).toBe(1);
    await api().service_destroy({}, svc.id);
    expect(await rejection(api().service_get({}, svc.id))).toBeInstanceOf(ServiceNotFound);
    expect(await rejection(api().compute_node_get({}, node.id))).toBeInstanceOf(ComputeHostNotFound);
  });

  it('heartbeats and computes the minimum version among live services', async () => {
    const binary = uniq('novakit-compute');
    clock.set(new Date('2030-01-01T00:00:00Z'));
    try {
      const old = await api().service_create({}, { host: uniq('h'), binary, version: 1 });
      const cur = await api().service_create({}, { host: uniq('h'), binary, version: 3 });
      expect(await api().service_get_minimum_version({}, binary)).toBe(1);
      clock.advance(120);
      const hb = await api().service_report({}, cur.id, { version: 4 });
      expect(hb.report_count).toBe(1);
      expect(hb.version).toBe(4);
      expect(hb.last_seen_up?.toISOString()).toBe('2030-01-01T00:02:00.000Z');
      // The old service has not reported for two minutes: it no longer pins the cap.
      expect(await api().service_get_minimum_version({}, binary, { upWithinSeconds: 60 })).toBe(4);
      expect(await api().service_get_minimum_version({}, binary)).toBe(1);
      await api().service_update({}, old.id, { forced_down: true });
      expect(await api().service_get_minimum_version({}, binary)).toBe(4);
      expect(await api().service_get_minimum_version({}, uniq('none'))).toBeNull();
    } finally {
      clock.set(null);
    }
  });

  it('keeps compute nodes: update, lookups, search and statistics', async () => {
    const host = uniq('h');
    const svc = await api().service_create({}, { host, binary: uniq('nc'), topic: COMPUTE_TOPIC });
    const n = await api().compute_node_create({}, { service_id: svc.id, host, hypervisor_hostname: `${host}-a`, vcpus: 4, memory_mb: 2048, local_gb: 20, cpu_info: '{"arch":"x86_64"}' });
    expect(n.stats).toBeNull();
    const u = await api().compute_node_update({}, n.id, { vcpus_used: 2, stats: { num_instances: '2', 'num_vm_active': '2' } });
    expect(u.vcpus_used).toBe(2);
    expect(u.stats).toEqual({ num_instances: '2', num_vm_active: '2' });
    expect(u.updated_at).toBeInstanceOf(Date);
    expect(await rejection(api().compute_node_update({}, 999999, {}))).toBeInstanceOf(ComputeHostNotFound);
    expect((await api().compute_node_get_by_host_and_nodename({}, host, `${host}-a`)).id).toBe(n.id);
    expect((await api().compute_node_get_all_by_host({}, host)).length).toBe(1);
    expect(await rejection(api().compute_node_get_all_by_host({}, uniq('none')))).toBeInstanceOf(ComputeHostNotFound);
    expect((await api().compute_node_get_by_service_id({}, svc.id)).id).toBe(n.id);
    expect(await rejection(api().compute_node_get_by_service_id({}, 999999))).toBeInstanceOf(ServiceNotFound);
    expect((await api().compute_node_search_by_hypervisor({}, host)).map((x) => x.id)).toEqual([n.id]);
    const stats = await api().compute_node_statistics({});
    expect(stats.count).toBeGreaterThanOrEqual(1);
    expect(stats.vcpus).toBeGreaterThanOrEqual(4);
    await api().compute_node_delete({}, n.id);
    expect(await api().compute_nodes_get_by_service_id({}, svc.id)).toEqual([]);
  });

  it('records migrations and finds them in progress, unconfirmed and by filters', async () => {
    const src = uniq('src');
    const dst = uniq('dst');
    const inst = await api().instance_create({}, {});
    const m = await api().migration_create({}, { instance_uuid: inst.uuid, source_compute: src, source_node: 'n', dest_compute: dst, dest_node: 'n', status: 'migrating' });
    expect((await api().migration_get_in_progress_by_host_and_node({}, dst, 'n')).map((x) => x.id)).toEqual([m.id]);
    expect((await api().migration_get_by_instance_and_status({}, inst.uuid, 'migrating')).id).toBe(m.id);
    expect(await rejection(api().migration_get_by_instance_and_status({}, inst.uuid, 'finished'))).toBeInstanceOf(MigrationNotFoundByStatus);
    clock.set(new Date(Date.now() - 7200_000));
    await api().migration_update({}, m.id, { status: 'finished' });
    clock.set(null);
    expect((await api().migration_get_unconfirmed_by_dest_compute({}, 3600, dst)).map((x) => x.id)).toEqual([m.id]);
    expect(await api().migration_get_unconfirmed_by_dest_compute({}, 3 * 3600, dst)).toEqual([]);
    await api().migration_update({}, m.id, { status: 'confirmed' });
    expect(await api().migration_get_in_progress_by_host_and_node({}, src, 'n')).toEqual([]);
    expect((await api().migration_get_all_by_filters({}, { host: src, status: ['confirmed', 'reverted'] })).length).toBe(1);
    expect(await rejection(api().migration_get({}, 999999))).toBeInstanceOf(MigrationNotFound);
  });
});
