import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeWidget, registry, sortChanges, Tag, TagList, Widget } from './widgets.js';

// Dumps written by the real library (anchors/python/wire_dump.py), copied here so CI needs no checkout of shared/.
const anchor = (name: string) => JSON.parse(readFileSync(new URL(`./oslo-wire/${name}`, import.meta.url), 'utf8'));
const wire = (o: unknown) => sortChanges(JSON.parse(JSON.stringify(o)));

describe('primitives match oslo.versionedobjects 3.0.1 byte for byte (as JSON values)', () => {
  it('a freshly built object', () => {
    expect(wire(makeWidget().obj_to_primitive())).toEqual(anchor('ovo_fresh_1.2.json'));
  });

  it('after a recursive reset, a top-level edit and a nested edit', () => {
    const w = makeWidget();
    w.obj_reset_changes(null, true);
    w.name = 'renamed';
    w.child!.color = 'green';
    expect(wire(w.obj_to_primitive())).toEqual(anchor('ovo_after_reset_and_edit_1.2.json'));
    expect([...w.obj_what_changed()].sort()).toEqual(['child', 'name']);
    expect([...w.child!.obj_what_changed()]).toEqual(['color']);
    expect(Object.keys(w.obj_get_changes()).sort()).toEqual(['child', 'name']);
  });

  it('backport through relationships to 1.0 and 1.1', () => {
    const w = makeWidget();
    w.obj_reset_changes(null, true);
    expect(wire(w.obj_to_primitive({ targetVersion: '1.0' }))).toEqual(anchor('ovo_backport_1.0_relationships.json'));
    expect(wire(w.obj_to_primitive({ targetVersion: '1.1' }))).toEqual(anchor('ovo_backport_1.1_relationships.json'));
  });

  it('backport with a version manifest levels every Tag', () => {
    const w = makeWidget();
    w.obj_reset_changes(null, true);
    const got = w.obj_to_primitive({ targetVersion: '1.2', manifest: { Widget: '1.2', Tag: '1.0' } });
    expect(wire(got)).toEqual(anchor('ovo_manifest_Widget1.2_Tag1.0.json'));
  });

  it('object lists, and their backport (nested changes stay unfiltered, as in oslo)', () => {
    const tl = new TagList({ objects: [new Tag({ name: 'x', color: 'c' }), new Tag({ name: 'y' })] });
    expect(wire(tl.obj_to_primitive())).toEqual(anchor('ovo_taglist_1.1.json'));
    expect(wire(tl.obj_to_primitive({ targetVersion: '1.0' }))).toEqual(anchor('ovo_taglist_backport_1.0.json'));
  });

  it('obj_tree_get_versions', () => {
    expect(registry.treeVersions('Widget')).toEqual(anchor('obj_tree_get_versions_Widget.json'));
  });

  it('round trip keeps class, version, datetime (whole seconds) and the dirty set', () => {
    const back = registry.fromPrimitive(JSON.parse(JSON.stringify(makeWidget().obj_to_primitive()))) as Widget;
    const expected = anchor('roundtrip.json');
    expect(back).toBeInstanceOf(Widget);
    expect(back.obj_version).toBe(expected.VERSION);
    expect(back.created_at!.toISOString()).toBe('2024-05-06T07:08:09.000Z');
    expect([...back.obj_what_changed()].sort()).toEqual(expected.what_changed);
    expect(back.child).toBeInstanceOf(Tag);
  });
});
