// A conductor one release behind, for rolling-upgrade tests: a registry holding every object
// of @novakit/objects as a data-only copy, except BlockDeviceMappingList at 1.0 as release 1
// served it: getByInstanceUuid only (delegating to today's list, answered at 1.0). A caller
// of this release sends BlockDeviceMappingList 1.1 in its manifests.
import { BlockDeviceMappingList, objectRegistry, type RequestContext } from '@novakit/objects';
import { objectBase, ObjectRegistry, type VersionedObject } from '@novakit/versioned-objects';
import { copyClass, fieldsOf } from './newer-registry.js';

export function olderRegistry(): ObjectRegistry {
  const registry = new ObjectRegistry({ serialNamespace: 'nova_object', projectNamespace: 'nova' });
  const current = BlockDeviceMappingList.meta;
  for (const cls of objectRegistry.allClasses()) if (cls.meta.name !== current.name) registry.register(copyClass(cls, registry));

  class BlockDeviceMappingListV10 extends objectBase({
    registry,
    name: current.name,
    version: '1.0',
    history: { '1.0': current.history['1.0']! },
    fields: fieldsOf(current),
    relationships: { objects: [['1.0', '1.0']] },
  }) {
    static remotableClass = ['getByInstanceUuid'];

    static async getByInstanceUuid(ctx: RequestContext, uuid: string): Promise<VersionedObject> {
      const list = await BlockDeviceMappingList.getByInstanceUuid(ctx, uuid);
      return registry.fromPrimitive(list.obj_to_primitive({ targetVersion: '1.0' }), ctx);
    }
  }
  registry.register(BlockDeviceMappingListV10);
  return registry;
}
