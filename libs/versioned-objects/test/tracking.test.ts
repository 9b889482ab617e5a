import { describe, expect, it } from 'vitest';
import { FieldNotLoadedError, ObjectActionError, ObjectDefinitionError, f, objectBase, ObjectRegistry } from '../src/index.js';
import { makeWidget, registry, Tag, TagList, Widget } from './widgets.js';

describe('change tracking', () => {
  it('every constructor value and every assignment is a change, even an equal one', () => {
    const w = makeWidget();
    expect([...w.obj_what_changed()].sort()).toEqual(['child', 'created_at', 'id', 'labels', 'meta', 'name', 'tags', 'uuid']);
    w.obj_reset_changes(null, true);
    expect(w.obj_what_changed().size).toBe(0);
    w.name = 'w1';
    expect([...w.obj_what_changed()]).toEqual(['name']);
  });

  it('catches in-place edits of dicts and lists (which oslo misses)', () => {
    const w = makeWidget();
    w.obj_reset_changes(null, true);
    w.meta.k2 = 'v2';
    expect([...w.obj_what_changed()]).toEqual(['meta']);
    w.obj_reset_changes();
    w.labels.push('c');
    expect([...w.obj_what_changed()]).toEqual(['labels']);
    w.obj_reset_changes();
    expect(w.obj_has_changes()).toBe(false);
    // The same entries in another order are not a change; a changed value or a removed key is.
    w.meta = { k2: 'v2', k: 'v' };
    w.obj_reset_changes();
    const m = w.meta;
    delete m.k2;
    m.k2 = 'v2';
    expect(w.obj_has_changes()).toBe(false);
    m.k = 'other';
    expect([...w.obj_what_changed()]).toEqual(['meta']);
    w.obj_reset_changes();
    delete m.k;
    expect([...w.obj_what_changed()]).toEqual(['meta']);
  });

  it('catches in-place edits of containers of an object read from the wire', () => {
    const clean = makeWidget();
    clean.obj_reset_changes(null, true);
    const wire = JSON.parse(JSON.stringify(clean.obj_to_primitive()));
    const a = registry.fromPrimitive(wire) as Widget;
    expect(a.obj_has_changes()).toBe(false);
    a.meta.k = 'edited';
    expect([...a.obj_what_changed()]).toEqual(['meta']);
    const b = registry.fromPrimitive(wire) as Widget;
    (b.obj_get('labels') as string[]).push('x');
    expect([...b.obj_what_changed()]).toEqual(['labels']);
    const c = (registry.fromPrimitive(wire) as Widget).obj_clone();
    c.tags.pop();
    expect([...c.obj_what_changed()]).toEqual(['tags']);
    const d = registry.fromPrimitive(wire) as Widget;
    expect(d.obj_to_primitive()).toEqual(wire);
    d.obj_reset_changes();
    d.meta.k = 'later';
    expect([...d.obj_what_changed()]).toEqual(['meta']);
  });

  it('catches edits inside list-of-object elements and list membership (which oslo misses)', () => {
    const w = makeWidget();
    w.obj_reset_changes(null, true);
    w.tags[1]!.color = 'black';
    expect([...w.obj_what_changed()]).toEqual(['tags']);
    w.obj_reset_changes(null, true);
    expect(w.tags[1]!.obj_what_changed().size).toBe(0);
    w.tags.pop();
    expect([...w.obj_what_changed()]).toEqual(['tags']);
    const list = new TagList({ objects: [new Tag({ name: 'a' })] });
    list.obj_reset_changes(null, true);
    list.at(0)!.name = 'b';
    expect([...list.obj_what_changed()]).toEqual(['objects']);
  });

  it('reset without recursion leaves children dirty; with fields, only those', () => {
    const w = makeWidget();
    w.obj_reset_changes(['name', 'id']);
    expect(w.obj_what_changed().has('name')).toBe(false);
    expect(w.obj_what_changed().has('uuid')).toBe(true);
    w.obj_reset_changes();
    expect([...w.obj_what_changed()].sort()).toEqual(['child', 'tags']);
  });

  it('obj_get_changes gives live values', () => {
    const w = makeWidget();
    w.obj_reset_changes(null, true);
    w.name = 'x';
    expect(w.obj_get_changes()).toEqual({ name: 'x' });
  });
});

describe('attributes', () => {
  it('reading an unset field fails with a typed error; lazy fields say how to load them', () => {
    const w = new Widget({ id: 1 });
    expect(() => w.name).toThrow(FieldNotLoadedError);
    expect(w.obj_attr_is_set('name')).toBe(false);
    expect(w.obj_attr_is_set('id')).toBe(true);
    expect(() => w.obj_attr_is_set('nope')).toThrow("Widget object has no attribute 'nope'");
    w.obj_unset('id');
    expect(w.obj_attr_is_set('id')).toBe(false);
  });

  it('obj_fields lists fields and extra fields', () => {
    expect(makeWidget().obj_fields).toEqual(['id', 'uuid', 'name', 'created_at', 'labels', 'meta', 'child', 'tags']);
  });

  it('obj_clone is deep and keeps the dirty set; obj_equals compares values', () => {
    const w = makeWidget();
    const c = w.obj_clone();
    expect(c).not.toBe(w);
    expect(c.obj_equals(w)).toBe(true);
    expect([...c.obj_what_changed()].sort()).toEqual([...w.obj_what_changed()].sort());
    c.meta.k = 'changed';
    c.child!.name = 'other';
    expect(w.meta.k).toBe('v');
    expect(w.child!.name).toBe('t0');
    expect(c.obj_equals(w)).toBe(false);
  });

  it('object lists behave like sequences', () => {
    const list = new TagList({ objects: [new Tag({ name: 'b' }), new Tag({ name: 'a' }), new Tag({ name: 'c' })] });
    expect(list.length).toBe(3);
    expect([...list].map((t) => t.name)).toEqual(['b', 'a', 'c']);
    expect(list.sort((x, y) => x.name.localeCompare(y.name)).map((t) => t.name)).toEqual(['a', 'b', 'c']);
    list.obj_reset_changes(null, true);
    list.objects.push(new Tag({ name: 'd' }));
    expect(list.obj_has_changes()).toBe(true);
    const part = list.obj_slice(1, 3);
    expect(part).toBeInstanceOf(TagList);
    expect(part.map((t) => t.name)).toEqual(['b', 'c']);
    expect(part.obj_has_changes()).toBe(false);
    const empty = new TagList();
    expect(empty.length).toBe(0);
    expect(empty.obj_what_changed().size).toBe(0);
  });

  it('obj_load_attr refuses fields that are not lazy and objects without a context', async () => {
    await expect(makeWidget().obj_load_attr('name')).rejects.toThrow(ObjectActionError);
  });
});

describe('definitions are checked', () => {
  const reg = new ObjectRegistry({ serialNamespace: 'x', projectNamespace: 'x' });
  const def = (over: Record<string, unknown>) => () =>
    objectBase({ registry: reg, name: 'Thing', version: '1.1', history: { '1.0': 'a', '1.1': 'b' }, fields: { a: f.string() }, ...over } as any);

  it('history must cover the version and every since()', () => {
    expect(def({ history: { '1.0': 'a' } })).toThrow(ObjectDefinitionError);
    expect(def({ fields: { a: f.string().since('1.5') } })).toThrow(/since 1.5/);
    expect(def({ version: '1.x' })).toThrow(/not X.Y/);
  });

  it('field names cannot use the obj_ prefix; members cannot shadow fields', () => {
    expect(def({ fields: { obj_name: f.string() } })).toThrow(/reserved/);
    class Bad extends objectBase({ registry: reg, name: 'Bad', version: '1.0', history: { '1.0': 'a' }, fields: { save: f.string() } }) {
      // @ts-expect-error shadows the field
      save() {}
    }
    expect(() => reg.register(Bad)).toThrow(/collides/);
  });
});
