// The file-backed volume stand-in and os-volume_attachments through HTTP: a volume is a sparse
// file; attaching it hands the compute `{driver_volume_type: 'file', data: {path}}`; in-use is
// read from the mappings; conflicts (in use, deleted server) are 409.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeServer, eventually, http, recordConductorCalls, startTestNode, TOKENS, type TestNode } from './harness.js';

describe('volumes and volume attachments', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode({ hosts: 1 });
  }, 60_000);
  afterAll(async () => node?.stop());

  const createVolume = async (size = 1, token?: string): Promise<string> => {
    const res = await http(node, 'POST', '/v2.1/os-volumes', { body: { volume: { size, display_name: `vol-${size}` } }, ...(token ? { token } : {}) });
    expect(res.status).toBe(200);
    return res.body.volume.id as string;
  };
  const volume = async (id: string) => (await http(node, 'GET', `/v2.1/os-volumes/${id}`)).body.volume;
  const path = (id: string) => join(node.dir, 'volumes', `volume-${id}.img`);

  it('creates a volume as a sparse file of the size asked for, lists, shows and deletes it', async () => {
    const id = await createVolume(2);
    const v = await volume(id);
    expect(v).toMatchObject({ id, status: 'available', size: 2, availabilityZone: 'nova', attachments: [{}], displayName: 'vol-2', volumeType: null, snapshotId: null, metadata: {} });
    const st = await stat(path(id));
    expect(st.size).toBe(2 * 1024 ** 3);
    expect(st.blocks * 512).toBeLessThan(1024 * 1024);
    expect((await http(node, 'GET', '/v2.1/os-volumes')).body.volumes.map((x: { id: string }) => x.id)).toContain(id);
    expect((await http(node, 'GET', '/v2.1/os-volumes/detail')).body.volumes.map((x: { id: string }) => x.id)).toContain(id);
    expect((await http(node, 'DELETE', `/v2.1/os-volumes/${id}`)).status).toBe(202);
    await expect(stat(path(id))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await http(node, 'GET', `/v2.1/os-volumes/${id}`)).status).toBe(404);
  });

  it('lists volumes with a number of conductor calls that does not grow with the volumes; each as its own page shows it', async () => {
    const first = await createVolume();
    const calls = recordConductorCalls();
    try {
      const few = await http(node, 'GET', '/v2.1/os-volumes');
      expect(few.body.volumes.map((v: { id: string }) => v.id)).toContain(first);
      const server = await activeServer(node, 'calls-volumes');
      const ids = [first, ...(await Promise.all([1, 2, 3].map(() => createVolume())))];
      expect((await http(node, 'POST', `/v2.1/servers/${server}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: ids[2] } } })).status).toBe(200);
      for (const path of ['/v2.1/os-volumes', '/v2.1/os-volumes/detail']) {
        const many = await http(node, 'GET', path);
        expect(many.body.volumes.length, path).toBe(few.body.volumes.length + 3);
        expect(calls.of(many), path).toEqual(calls.of(few));
        expect(calls.of(many).filter((c) => c.startsWith('BlockDeviceMapping')), path).toEqual(['BlockDeviceMappingList.getByVolumeIds']);
        for (const v of many.body.volumes as { id: string; attachments: unknown[] }[]) {
          expect(v, path).toEqual((await http(node, 'GET', `/v2.1/os-volumes/${v.id}`)).body.volume);
          if (ids.includes(v.id)) expect(v.attachments, v.id).toEqual(v.id === ids[2] ? [{ id: v.id, volumeId: v.id, serverId: server, device: '/dev/vdb' }] : [{}]);
        }
      }
    } finally {
      calls.restore();
    }
  });

  it('refuses bad sizes with 400 and unknown volumes with 404', async () => {
    const zero = await http(node, 'POST', '/v2.1/os-volumes', { body: { volume: { size: 0 } } });
    expect(zero.status).toBe(400);
    expect(zero.body.badRequest.field).toBe('volume.size');
    const huge = await http(node, 'POST', '/v2.1/os-volumes', { body: { volume: { size: 101 } } });
    expect(huge.status).toBe(400);
    expect((await http(node, 'DELETE', '/v2.1/os-volumes/6f1f6b2e-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('attaches a volume (200, device chosen), lists and shows the attachment, marks it in-use, then detaches (202)', async () => {
    const server = await activeServer(node);
    const vol = await createVolume();
    const res = await http(node, 'POST', `/v2.1/servers/${server}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: vol } } });
    expect(res.status).toBe(200);
    expect(res.body.volumeAttachment).toEqual({ id: vol, serverId: server, volumeId: vol, device: '/dev/vdb' });
    const list = await http(node, 'GET', `/v2.1/servers/${server}/os-volume_attachments`);
    expect(list.body.volumeAttachments).toEqual([res.body.volumeAttachment]);
    expect((await http(node, 'GET', `/v2.1/servers/${server}/os-volume_attachments/${vol}`)).body.volumeAttachment.device).toBe('/dev/vdb');
    const v = await volume(vol);
    expect(v.status).toBe('in-use');
    expect(v.attachments).toEqual([{ id: vol, volumeId: vol, serverId: server, device: '/dev/vdb' }]);
    const s = await eventually('attach done', () => http(node, 'GET', `/v2.1/servers/${server}`), (r) => r.body.server['os-extended-volumes:volumes_attached'].length === 1);
    expect(s.body.server['os-extended-volumes:volumes_attached']).toEqual([{ id: vol }]);
    // The compute got the file's connection info: the driver checks the file exists, and the event succeeded.
    const [attach] = (await http(node, 'GET', `/v2.1/servers/${server}/os-instance-actions`)).body.instanceActions;
    expect(attach.action).toBe('attach_volume');
    const events = await eventually(
      'attach event',
      async () => (await http(node, 'GET', `/v2.1/servers/${server}/os-instance-actions/${attach.request_id}`)).body.instanceAction.events,
      (e: { result: string | null }[]) => e.length === 1 && e[0]!.result !== null,
    );
    expect(events[0]).toMatchObject({ event: 'compute_attach_volume', result: 'Success', host: 'compute-1' });

    expect((await http(node, 'DELETE', `/v2.1/servers/${server}/os-volume_attachments/${vol}`)).status).toBe(202);
    await eventually('available again', () => volume(vol), (x) => x.status === 'available');
    expect((await http(node, 'GET', `/v2.1/servers/${server}/os-volume_attachments`)).body.volumeAttachments).toEqual([]);
  });

  it('attaches at the device asked for', async () => {
    const server = await activeServer(node);
    const vol = await createVolume();
    const res = await http(node, 'POST', `/v2.1/servers/${server}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: vol, device: '/dev/vdd' } } });
    expect(res.body.volumeAttachment.device).toBe('/dev/vdd');
  });

  it('refuses a second attach of an attached volume, and deleting it, with 409', async () => {
    const [a, b] = [await activeServer(node), await activeServer(node)];
    const vol = await createVolume();
    expect((await http(node, 'POST', `/v2.1/servers/${a}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: vol } } })).status).toBe(200);
    const again = await http(node, 'POST', `/v2.1/servers/${b}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: vol } } });
    expect(again.status).toBe(409);
    expect(again.body.conflictingRequest.message).toBe(`Volume ${vol} is in-use: cannot attach it.`);
    const del = await http(node, 'DELETE', `/v2.1/os-volumes/${vol}`);
    expect(del.status).toBe(409);
  });

  it('lets exactly one of two concurrent attaches of one volume win', async () => {
    const [a, b] = [await activeServer(node), await activeServer(node)];
    const vol = await createVolume();
    const results = await Promise.all([a, b].map((s) => http(node, 'POST', `/v2.1/servers/${s}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: vol } } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('refuses to attach to a deleted server with 409, and to an unknown one with 404', async () => {
    const server = await activeServer(node);
    const vol = await createVolume();
    await http(node, 'DELETE', `/v2.1/servers/${server}`);
    await eventually('deleted', () => http(node, 'GET', `/v2.1/servers/${server}`), (r) => r.status === 404);
    const res = await http(node, 'POST', `/v2.1/servers/${server}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: vol } } });
    expect(res.status).toBe(409);
    expect(res.body.conflictingRequest.message).toMatch(/vm_state deleted/);
    const unknown = await http(node, 'POST', '/v2.1/servers/6f1f6b2e-0000-4000-8000-000000000000/os-volume_attachments', { body: { volumeAttachment: { volumeId: vol } } });
    expect(unknown.status).toBe(404);
    expect((await volume(vol)).status).toBe('available');
  });

  it('frees a volume when its server is deleted', async () => {
    const server = await activeServer(node);
    const vol = await createVolume();
    await http(node, 'POST', `/v2.1/servers/${server}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: vol } } });
    await http(node, 'DELETE', `/v2.1/servers/${server}`);
    await eventually('available', () => volume(vol), (x) => x.status === 'available');
  });

  it('answers 404 to detach a volume that is not attached, and refuses malformed attach bodies with 400', async () => {
    const server = await activeServer(node);
    const vol = await createVolume();
    const res = await http(node, 'DELETE', `/v2.1/servers/${server}/os-volume_attachments/${vol}`);
    expect(res.status).toBe(404);
    expect(res.body.itemNotFound.message).toBe(`Volume ${vol} is not attached to server ${server}.`);
    const bad = await http(node, 'POST', `/v2.1/servers/${server}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: 'not-a-uuid' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.badRequest.field).toBe('volumeAttachment.volumeId');
    const dev = await http(node, 'POST', `/v2.1/servers/${server}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: vol, device: 'vdb' } } });
    expect(dev.body.badRequest.field).toBe('volumeAttachment.device');
  });

  it('scopes volumes to the project', async () => {
    const vol = await createVolume();
    expect((await http(node, 'GET', `/v2.1/os-volumes/${vol}`, { token: TOKENS.other })).status).toBe(404);
    expect((await http(node, 'GET', '/v2.1/os-volumes', { token: TOKENS.other })).body.volumes).toEqual([]);
    const theirs = await activeServer(node, 'theirs', {}, TOKENS.other);
    const cross = await http(node, 'POST', `/v2.1/servers/${theirs}/os-volume_attachments`, { token: TOKENS.other, body: { volumeAttachment: { volumeId: vol } } });
    expect(cross.status).toBe(404);
  });
});
