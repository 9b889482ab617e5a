import { isIPv4 } from 'node:net';
import { PowerState } from '@novakit/objects';
import type { HostResources } from '@novakit/virt-driver';
import { expect } from 'vitest';
import { blockDeviceInfo } from '../test-data.js';
import type { ConformanceCase } from './case.js';

const COUNTERS = ['vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used'] as const;

function checkResources(r: HostResources, node: string): void {
  for (const key of COUNTERS) {
    expect(Number.isInteger(r[key]), `${key} is an integer`).toBe(true);
    expect(r[key], key).toBeGreaterThanOrEqual(0);
  }
  expect(r.vcpus).toBeGreaterThan(0);
  expect(r.memory_mb).toBeGreaterThan(0);
  expect(r.local_gb).toBeGreaterThan(0);
  expect(r.hypervisor_type).toMatch(/\S/);
  expect(Number.isInteger(r.hypervisor_version)).toBe(true);
  expect(r.hypervisor_hostname).toBe(node);
  expect(typeof JSON.parse(r.cpu_info)).toBe('object');
  if (r.disk_available_least !== null) expect(typeof r.disk_available_least).toBe('number');
  expect(r.supported_instances.length).toBeGreaterThan(0);
  for (const triple of r.supported_instances) expect(triple.map((x) => typeof x)).toEqual(['string', 'string', 'string']);
  // Nova's FakeConnectionTestCase: the hypervisor type is one the host supports.
  expect(r.supported_instances.map((t) => t[1].toLowerCase())).toContain(r.hypervisor_type.toLowerCase());
}

export const HOST_CASES: readonly ConformanceCase[] = [
  {
    title: 'host: initHost, nodes, an IPv4 address and the resource report for the ComputeNode',
    covers: ['initHost', 'getAvailableNodes', 'getHostIpAddr', 'getAvailableResource'],
    async run(env) {
      const d = await env.host('a');
      const nodes = await d.getAvailableNodes();
      expect(nodes.length).toBeGreaterThan(0);
      for (const n of nodes) expect(n).toMatch(/\S/);
      expect(isIPv4(d.getHostIpAddr()), `${d.getHostIpAddr()} is IPv4`).toBe(true);
      checkResources(await d.getAvailableResource(nodes[0]!), nodes[0]!);
    },
  },
  {
    title: 'host: the resource report counts every instance on the host',
    covers: ['getAvailableResource', 'spawn', 'destroy'],
    async run(env) {
      const d = await env.host('a');
      const [node] = await d.getAvailableNodes();
      const before = await d.getAvailableResource(node!);
      const ti = env.instance({ vcpus: 2, memoryMb: 96, rootGb: 2, ephemeralGb: 0 });
      await env.spawn(d, ti);
      const during = await d.getAvailableResource(node!);
      checkResources(during, node!);
      if (env.expectations.resourceAccounting === 'exact') {
        expect(during.vcpus_used - before.vcpus_used).toBe(2);
        expect(during.memory_mb_used - before.memory_mb_used).toBe(96);
        expect(during.local_gb_used - before.local_gb_used).toBe(2);
      } else {
        expect(during.memory_mb_used).toBeLessThanOrEqual(during.memory_mb);
      }
      await d.destroy(env.ctx, ti.legacy, { networkInfo: ti.networkInfo, blockDeviceInfo: blockDeviceInfo(), destroyDisks: true });
      const after = await d.getAvailableResource(node!);
      if (env.expectations.resourceAccounting === 'exact') {
        expect({ vcpus: after.vcpus_used, mem: after.memory_mb_used, disk: after.local_gb_used }).toEqual({ vcpus: before.vcpus_used, mem: before.memory_mb_used, disk: before.local_gb_used });
      }
    },
  },
  {
    title: 'host: instances survive a compute restart; the new driver finds them at initHost',
    covers: ['initHost', 'cleanupHost', 'listInstanceUuids', 'listInstances'],
    async run(env) {
      const d = await env.host('a');
      const ti = env.instance();
      await env.spawn(d, ti);
      await d.cleanupHost(env.hostName('a'));
      const again = await env.restartHost('a');
      expect(await again.listInstanceUuids()).toContain(ti.uuid);
      expect(await again.listInstances()).toContain(ti.name);
      expect((await again.getInfo(env.ctx, ti.legacy)).state).toBe(PowerState.RUNNING);
    },
  },
];
