// Flavors, os-services, os-hypervisors and security groups through HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeServer, eventually, http, recordConductorCalls, startTestNode, TOKENS, type TestNode, type HttpResult } from './harness.js';

describe('flavors, services, hypervisors, security groups', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode({ hosts: 2 });
  }, 60_000);
  afterAll(async () => node?.stop());

  describe('/v2.1/flavors', () => {
    it('lists (ids and details) and shows flavors', async () => {
      const list = await http(node, 'GET', '/v2.1/flavors');
      expect(list.body.flavors.map((f: { id: string; name: string }) => [f.id, f.name])).toEqual([
        ['1', 'm1.tiny'],
        ['2', 'm1.small'],
      ]);
      const detail = await http(node, 'GET', '/v2.1/flavors/detail?minRam=1024');
      expect(detail.body.flavors).toEqual([
        {
          id: '2',
          name: 'm1.small',
          ram: 2048,
          vcpus: 1,
          disk: 20,
          'OS-FLV-EXT-DATA:ephemeral': 0,
          swap: '',
          rxtx_factor: 1,
          'os-flavor-access:is_public': true,
          'OS-FLV-DISABLED:disabled': false,
          links: [
            { rel: 'self', href: `${node.url}/v2.1/flavors/2` },
            { rel: 'bookmark', href: `${node.url}/flavors/2` },
          ],
        },
      ]);
      expect((await http(node, 'GET', '/v2.1/flavors/1')).body.flavor.name).toBe('m1.tiny');
      expect((await http(node, 'GET', '/v2.1/flavors/nope')).status).toBe(404);
    });

    it('creates a flavor (admin, 200), refuses a duplicate (409), members (403) and bad fields (400)', async () => {
      const body = { flavor: { name: 'c1.big', id: 'c1', ram: 4096, vcpus: 4, disk: 40, 'OS-FLV-EXT-DATA:ephemeral': 5, swap: 512 } };
      const created = await http(node, 'POST', '/v2.1/flavors', { body });
      expect(created.status).toBe(200);
      expect(created.body.flavor).toMatchObject({ id: 'c1', name: 'c1.big', ram: 4096, vcpus: 4, disk: 40, 'OS-FLV-EXT-DATA:ephemeral': 5, swap: 512 });
      expect((await http(node, 'POST', '/v2.1/flavors', { body })).status).toBe(409);
      expect((await http(node, 'POST', '/v2.1/flavors', { body: { flavor: { ...body.flavor, id: 'c2', name: 'x' } }, token: TOKENS.member })).status).toBe(403);
      const bad = await http(node, 'POST', '/v2.1/flavors', { body: { flavor: { name: 'neg', ram: -1, vcpus: 1, disk: 1 } } });
      expect(bad.status).toBe(400);
      expect(bad.body.badRequest.field).toBe('flavor.ram');
      const auto = await http(node, 'POST', '/v2.1/flavors', { body: { flavor: { name: 'auto-id', ram: 64, vcpus: 1, disk: 0 } } });
      expect(auto.body.flavor.id).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('/v2.1/os-services', () => {
    it('lists the services with their state, and filters by host and binary', async () => {
      const all = (await http(node, 'GET', '/v2.1/os-services')).body.services;
      const rows = all.map((s: { binary: string; host: string; state: string; status: string; zone: string }) => [s.binary, s.host, s.state, s.status, s.zone]);
      expect(rows).toEqual(
        expect.arrayContaining([
          ['nova-conductor', 'conductor', 'up', 'enabled', 'internal'],
          ['nova-compute', 'compute-1', 'up', 'enabled', 'nova'],
          ['nova-compute', 'compute-2', 'up', 'enabled', 'nova'],
        ]),
      );
      const one = (await http(node, 'GET', '/v2.1/os-services?host=compute-2&binary=nova-compute')).body.services;
      expect(one.map((s: { host: string }) => s.host)).toEqual(['compute-2']);
    });

    it('disables a compute (with a reason) so the scheduler skips it, then enables it', async () => {
      const off = await http(node, 'PUT', '/v2.1/os-services/disable-log-reason', { body: { host: 'compute-1', binary: 'nova-compute', disabled_reason: 'maintenance' } });
      expect(off.status).toBe(200);
      expect(off.body.service).toEqual({ host: 'compute-1', binary: 'nova-compute', status: 'disabled', disabled_reason: 'maintenance' });
      const listed = (await http(node, 'GET', '/v2.1/os-services?host=compute-1')).body.services[0];
      expect(listed).toMatchObject({ status: 'disabled', disabled_reason: 'maintenance' });
      for (let i = 0; i < 3; i++) {
        const id = await activeServer(node);
        expect((await http(node, 'GET', `/v2.1/servers/${id}`)).body.server['OS-EXT-SRV-ATTR:host']).toBe('compute-2');
      }
      const on = await http(node, 'PUT', '/v2.1/os-services/enable', { body: { host: 'compute-1', binary: 'nova-compute' } });
      expect(on.body.service).toEqual({ host: 'compute-1', binary: 'nova-compute', status: 'enabled' });
      await http(node, 'PUT', '/v2.1/os-services/disable', { body: { host: 'compute-2', binary: 'nova-compute' } });
      expect((await http(node, 'GET', '/v2.1/os-services?host=compute-2')).body.services[0].status).toBe('disabled');
      await http(node, 'PUT', '/v2.1/os-services/enable', { body: { host: 'compute-2', binary: 'nova-compute' } });
    });

    it('answers 404 for an unknown host and 400 for a missing field', async () => {
      expect((await http(node, 'PUT', '/v2.1/os-services/disable', { body: { host: 'nowhere', binary: 'nova-compute' } })).status).toBe(404);
      const missing = await http(node, 'PUT', '/v2.1/os-services/enable', { body: { host: 'compute-1' } });
      expect(missing.status).toBe(400);
      expect(missing.body.badRequest.field).toBe('binary');
    });
  });

  describe('/v2.1/os-hypervisors', () => {
    it('lists, details and shows hypervisors with their resources and service', async () => {
      const list = (await http(node, 'GET', '/v2.1/os-hypervisors')).body.hypervisors;
      expect(list.map((h: { hypervisor_hostname: string; state: string; status: string }) => [h.hypervisor_hostname, h.state, h.status])).toEqual([
        ['compute-1', 'up', 'enabled'],
        ['compute-2', 'up', 'enabled'],
      ]);
      const detail = (await http(node, 'GET', '/v2.1/os-hypervisors/detail')).body.hypervisors;
      expect(detail[0]).toMatchObject({ hypervisor_type: expect.any(String), vcpus: expect.any(Number), memory_mb: expect.any(Number), local_gb: expect.any(Number) });
      const byId = (await http(node, 'GET', `/v2.1/os-hypervisors/${list[1].id}`)).body.hypervisor;
      expect(byId).toMatchObject({ id: list[1].id, hypervisor_hostname: 'compute-2', service: { host: 'compute-2', disabled_reason: null } });
      const byName = (await http(node, 'GET', '/v2.1/os-hypervisors/compute-1')).body.hypervisor;
      expect(byName.id).toBe(list[0].id);
      expect((await http(node, 'GET', '/v2.1/os-hypervisors/999')).status).toBe(404);
      expect((await http(node, 'GET', '/v2.1/os-hypervisors', { token: TOKENS.member })).status).toBe(403);
    });
  });

  describe('/v2.1/os-security-groups', () => {
    it('creates, lists, shows a group; adds and deletes rules; deletes the group', async () => {
      const created = await http(node, 'POST', '/v2.1/os-security-groups', { body: { security_group: { name: 'web', description: 'http' } } });
      expect(created.status).toBe(200);
      const g = created.body.security_group;
      expect(g).toMatchObject({ name: 'web', description: 'http', tenant_id: 'proj-a', rules: [] });
      const rule = await http(node, 'POST', '/v2.1/os-security-group-rules', { body: { security_group_rule: { parent_group_id: g.id, ip_protocol: 'tcp', from_port: 80, to_port: 80, cidr: '0.0.0.0/0' } } });
      expect(rule.status).toBe(200);
      expect(rule.body.security_group_rule).toMatchObject({ parent_group_id: g.id, ip_protocol: 'tcp', from_port: 80, to_port: 80, ip_range: { cidr: '0.0.0.0/0' }, group: {} });
      const shown = (await http(node, 'GET', `/v2.1/os-security-groups/${g.id}`)).body.security_group;
      expect(shown.rules).toHaveLength(1);
      expect((await http(node, 'GET', '/v2.1/os-security-groups')).body.security_groups.map((x: { name: string }) => x.name)).toContain('web');
      expect((await http(node, 'DELETE', `/v2.1/os-security-group-rules/${rule.body.security_group_rule.id}`)).status).toBe(202);
      expect((await http(node, 'GET', `/v2.1/os-security-groups/${g.id}`)).body.security_group.rules).toEqual([]);
      expect((await http(node, 'DELETE', `/v2.1/os-security-group-rules/${rule.body.security_group_rule.id}`)).status).toBe(404);
      expect((await http(node, 'DELETE', `/v2.1/os-security-groups/${g.id}`)).status).toBe(202);
      expect((await http(node, 'GET', `/v2.1/os-security-groups/${g.id}`)).status).toBe(404);
    });

    describe('rules of every listed group with a number of conductor calls that does not grow with the groups', () => {
      const group = async (name: string, rules: { port: number; grantee?: number }[]): Promise<number> => {
        const g = await http(node, 'POST', '/v2.1/os-security-groups', { body: { security_group: { name, description: name } } });
        expect(g.status).toBe(200);
        for (const { port, grantee } of rules) {
          const r = { parent_group_id: g.body.security_group.id, ip_protocol: 'tcp', from_port: port, to_port: port, ...(grantee ? { group_id: grantee } : { cidr: '10.0.0.0/8' }) };
          expect((await http(node, 'POST', '/v2.1/os-security-group-rules', { body: { security_group_rule: r } })).status).toBe(200);
        }
        return g.body.security_group.id as number;
      };
      const ruleCalls = (calls: string[]) => calls.filter((c) => c.startsWith('SecurityGroupRule'));
      /** Each listed group as its own page shows it, and its rules as they were made. */
      const checkGroups = async (res: HttpResult, made: Map<number, number[]>) => {
        expect(res.status).toBe(200);
        const listed = res.body.security_groups as { id: number; rules: { from_port: number }[] }[];
        for (const g of listed) {
          expect(g).toEqual((await http(node, 'GET', `/v2.1/os-security-groups/${g.id}`)).body.security_group);
          if (made.has(g.id)) expect(g.rules.map((r) => r.from_port)).toEqual(made.get(g.id));
        }
        return listed.map((g) => g.id);
      };

      it('GET /os-security-groups', async () => {
        const made = new Map<number, number[]>();
        const first = await group('few-1', [{ port: 22 }]);
        made.set(first, [22]);
        const calls = recordConductorCalls();
        try {
          const few = await http(node, 'GET', '/v2.1/os-security-groups');
          const fewCalls = calls.of(few);
          for (let i = 2; i <= 5; i++) {
            const ports = [1000 + i, 2000 + i];
            made.set(await group(`many-${i}`, [{ port: ports[0]! }, { port: ports[1]!, grantee: first }]), ports);
          }
          const many = await http(node, 'GET', '/v2.1/os-security-groups');
          expect(many.body.security_groups.length).toBeGreaterThanOrEqual(few.body.security_groups.length + 4);
          expect(calls.of(many)).toEqual(fewCalls);
          expect(ruleCalls(calls.of(many))).toEqual(['SecurityGroupRuleList.getBySecurityGroupIds']);
          expect(await checkGroups(many, made)).toEqual(expect.arrayContaining([...made.keys()]));
        } finally {
          calls.restore();
        }
      });

      it('GET /servers/{id}/os-security-groups', async () => {
        const a = await group('member-a', [{ port: 80 }, { port: 443 }]);
        const b = await group('member-b', [{ port: 5432, grantee: a }]);
        const one = await activeServer(node, 'in-one-group');
        const three = await activeServer(node, 'in-three-groups', { security_groups: [{ name: 'default' }, { name: 'member-a' }, { name: 'member-b' }] });
        const calls = recordConductorCalls();
        try {
          const few = await http(node, 'GET', `/v2.1/servers/${one}/os-security-groups`);
          const many = await http(node, 'GET', `/v2.1/servers/${three}/os-security-groups`);
          expect(few.body.security_groups).toHaveLength(1);
          expect(calls.of(many)).toEqual(calls.of(few));
          expect(ruleCalls(calls.of(many))).toEqual(['SecurityGroupRuleList.getBySecurityGroupIds']);
          const ids = await checkGroups(many, new Map([[a, [80, 443]], [b, [5432]]]));
          expect(ids).toHaveLength(3);
          expect(ids).toEqual(expect.arrayContaining([a, b]));
        } finally {
          calls.restore();
        }
      });
    });

    it('refuses bad rules with 400 naming the field', async () => {
      const g = (await http(node, 'POST', '/v2.1/os-security-groups', { body: { security_group: { name: 'strict' } } })).body.security_group;
      const ports = await http(node, 'POST', '/v2.1/os-security-group-rules', { body: { security_group_rule: { parent_group_id: g.id, ip_protocol: 'tcp', from_port: 90, to_port: 80 } } });
      expect(ports.status).toBe(400);
      expect(ports.body.badRequest.field).toBe('security_group_rule.from_port');
      const cidr = await http(node, 'POST', '/v2.1/os-security-group-rules', { body: { security_group_rule: { parent_group_id: g.id, ip_protocol: 'tcp', from_port: 1, to_port: 2, cidr: '10.0.0.0/33' } } });
      expect(cidr.body.badRequest.field).toBe('security_group_rule.cidr');
      const proto = await http(node, 'POST', '/v2.1/os-security-group-rules', { body: { security_group_rule: { parent_group_id: g.id, ip_protocol: 'sctp', from_port: 1, to_port: 2 } } });
      expect(proto.body.badRequest.field).toBe('security_group_rule.ip_protocol');
    });

    it('adds a group to a running server and removes it (202); a group in use cannot be deleted (409)', async () => {
      const g = (await http(node, 'POST', '/v2.1/os-security-groups', { body: { security_group: { name: 'ssh' } } })).body.security_group;
      const id = await activeServer(node);
      expect((await http(node, 'POST', `/v2.1/servers/${id}/action`, { body: { addSecurityGroup: { name: 'ssh' } } })).status).toBe(202);
      const groups = (await http(node, 'GET', `/v2.1/servers/${id}/os-security-groups`)).body.security_groups.map((x: { name: string }) => x.name).sort();
      expect(groups).toEqual(['default', 'ssh']);
      expect((await http(node, 'GET', `/v2.1/servers/${id}`)).body.server.security_groups.map((x: { name: string }) => x.name).sort()).toEqual(['default', 'ssh']);
      const inUse = await http(node, 'DELETE', `/v2.1/os-security-groups/${g.id}`);
      expect(inUse.status).toBe(409);
      expect((await http(node, 'POST', `/v2.1/servers/${id}/action`, { body: { removeSecurityGroup: { name: 'ssh' } } })).status).toBe(202);
      expect((await http(node, 'GET', `/v2.1/servers/${id}/os-security-groups`)).body.security_groups.map((x: { name: string }) => x.name)).toEqual(['default']);
      expect((await http(node, 'POST', `/v2.1/servers/${id}/action`, { body: { removeSecurityGroup: { name: 'ssh' } } })).status).toBe(404);
      expect((await http(node, 'POST', `/v2.1/servers/${id}/action`, { body: { addSecurityGroup: { name: 'nope' } } })).status).toBe(404);
      expect((await http(node, 'DELETE', `/v2.1/os-security-groups/${g.id}`)).status).toBe(202);
    });

    it('creates a server in a named group; the default group cannot be deleted; other projects do not see groups', async () => {
      const g = (await http(node, 'POST', '/v2.1/os-security-groups', { body: { security_group: { name: 'db' } } })).body.security_group;
      const id = await activeServer(node, 'in-db', { security_groups: [{ name: 'db' }] });
      expect((await http(node, 'GET', `/v2.1/servers/${id}`)).body.server.security_groups).toEqual([{ name: 'db' }]);
      const def = (await http(node, 'GET', '/v2.1/os-security-groups')).body.security_groups.find((x: { name: string }) => x.name === 'default');
      expect((await http(node, 'DELETE', `/v2.1/os-security-groups/${def.id}`)).status).toBe(400);
      expect((await http(node, 'GET', `/v2.1/os-security-groups/${g.id}`, { token: TOKENS.other })).status).toBe(404);
      expect((await http(node, 'DELETE', `/v2.1/os-security-groups/${g.id}`, { token: TOKENS.other })).status).toBe(404);
      await http(node, 'DELETE', `/v2.1/servers/${id}`);
      await eventually('gone', () => http(node, 'GET', `/v2.1/servers/${id}`), (r) => r.status === 404);
    });
  });
});
