import { describe, expect, it } from 'vitest';
import {
  FieldValueError,
  IncompatibleObjectVersion,
  InvalidTargetVersion,
  MalformedPrimitiveError,
  UnsupportedObjectError,
  f,
  objectBase,
  ObjectRegistry,
} from '../src/index.js';
import { makeWidget, registry, Tag, Widget } from './widgets.js';

const K = registry.keys;
const env = (data: Record<string, unknown>, version = '1.2', extra: Record<string, unknown> = {}) => ({
  [K.name]: 'Widget',
  [K.namespace]: 'versionedobjects',
  [K.version]: version,
  [K.data]: data,
  ...extra,
});

describe('obj_from_primitive', () => {
  it('accepts any older minor of the same major and remembers the wire version', () => {
    const w = registry.fromPrimitive(env({ id: 1, uuid: '0f4c6a10-6f5e-4a55-9a0e-6b4b1e0d7c11' }, '1.0')) as Widget;
    expect(w).toBeInstanceOf(Widget);
    expect(w.obj_version).toBe('1.0');
    expect(w.obj_to_primitive()[K.version]).toBe('1.0');
  });

  it('refuses a newer minor or another major with IncompatibleObjectVersion carrying the supported version', () => {
    for (const v of ['1.3', '2.0', '0.9']) {
      const e = (() => {
        try {
          registry.fromPrimitive(env({}, v));
        } catch (err) {
          return err;
        }
      })() as IncompatibleObjectVersion;
      expect(e).toBeInstanceOf(IncompatibleObjectVersion);
      expect(e.kwargs).toEqual({ objname: 'Widget', objver: v, supported: '1.2' });
    }
  });

  it('accepts a patch version of a known minor (1.1.4 loads into 1.2)', () => {
    expect(registry.fromPrimitive(env({}, '1.1.4')).obj_version).toBe('1.1.4');
  });

  it('refuses unknown names, foreign namespaces and malformed versions', () => {
    expect(() => registry.fromPrimitive({ ...env({}), [K.name]: 'Gadget' })).toThrow(UnsupportedObjectError);
    expect(() => registry.fromPrimitive({ ...env({}), [K.namespace]: 'nova' })).toThrow('Unsupported object type nova.Widget');
    for (const v of ['1.x.9', '99', '1.2.3.4', 12, null]) expect(() => registry.fromPrimitive(env({}, v as string))).toThrow(MalformedPrimitiveError);
  });

  it('names the field path of malformed data', () => {
    expect(() => registry.fromPrimitive(env({ id: 'x' }))).toThrow(FieldValueError);
    const e = (() => {
      try {
        registry.fromPrimitive(env({ child: { [K.name]: 'Tag', [K.namespace]: 'versionedobjects', [K.version]: '1.1', [K.data]: { name: null } } }));
      } catch (err) {
        return err as FieldValueError;
      }
    })()!;
    expect(e.kwargs.field).toBe('$.child.name');
    expect(e.message).toContain("Field `name' cannot be None");
    expect(() => registry.fromPrimitive('nope')).toThrow(MalformedPrimitiveError);
    expect(() => registry.fromPrimitive(env({}, '1.2', { [K.changes]: 'id' }))).toThrow(/changes must be a list/);
  });

  it('ignores unknown data keys and unknown changes, and never touches prototypes', () => {
    const raw = JSON.parse(
      JSON.stringify(env({ id: 5, bogus: 1 }, '1.2', { [K.changes]: ['id', 'bogus'] })).replace('"bogus":1', '"bogus":1,"__proto__":{"polluted":true}'),
    );
    const w = registry.fromPrimitive(raw) as Widget;
    expect(w.id).toBe(5);
    expect([...w.obj_what_changed()]).toEqual(['id']);
    expect(({} as any).polluted).toBeUndefined();
  });
});

describe('obj_to_primitive targets', () => {
  it('refuses a target newer than the object', () => {
    expect(() => makeWidget().obj_to_primitive({ targetVersion: '1.3' })).toThrow(InvalidTargetVersion);
    expect(() => makeWidget().obj_to_primitive({ targetVersion: 'x' })).toThrow(InvalidTargetVersion);
  });

  it('drops fields by since(), then runs the hand-written rule, then backports children', () => {
    const reg = new ObjectRegistry({ serialNamespace: 'o', projectNamespace: 'p' });
    class Child extends objectBase({ registry: reg, name: 'Child', version: '1.1', history: { '1.0': 'a', '1.1': 'b' }, fields: { x: f.integer(), y: f.integer().since('1.1') } }) {}
    class Parent extends objectBase({
      registry: reg,
      name: 'Parent',
      version: '1.3',
      history: { '1.0': 'initial', '1.1': 'size in MB instead of GB', '1.2': 'child', '1.3': 'Child 1.1' },
      fields: { size: f.integer(), child: f.object(Child).since('1.2') },
      relationships: { child: [['1.2', '1.0'], ['1.3', '1.1']] },
    }) {
      override obj_make_compatible(data: Record<string, unknown>, target: string): void {
        if (target === '1.0' && typeof data.size === 'number') data.size = Math.ceil(data.size / 1024);
      }
    }
    reg.registerAll([Child, Parent]);
    const p = new Parent({ size: 2048, child: new Child({ x: 1, y: 2 }) });
    const at = (v: string) => p.obj_to_primitive({ targetVersion: v })['o.data'] as Record<string, any>;
    expect(at('1.0')).toEqual({ size: 2 });
    expect(at('1.1')).toEqual({ size: 2048 });
    expect(at('1.2').child['o.version']).toBe('1.0');
    expect(at('1.2').child['o.data']).toEqual({ x: 1 });
    expect(at('1.3').child['o.data']).toEqual({ x: 1, y: 2 });
    // A manifest that does not name the child leaves it as it is, as oslo does.
    expect((p.obj_to_primitive({ targetVersion: '1.3', manifest: { Parent: '1.3' } })['o.data'] as any).child['o.version']).toBe('1.1');
  });

  it('tag objects keep their own changes after a backport (oslo quirk kept for interop)', () => {
    const t = new Tag({ name: 'a', color: 'b' });
    const prim = t.obj_to_primitive({ targetVersion: '1.0' });
    expect(prim[K.data]).toEqual({ name: 'a' });
    expect(prim[K.changes]).toEqual(['name']);
  });
});
