// A caller of this release beside a conductor of release 1 (BlockDeviceMappingList 1.0): the
// conductor refuses anything asked at BlockDeviceMappingList 1.1, and bdmsByInstanceUuid, the
// API's way to the mappings of many servers, falls back to one getByInstanceUuid per instance
// at 1.0 (with a conductor of this release it is one getByInstanceUuids call).
import { BlockDeviceMapping, BlockDeviceMappingList, Instance } from '@novakit/objects';
import { IncompatibleObjectVersion } from '@novakit/versioned-objects';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { conductorEnv, type ConductorEnv, uuid } from './harness.js';
import { olderRegistry } from './older-registry.js';

describe.each([
  ['release 1', true],
  ['this release', false],
] as const)('BlockDeviceMappingList.bdmsByInstanceUuid with a conductor of %s', (_, older) => {
  let env: ConductorEnv;
  const sent: string[] = [];
  beforeAll(async () => {
    env = await conductorEnv(older ? { registry: olderRegistry() } : {});
    const send = env.client.object_class_action_versions.bind(env.client);
    vi.spyOn(env.client, 'object_class_action_versions').mockImplementation((ctx, objname, objmethod, versions, args, kwargs) => {
      sent.push(`${objname}.${objmethod}@${versions[objname]}`);
      return send(ctx, objname, objmethod, versions, args, kwargs);
    });
  });
  afterAll(async () => env?.close());

  async function instanceWith(volumes: string[]): Promise<string> {
    const inst = new Instance({ uuid: uuid(), project_id: 'project-1', host: 'host-a', vm_state: 'active', task_state: null } as never, env.admin);
    await inst.create();
    for (const volume_id of volumes) {
      await new BlockDeviceMapping({ instance_uuid: inst.uuid, source_type: 'volume', destination_type: 'volume', volume_id } as never, env.admin).create();
    }
    return inst.uuid;
  }

  it('answers each instance’s mappings, asking once or once per instance', async () => {
    const [a, b, none] = [await instanceWith(['vol-a1', 'vol-a2']), await instanceWith(['vol-b1']), await instanceWith([])];
    sent.length = 0;
    const byUuid = await BlockDeviceMappingList.bdmsByInstanceUuid(env.ctx, [a, b, none]);
    expect([...byUuid].map(([u, list]) => [u, list.map((m) => m.volume_id)])).toEqual([
      [a, ['vol-a1', 'vol-a2']],
      [b, ['vol-b1']],
      [none, []],
    ]);
    expect(byUuid.get(a)!.objects[0]!.obj_context).toBe(env.ctx);
    const v = BlockDeviceMappingList.meta.version;
    expect(sent).toEqual(
      older
        ? [`BlockDeviceMappingList.getByInstanceUuids@${v}`, ...[a, b, none].map(() => 'BlockDeviceMappingList.getByInstanceUuid@1.0')]
        : [`BlockDeviceMappingList.getByInstanceUuids@${v}`],
    );
  });

  // Only for the older conductor (a skipped test would read like a missing service).
  if (older) it('refuses getByInstanceUuids with IncompatibleObjectVersion naming the list and the version it serves', async () => {
    const err = await BlockDeviceMappingList.getByInstanceUuids(env.ctx, [uuid()]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IncompatibleObjectVersion);
    expect((err as IncompatibleObjectVersion).kwargs).toMatchObject({ objname: 'BlockDeviceMappingList', supported: '1.0' });
  });
});
