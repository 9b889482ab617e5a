import type { TestInstance } from '@novakit/virt-conformance';
import { describe, expect, it } from 'vitest';
import { createFakeHosts, type FakeDriver } from '../src/index.js';
import { migrate, spawn, virtapi } from './helpers.js';

describe('hundreds of fake hosts in one process', () => {
  it('500 hosts each run two instances; 100 migrate to their neighbour; the books balance', async () => {
    const hosts = createFakeHosts({ count: 500, virtapi, size: 'medium' });
    expect([hosts[0]!.host, hosts[499]!.host]).toEqual(['fake-host-000', 'fake-host-499']);
    expect(new Set(hosts.map((h) => h.network)).size).toBe(1);
    for (const h of hosts) await h.initHost(h.host);
    const where = new Map<TestInstance, FakeDriver>();
    for (const h of hosts) for (let i = 0; i < 2; i++) where.set(await spawn(h, { vcpus: 2, memoryMb: 512, rootGb: 10 }), h);
    const movers = [...where.keys()].filter((_, i) => i % 10 === 0);
    for (const ti of movers) {
      const from = where.get(ti)!;
      const to = hosts[(hosts.indexOf(from) + 1) % hosts.length]!;
      expect((await migrate(from, to, ti)).post).toBe(1);
      where.set(ti, to);
    }
    let vcpus = 0;
    let disk = 0;
    for (const h of hosts) {
      const r = await h.getAvailableResource(h.host);
      vcpus += r.vcpus_used;
      disk += r.local_gb_used;
      const expected = [...where].filter(([, d]) => d === h).map(([ti]) => ti.uuid).sort();
      expect((await h.listInstanceUuids()).sort()).toEqual(expected);
    }
    expect(movers).toHaveLength(100);
    expect(vcpus).toBe(1000 * 2);
    expect(disk).toBe(1000 * 10);
  });
});
