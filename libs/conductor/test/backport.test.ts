// Backport on the way out: the conductor knows Instance 1.1 (newer-registry.ts), the compute
// knows Instance 1.0 (@novakit/objects). Whatever the compute gets back is an Instance 1.0,
// with the 1.1 field gone: class method results, object_action updates, and objects another
// process sent that the compute could not read (object_backport_versions).
import { CONDUCTOR_API, conductorErrorRegistry } from '@novakit/conductor-api';
import { Instance, NovaObjectSerializer, objectRegistry, RequestContext } from '@novakit/objects';
import { createRequestContext, RpcClient } from '@novakit/rpc';
import { type ObjectRegistry } from '@novakit/versioned-objects';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conductorEnv, type ConductorEnv, uuid } from './harness.js';
import { newerRegistry } from './newer-registry.js';

let env: ConductorEnv;
let newer: ObjectRegistry;
let raw: RpcClient;

beforeAll(async () => {
  newer = newerRegistry();
  env = await conductorEnv({ registry: newer });
  raw = new RpcClient(env.transport, { topic: 'conductor', version: CONDUCTOR_API.latest }, { errors: conductorErrorRegistry(), timeoutMs: 10_000 });
});
afterAll(async () => env?.close());

async function stored(): Promise<Instance> {
  const inst = new Instance({ uuid: uuid(), host: 'host-a', vm_state: 'active', task_state: null, progress: 0 } as never, env.admin);
  await inst.create();
  return inst;
}

const getByUuid = (uuid: string, manifest: Record<string, string>) =>
  raw.call<Record<string, unknown>>(createRequestContext(), 'object_class_action_versions', { objname: 'Instance', objmethod: 'getByUuid', object_versions: manifest, args: [uuid], kwargs: {} });

describe('a caller one Instance version behind', () => {
  it('gets class-method results as Instance 1.0, without the newer field (on the wire)', async () => {
    const inst = await stored();
    const old = await getByUuid(inst.uuid, objectRegistry.treeVersions('Instance'));
    expect(old['nova_object.version']).toBe('1.0');
    expect(old['nova_object.data']).not.toHaveProperty('test_tag');
    expect((old['nova_object.data'] as Record<string, unknown>).uuid).toBe(inst.uuid);
    const current = await getByUuid(inst.uuid, newer.treeVersions('Instance'));
    expect(current['nova_object.version']).toBe('1.1');
    expect((current['nova_object.data'] as Record<string, unknown>).test_tag).toBe('from 1.1');
  });

  it('reads them into its own Instance class through the indirection API', async () => {
    const inst = await stored();
    const got = await Instance.getByUuid(env.ctx, inst.uuid);
    expect(got).toBeInstanceOf(Instance);
    expect(got.obj_version).toBe('1.0');
    expect(got.host).toBe('host-a');
  });

  it('gets object_action updates levelled: its save lands, updated_at comes back, the 1.1 field does not', async () => {
    const inst = await Instance.getByUuid(env.ctx, (await stored()).uuid);
    inst.progress = 7;
    await inst.save();
    expect(inst.updated_at).toBeInstanceOf(Date);
    expect(inst.obj_has_changes()).toBe(false);
    expect((await Instance.getByUuid(env.admin, inst.uuid)).progress).toBe(7);

    const save = async (version: string) => {
      const prim = inst.obj_to_primitive();
      prim['nova_object.version'] = version;
      (prim['nova_object.data'] as Record<string, unknown>).progress = 8;
      prim['nova_object.changes'] = ['progress'];
      const ctx = createRequestContext();
      return (await raw.call<[Record<string, unknown>, unknown]>(ctx, 'object_action', { objinst: prim, objmethod: 'save', args: [], kwargs: {} }))[0];
    };
    const forOld = await save('1.0');
    expect(forOld).not.toHaveProperty('test_tag');
    expect(forOld.obj_what_changed).toEqual([]);
    expect((await Instance.getByUuid(env.admin, inst.uuid)).progress).toBe(8);
    expect((await save('1.1')).test_tag).toBe('saved by 1.1');
  });

  it('object_backport_versions levels a newer primitive to the caller’s manifest', async () => {
    const inst = await stored();
    const newerPrim = await getByUuid(inst.uuid, newer.treeVersions('Instance'));
    const back = await raw.call<Record<string, unknown>>(createRequestContext(), 'object_backport_versions', {
      objinst: newerPrim,
      object_versions: objectRegistry.treeVersions('Instance'),
    });
    expect(back['nova_object.version']).toBe('1.0');
    expect(back['nova_object.data']).not.toHaveProperty('test_tag');
  });

  it('a compute that receives an Instance 1.1 has it backported by the conductor when deserializing', async () => {
    const inst = await stored();
    const newerPrim = await getByUuid(inst.uuid, newer.treeVersions('Instance'));
    const serializer = new NovaObjectSerializer();
    const ctx = RequestContext.withIndirection(RequestContext.create(), env.client);
    const got = (await serializer.deserializeEntity(ctx, newerPrim)) as Instance;
    expect(got).toBeInstanceOf(Instance);
    expect(got.obj_version).toBe('1.0');
    expect(got.uuid).toBe(inst.uuid);
  });
});
