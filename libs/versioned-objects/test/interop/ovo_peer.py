#!/usr/bin/python3
"""The Python side of the interop test: the Tag/TagList/Widget family of
anchors/python/wire_dump.py, defined on the real oslo.versionedobjects.

  ovo_peer.py dump   -> JSON list of primitives produced by Python
  ovo_peer.py load   <- JSON list of primitives on stdin; for each, load it with
                        obj_from_primitive and answer what Python sees:
                        {class, version, primitive (re-serialized), changes}
"""
import datetime
import json
import sys

from oslo_utils import versionutils
from oslo_versionedobjects import base
from oslo_versionedobjects import fields


@base.VersionedObjectRegistry.register
class Tag(base.VersionedObject):
    VERSION = '1.1'
    fields = {'name': fields.StringField(), 'color': fields.StringField(nullable=True)}

    def obj_make_compatible(self, primitive, target_version):
        super(Tag, self).obj_make_compatible(primitive, target_version)
        if versionutils.convert_version_to_tuple(target_version) < (1, 1):
            primitive.pop('color', None)


@base.VersionedObjectRegistry.register
class TagList(base.ObjectListBase, base.VersionedObject):
    VERSION = '1.1'
    fields = {'objects': fields.ListOfObjectsField('Tag')}
    obj_relationships = {'objects': [('1.0', '1.0'), ('1.1', '1.1')]}


@base.VersionedObjectRegistry.register
class Widget(base.VersionedObject):
    VERSION = '1.2'
    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'name': fields.StringField(nullable=True),
        'created_at': fields.DateTimeField(nullable=True),
        'labels': fields.ListOfStringsField(default=[]),
        'meta': fields.DictOfStringsField(),
        'child': fields.ObjectField('Tag', nullable=True),
        'tags': fields.ListOfObjectsField('Tag'),
    }
    obj_relationships = {'child': [('1.0', '1.0'), ('1.1', '1.1')], 'tags': [('1.2', '1.1')]}

    def obj_make_compatible(self, primitive, target_version):
        super(Widget, self).obj_make_compatible(primitive, target_version)
        if versionutils.convert_version_to_tuple(target_version) < (1, 2):
            primitive.pop('tags', None)


def make_widget():
    return Widget(id=7, uuid='5c2b1c3e-8f6a-4d2b-9e1f-0a1b2c3d4e5f', name='from python',
                  created_at=datetime.datetime(2025, 1, 2, 3, 4, 5),
                  labels=['x', 'y'], meta={'k': 'v', 'n': '1'},
                  child=Tag(name='c', color='green'),
                  tags=[Tag(name='t1', color='blue'), Tag(name='t2')])


def sort_changes(prim):
    if isinstance(prim, dict):
        return {k: (sorted(v) if k.endswith('.changes') else sort_changes(v)) for k, v in prim.items()}
    if isinstance(prim, list):
        return [sort_changes(x) for x in prim]
    return prim


def dump():
    out = []
    fresh = make_widget()
    out.append({'case': 'fresh 1.2', 'primitive': fresh.obj_to_primitive()})
    clean = make_widget()
    clean.obj_reset_changes(recursive=True)
    clean.name = 'edited'
    clean.child.color = 'red'
    for target in ('1.2', '1.1', '1.0'):
        out.append({'case': 'edited ' + target, 'primitive': clean.obj_to_primitive(target_version=target)})
    out.append({'case': 'manifest Tag 1.0', 'primitive': clean.obj_to_primitive(
        target_version='1.2', version_manifest={'Widget': '1.2', 'Tag': '1.0'})})
    tl = TagList(objects=[Tag(name='a', color='c'), Tag(name='b')])
    out.append({'case': 'list 1.1', 'primitive': tl.obj_to_primitive()})
    out.append({'case': 'list 1.0', 'primitive': tl.obj_to_primitive(target_version='1.0')})
    print(json.dumps([dict(c, primitive=sort_changes(c['primitive'])) for c in out]))


def load():
    answers = []
    for prim in json.load(sys.stdin):
        try:
            obj = base.VersionedObject.obj_from_primitive(prim)
            answers.append({'class': type(obj).__name__, 'version': obj.VERSION,
                            'primitive': sort_changes(obj.obj_to_primitive()),
                            'changes': sorted(obj.obj_what_changed())})
        except Exception as e:  # the TS side asserts on the class name
            answers.append({'error': type(e).__name__, 'message': str(e)})
    print(json.dumps(answers))


if __name__ == '__main__':
    {'dump': dump, 'load': load}[sys.argv[1]]()
