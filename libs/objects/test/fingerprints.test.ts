// The tripwire of every object (Nova's test_objects.py): a schema change without a version
// bump fails here. After a deliberate bump, regenerate with NOVAKIT_UPDATE_FINGERPRINTS=1.
import { assertFingerprintsLocked, compatibilityReport, roundTrip } from '@novakit/versioned-objects/testing';
import { describe, expect, it } from 'vitest';
import { OBJECT_CLASSES, objectRegistry } from '../src/index.js';

describe('object versions', () => {
  it('every object’s fingerprint is locked in fingerprints.lock.json', () => {
    assertFingerprintsLocked(objectRegistry, new URL('./fingerprints.lock.json', import.meta.url));
  });

  it('every object class is registered, once, in the nova namespace', () => {
    expect(objectRegistry.names()).toHaveLength(OBJECT_CLASSES.length);
    expect(objectRegistry.keys.name).toBe('nova_object.name');
    expect(objectRegistry.projectNamespace).toBe('nova');
  });

  it('every object backports to every older version its history declares', () => {
    expect(compatibilityReport(objectRegistry).filter((c) => !c.ok)).toEqual([]);
  });

  it('every object, with every field set, survives the wire unchanged', () => {
    for (const name of objectRegistry.names()) {
      const sample = objectRegistry.sampleObject(name);
      const back = roundTrip(sample);
      expect(back.obj_equals(sample), name).toBe(true);
      expect([...back.obj_what_changed()].sort(), name).toEqual([...sample.obj_what_changed()].sort());
    }
  });

  it('every list’s child versions cover every version of its element', () => {
    for (const cls of OBJECT_CLASSES) {
      const objects = cls.meta.byName.get('objects');
      if (!objects || cls.meta.fields.length !== 1) continue;
      const child = objectRegistry.newest(objects.field.type.childObjectName!()).meta;
      const mapped = new Set(cls.meta.relationships.objects?.map(([, c]) => c));
      for (const version of Object.keys(child.history)) expect(mapped.has(version), `${cls.meta.name} → ${child.name} ${version}`).toBe(true);
    }
  });
});
