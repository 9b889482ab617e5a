// /v2.1/servers through HTTP: create (and what it refuses), list with filters, show, delete,
// and the project scope of every read and write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeServer, eventually, http, recordConductorCalls, startTestNode, TOKENS, type TestNode } from './harness.js';

describe('/v2.1/servers', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode({ hosts: 2 });
  }, 60_000);
  afterAll(async () => node?.stop());

  it('creates a server: 202 with id, links and groups; it builds to ACTIVE on a compute', async () => {
    const res = await http(node, 'POST', '/v2.1/servers', {
      body: { server: { name: 'web-1', flavorRef: `${node.url}/flavors/2`, imageRef: 'cirros-0.6', networks: [{ uuid: 'net-a' }], metadata: { role: 'web' } } },
    });
    expect(res.status).toBe(202);
    const id = res.body.server.id as string;
    expect(res.body.server).toEqual({
      id,
      links: [
        { rel: 'self', href: `${node.url}/v2.1/servers/${id}` },
        { rel: 'bookmark', href: `${node.url}/servers/${id}` },
      ],
      security_groups: [{ name: 'default' }],
      'OS-DCF:diskConfig': 'MANUAL',
    });
    const show = await eventually('ACTIVE', () => http(node, 'GET', `/v2.1/servers/${id}`), (r) => r.body.server.status === 'ACTIVE');
    expect(show.body.server).toMatchObject({
      name: 'web-1',
      tenant_id: 'proj-a',
      user_id: 'alice',
      metadata: { role: 'web' },
      image: { id: 'cirros-0.6' },
      flavor: { id: '2' },
      'OS-EXT-STS:vm_state': 'active',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-STS:power_state': 1,
    });
    expect(['compute-1', 'compute-2']).toContain(show.body.server['OS-EXT-SRV-ATTR:host']);
    expect(Object.keys(show.body.server.addresses)).toEqual(['net-a']);
  });

  it('creates a server without an image', async () => {
    const id = await activeServer(node, 'no-image');
    expect((await http(node, 'GET', `/v2.1/servers/${id}`)).body.server.image).toBe('');
  });

  it('places a server on the host an admin names (nova:<host>); members may not', async () => {
    const id = await activeServer(node, 'pinned', { availability_zone: 'nova:compute-2' });
    expect((await http(node, 'GET', `/v2.1/servers/${id}`)).body.server['OS-EXT-SRV-ATTR:host']).toBe('compute-2');
    const member = await http(node, 'POST', '/v2.1/servers', { token: TOKENS.member, body: { server: { name: 'x', flavorRef: '1', availability_zone: 'nova:compute-2' } } });
    expect(member.status).toBe(403);
  });

  it('refuses an unknown flavor, an unknown security group and a bad network with 400', async () => {
    const flavor = await http(node, 'POST', '/v2.1/servers', { body: { server: { name: 'x', flavorRef: '999' } } });
    expect(flavor.status).toBe(400);
    expect(flavor.body.badRequest.message).toBe('Invalid flavorRef 999: no such flavor');
    const group = await http(node, 'POST', '/v2.1/servers', { body: { server: { name: 'x', flavorRef: '1', security_groups: [{ name: 'nope' }] } } });
    expect(group.status).toBe(400);
    expect(group.body.badRequest.field).toBe('server.security_groups[0].name');
    const net = await http(node, 'POST', '/v2.1/servers', { body: { server: { name: 'x', flavorRef: '1', networks: [{ fixed_ip: '10.0.0.300' }] } } });
    expect(net.status).toBe(400);
    expect(net.body.badRequest.field).toMatch(/^server\.networks\[0\]/);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expect((await http(node, 'GET', '/v2.1/servers/6f1f6b2e-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await http(node, 'GET', '/v2.1/servers/not-a-uuid');
    expect(bad.status).toBe(404);
    expect(bad.body.itemNotFound.message).toBe('Instance not-a-uuid could not be found.');
  });

  it('lists servers (summary and detail) with filters, paging and sorting', async () => {
    const a = await activeServer(node, 'list-alpha');
    const b = await activeServer(node, 'list-beta', { availability_zone: 'nova:compute-1' });
    const summary = await http(node, 'GET', '/v2.1/servers?name=list-');
    expect(summary.status).toBe(200);
    expect(summary.body.servers.map((s: { name: string }) => s.name).sort()).toEqual(['list-alpha', 'list-beta']);
    expect(Object.keys(summary.body.servers[0]).sort()).toEqual(['id', 'links', 'name']);
    const detail = await http(node, 'GET', '/v2.1/servers/detail?name=list-&sort_key=display_name&sort_dir=asc');
    expect(detail.body.servers.map((s: { id: string }) => s.id)).toEqual([a, b]);
    expect(detail.body.servers[0].status).toBe('ACTIVE');
    const page1 = await http(node, 'GET', '/v2.1/servers?name=list-&sort_key=display_name&sort_dir=asc&limit=1');
    expect(page1.body.servers.map((s: { id: string }) => s.id)).toEqual([a]);
    const page2 = await http(node, 'GET', `/v2.1/servers?name=list-&sort_key=display_name&sort_dir=asc&limit=1&marker=${a}`);
    expect(page2.body.servers.map((s: { id: string }) => s.id)).toEqual([b]);
    const onHost = await http(node, 'GET', '/v2.1/servers?name=list-beta&host=compute-1');
    expect(onHost.body.servers.map((s: { id: string }) => s.id)).toEqual([b]);
    const byStatus = await http(node, 'GET', '/v2.1/servers?name=list-&status=shutoff');
    expect(byStatus.body.servers).toEqual([]);
    const byFlavor = await http(node, 'GET', '/v2.1/servers?name=list-&flavor=1');
    expect(byFlavor.body.servers).toHaveLength(2);
    expect((await http(node, 'GET', '/v2.1/servers?status=NOT_A_STATUS')).status).toBe(400);
  });

  it('lists details with a number of conductor calls that does not grow with the servers; volumes_attached as each server shows it', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await activeServer(node, `calls-${i}`));
    const attached = new Map<string, string>();
    for (const i of [0, 3]) {
      const vol = (await http(node, 'POST', '/v2.1/os-volumes', { body: { volume: { size: 1 } } })).body.volume.id as string;
      expect((await http(node, 'POST', `/v2.1/servers/${ids[i]}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: vol } } })).status).toBe(200);
      attached.set(ids[i]!, vol);
      await eventually('attach done', () => http(node, 'GET', `/v2.1/servers/${ids[i]}`), (r) => r.body.server['os-extended-volumes:volumes_attached'].length === 1);
    }
    const calls = recordConductorCalls();
    const detail = async (query: string) => {
      const res = await http(node, 'GET', `/v2.1/servers/detail?name=calls-&sort_key=display_name&sort_dir=asc${query}`);
      expect(res.status).toBe(200);
      return { servers: res.body.servers as Record<string, unknown>[], calls: calls.of(res) };
    };
    try {
      const one = await detail('&limit=1');
      const all = await detail('');
      expect(one.servers).toHaveLength(1);
      expect(all.servers.map((s) => s.id)).toEqual(ids);
      expect(all.calls).toEqual(one.calls);
      expect(all.calls.filter((c) => c.startsWith('BlockDeviceMapping'))).toEqual(['BlockDeviceMappingList.getByInstanceUuids']);
      for (const server of all.servers) {
        const vol = attached.get(server.id as string);
        expect(server['os-extended-volumes:volumes_attached'], server.name as string).toEqual(vol ? [{ id: vol }] : []);
        const show = await http(node, 'GET', `/v2.1/servers/${server.id as string}`);
        expect(server['os-extended-volumes:volumes_attached']).toEqual(show.body.server['os-extended-volumes:volumes_attached']);
      }
    } finally {
      calls.restore();
    }
  });

  it('scopes servers to the token’s project: another project neither lists, sees nor deletes them', async () => {
    const id = await activeServer(node, 'mine');
    const list = await http(node, 'GET', '/v2.1/servers', { token: TOKENS.other });
    expect(list.body.servers).toEqual([]);
    expect((await http(node, 'GET', `/v2.1/servers/${id}`, { token: TOKENS.other })).status).toBe(404);
    expect((await http(node, 'DELETE', `/v2.1/servers/${id}`, { token: TOKENS.other })).status).toBe(404);
    expect((await http(node, 'POST', `/v2.1/servers/${id}/action`, { token: TOKENS.other, body: { 'os-stop': null } })).status).toBe(404);
    // A member of the same project does see it.
    expect((await http(node, 'GET', `/v2.1/servers/${id}`, { token: TOKENS.member })).status).toBe(200);
  });

  it('deletes a server (204); it disappears; deleting it again is 404', async () => {
    const id = await activeServer(node, 'doomed');
    const del = await http(node, 'DELETE', `/v2.1/servers/${id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    await eventually('gone', () => http(node, 'GET', `/v2.1/servers/${id}`), (r) => r.status === 404);
    expect((await http(node, 'DELETE', `/v2.1/servers/${id}`)).status).toBe(404);
    const since = await http(node, 'GET', `/v2.1/servers/detail?changes-since=2000-01-01T00:00:00Z&name=doomed`);
    expect(since.body.servers.map((s: { status: string }) => s.status)).toEqual(['DELETED']);
  });

  it('puts a server no host can take in ERROR with its fault, and deletes it locally', async () => {
    await http(node, 'POST', '/v2.1/flavors', { body: { flavor: { name: 'huge', id: 'huge', ram: 10_000_000, vcpus: 1, disk: 1 } } });
    const res = await http(node, 'POST', '/v2.1/servers', { body: { server: { name: 'too-big', flavorRef: 'huge' } } });
    expect(res.status).toBe(202);
    const show = await http(node, 'GET', `/v2.1/servers/${res.body.server.id}`);
    expect(show.body.server.status).toBe('ERROR');
    expect(show.body.server.fault.message).toMatch(/No valid host was found/);
    expect((await http(node, 'DELETE', `/v2.1/servers/${res.body.server.id}`)).status).toBe(204);
    expect((await http(node, 'GET', `/v2.1/servers/${res.body.server.id}`)).status).toBe(404);
  });
});
