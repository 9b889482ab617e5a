// A conductor one release ahead, for backport tests: a registry holding every object of
// @novakit/objects as it is, except Instance at 1.1 with a test-only field `test_tag`
// (since 1.1). Its getByUuid and save delegate to the real Instance 1.0 and set test_tag, so
// a result or an update carries something an Instance 1.0 reader must not see.
import { Instance, objectRegistry, type RequestContext } from '@novakit/objects';
import { f, objectBase, ObjectRegistry, type ObjectMeta, type RegisteredClass, type VersionedObject } from '@novakit/versioned-objects';

export const fieldsOf = (meta: ObjectMeta) => Object.fromEntries(meta.fields.map((fm) => [fm.name, fm.field]));

/** A data-only copy of a class on another registry (children hydrate by name there). */
export function copyClass(cls: RegisteredClass, registry: ObjectRegistry): RegisteredClass {
  const m = cls.meta;
  const Base = objectBase({ registry, name: m.name, version: m.version, history: m.history, fields: fieldsOf(m), relationships: m.relationships });
  const Copy = class extends Base {};
  Object.defineProperty(Copy, 'name', { value: m.name });
  return Copy as unknown as RegisteredClass;
}

function copyInto(target: VersionedObject, source: VersionedObject): void {
  for (const fm of Instance.meta.fields) {
    if (!fm.isObject && !fm.isObjectList && source.obj_attr_is_set(fm.name)) target.obj_set(fm.name, source.obj_get(fm.name));
  }
}

export function newerRegistry(): ObjectRegistry {
  const registry = new ObjectRegistry({ serialNamespace: 'nova_object', projectNamespace: 'nova' });
  for (const cls of objectRegistry.allClasses()) if (cls.meta.name !== 'Instance') registry.register(copyClass(cls, registry));

  class InstanceV11 extends objectBase({
    registry,
    name: 'Instance',
    version: '1.1',
    history: { '1.0': Instance.meta.history['1.0']!, '1.1': 'test only: test_tag' },
    fields: { ...fieldsOf(Instance.meta), test_tag: f.string().nullable().since('1.1') },
  }) {
    static remotable = ['save'];
    static remotableClass = ['getByUuid'];

    static async getByUuid(ctx: RequestContext, uuid: string): Promise<InstanceV11> {
      const out = new InstanceV11(null, ctx);
      copyInto(out, await Instance.getByUuid(ctx, uuid, { expectedAttrs: [] }));
      out.test_tag = 'from 1.1';
      out.obj_reset_changes();
      return out;
    }

    async save(): Promise<void> {
      const ctx = this.obj_context as RequestContext;
      const inst = new Instance(null, ctx);
      copyInto(inst, this);
      inst.obj_reset_changes();
      for (const name of this.obj_what_changed()) if (name !== 'test_tag') inst.obj_set(name, this.obj_get(name));
      await inst.save();
      copyInto(this, inst);
      this.test_tag = 'saved by 1.1';
      this.obj_reset_changes();
    }
  }
  registry.register(InstanceV11);
  return registry;
}
