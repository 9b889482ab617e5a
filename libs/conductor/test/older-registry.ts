// A conductor one release behind, for rolling-upgrade tests: a registry holding every object
// of @novakit/objects as a data-only copy, except the classes the API asks for in bulk as
// release 1 served them: BlockDeviceMappingList 1.0 (getByInstanceUuid only),
// SecurityGroupRuleList 1.0 (getBySecurityGroupId, getByInstance) and BlockDeviceMapping 1.0
// (getByVolumeId). Their methods delegate to today's classes and answer at 1.0. A caller of
// this release sends the lists at their newer versions in its manifests.
import { BlockDeviceMapping, BlockDeviceMappingList, objectRegistry, SecurityGroupRuleList, type RequestContext } from '@novakit/objects';
import { objectBase, ObjectRegistry, type RegisteredClass, type VersionedObject } from '@novakit/versioned-objects';
import { copyClass, fieldsOf } from './newer-registry.js';

type ClassMethod = (ctx: RequestContext, ...args: never[]) => Promise<VersionedObject>;

/** `current` at 1.0 on `registry`, serving `methods` (today's, levelled to 1.0) and nothing else. */
function release1(registry: ObjectRegistry, current: RegisteredClass, methods: readonly string[]): RegisteredClass {
  const m = current.meta;
  const relationships = m.relationships.objects ? { objects: [['1.0', '1.0']] as [string, string][] } : m.relationships;
  const Base = objectBase({ registry, name: m.name, version: '1.0', history: { '1.0': m.history['1.0']! }, fields: fieldsOf(m), relationships });
  const Release1 = class extends Base {
    static remotableClass = [...methods];
  };
  for (const method of methods) {
    const today = (current as unknown as Record<string, ClassMethod>)[method]!;
    Object.defineProperty(Release1, method, {
      value: async (ctx: RequestContext, ...args: never[]) => registry.fromPrimitive((await today.call(current, ctx, ...args)).obj_to_primitive({ targetVersion: '1.0' }), ctx),
      configurable: true,
      writable: true,
    });
  }
  Object.defineProperty(Release1, 'name', { value: m.name });
  return Release1 as unknown as RegisteredClass;
}

export function olderRegistry(): ObjectRegistry {
  const registry = new ObjectRegistry({ serialNamespace: 'nova_object', projectNamespace: 'nova' });
  const served = new Map<RegisteredClass, readonly string[]>([
    [BlockDeviceMappingList as unknown as RegisteredClass, ['getByInstanceUuid']],
    [SecurityGroupRuleList as unknown as RegisteredClass, ['getBySecurityGroupId', 'getByInstance']],
    [BlockDeviceMapping as unknown as RegisteredClass, ['getByVolumeId']],
  ]);
  const byName = new Map([...served.keys()].map((cls) => [cls.meta.name, cls]));
  for (const cls of objectRegistry.allClasses()) {
    const current = byName.get(cls.meta.name);
    registry.register(current ? release1(registry, current, served.get(current)!) : copyClass(cls, registry));
  }
  return registry;
}
