import type { DbApi } from '@novakit/db';
import type { Serializer } from '@novakit/rpc';
import type { IndirectionApi } from '@novakit/versioned-objects';
import { describe, expect, it } from 'vitest';
import {
  createRequestContextCodec,
  Instance,
  InstanceInfoCache,
  NovaObjectSerializer,
  RequestContext,
  requestContextCodec,
  SAMPLE_NETWORK_INFO,
  type ObjectsDbApi,
} from '../src/index.js';

const fakeDb = {} as ObjectsDbApi;
const fakeIndirection = {} as IndirectionApi;

describe('RequestContext', () => {
  it('generates a request id and fills defaults', () => {
    const ctx = RequestContext.create({ user_id: 'u', project_id: 'p' });
    expect(ctx.request_id).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(ctx).toMatchObject({ user_id: 'u', project_id: 'p', roles: [], is_admin: false, read_deleted: 'no' });
    expect(ctx.timestamp).toBeInstanceOf(Date);
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(RequestContext.create({ request_id: 'req-given' }).request_id).toBe('req-given');
  });

  it('has admin and elevated forms', () => {
    const admin = RequestContext.admin();
    expect(admin).toMatchObject({ is_admin: true, roles: ['admin'], user_id: null });
    const user = RequestContext.create({ user_id: 'u', roles: ['member'] });
    const elevated = RequestContext.elevated(user, 'yes');
    expect(elevated).toMatchObject({ request_id: user.request_id, user_id: 'u', is_admin: true, roles: ['member', 'admin'], read_deleted: 'yes' });
    expect(user.is_admin).toBe(false);
  });

  it('carries either a DB API (local) or an indirection API (remote), never both', () => {
    const local = RequestContext.withDb(RequestContext.create({ indirection: fakeIndirection }), fakeDb);
    expect(local.db).toBe(fakeDb);
    expect('indirection' in local).toBe(false);
    const remote = RequestContext.withIndirection(local, fakeIndirection);
    expect(remote.indirection).toBe(fakeIndirection);
    expect('db' in remote).toBe(false);
  });
});

describe('the context codec (oslo’s flat context dict)', () => {
  it('writes oslo’s keys, never the DB handle or the indirection API', () => {
    const ctx = RequestContext.create({ request_id: 'req-1', user_id: 'u', project_id: 'p', roles: ['member'], read_deleted: 'yes', db: fakeDb, extra: { user_identity: 'u p - - -' } });
    const dict = requestContextCodec.serialize(ctx);
    expect(dict).toEqual({
      request_id: 'req-1',
      user_id: 'u',
      user: 'u',
      project_id: 'p',
      project: 'p',
      roles: ['member'],
      is_admin: false,
      read_deleted: 'yes',
      timestamp: ctx.timestamp.toISOString(),
      user_identity: 'u p - - -',
    });
    expect(JSON.parse(JSON.stringify(dict))).toEqual(dict);
  });

  it('reads its own output back, and an oslo.context dict from a Python peer', () => {
    const ctx = RequestContext.create({ user_id: 'u', project_id: 'p', roles: ['a'], is_admin: true, extra: { x: 1 } });
    const back = requestContextCodec.deserialize(JSON.parse(JSON.stringify(requestContextCodec.serialize(ctx))));
    expect(back).toMatchObject({ request_id: ctx.request_id, user_id: 'u', project_id: 'p', roles: ['a'], is_admin: true, read_deleted: 'no', extra: { x: 1 } });
    expect(back.timestamp.getTime()).toBe(ctx.timestamp.getTime());

    const fromPython = requestContextCodec.deserialize({
      user: 'u-123', project_id: 'p-456', project: 'p-456', is_admin: false, show_deleted: true, auth_token: null,
      request_id: 'req-0000-1111', roles: ['member', 7], user_identity: 'u-123 p-456 - - -', timestamp: '2014-10-16T12:00:00.000000',
    });
    expect(fromPython).toMatchObject({ request_id: 'req-0000-1111', user_id: 'u-123', project_id: 'p-456', roles: ['member'], read_deleted: 'yes' });
    expect(fromPython.timestamp.toISOString()).toBe('2014-10-16T12:00:00.000Z');
    expect(fromPython.extra).toMatchObject({ user_identity: 'u-123 p-456 - - -', show_deleted: true });
    expect(requestContextCodec.deserialize({ tenant: 't' })).toMatchObject({ project_id: 't', request_id: expect.stringMatching(/^req-/), read_deleted: 'no' });
  });

  it('attaches the receiving side’s DB API or indirection API', () => {
    expect(createRequestContextCodec({ db: fakeDb }).deserialize({}).db).toBe(fakeDb);
    expect(createRequestContextCodec({ indirection: fakeIndirection }).deserialize({}).indirection).toBe(fakeIndirection);
  });
});

describe('NovaObjectSerializer', () => {
  it('fits libs/rpc’s Serializer and round-trips objects inside arguments', async () => {
    const serializer: Serializer<RequestContext> = new NovaObjectSerializer({ db: fakeDb });
    const ctx = RequestContext.create({ user_id: 'u' });
    const inst = new Instance({ uuid: '3f0c2b8e-7d4a-4c1e-9b6f-2a5d8e1c0f47', host: 'h', info_cache: new InstanceInfoCache({ network_info: SAMPLE_NETWORK_INFO }) });
    const wire = JSON.parse(JSON.stringify(serializer.serializeEntity(ctx, { instance: inst, n: 1 })));
    expect(wire.instance['nova_object.name']).toBe('Instance');
    expect(wire.instance['nova_object.namespace']).toBe('nova');
    expect(typeof wire.instance['nova_object.data'].info_cache['nova_object.data'].network_info).toBe('string');
    const server = serializer.deserializeContext(JSON.parse(JSON.stringify(serializer.serializeContext(ctx))));
    expect(server.db).toBe(fakeDb);
    const got = (await serializer.deserializeEntity(server, wire)) as { instance: Instance; n: number };
    expect(got.instance).toBeInstanceOf(Instance);
    expect(got.instance.obj_context).toBe(server);
    expect(got.instance.info_cache!.network_info).toEqual(SAMPLE_NETWORK_INFO);
    expect([...got.instance.obj_what_changed()].sort()).toEqual(['host', 'info_cache', 'uuid']);
  });

  it('is what the conductor uses with libs/db’s API', () => {
    const withDb = (db: DbApi) => new NovaObjectSerializer({ db });
    expect(typeof withDb).toBe('function');
  });
});
