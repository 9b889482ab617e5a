import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { f, fingerprint, fingerprintSource, objectBase, ObjectRegistry } from '../src/index.js';
import { assertFingerprintsLocked, checkFingerprints, compatibilityReport } from '../src/testing.js';
import { registry, Widget } from './widgets.js';

describe('fingerprints', () => {
  it('the test family is locked in a committed file', () => {
    assertFingerprintsLocked(registry, new URL('./fingerprints.lock.json', import.meta.url));
  });

  it('cover what oslo misses: child names and versions, element types, read-only, since, relationships', () => {
    const src = fingerprintSource(Widget);
    expect(src).toContain('child:Object(Tag),nullable=true');
    expect(src).toContain('labels:List(String,nullable=false),nullable=false,default=[]');
    expect(src).toContain('tags:List(Object(Tag)),nullable=false,since=1.2');
    expect(src).toContain('children=[Tag=1.1]');
    expect(src).toContain('relationships=[child:1.0>1.0,1.1>1.1;tags:1.2>1.1]');
    expect(src).toContain('remotable=[rename(newName,suffix="!");save()]');
    expect(src).toContain('remotable_class=[getByUuid(ctx,uuid)]');
  });

  const family = (opts: { readOnly?: boolean; childVersion?: string; extraMethod?: boolean }) => {
    const reg = new ObjectRegistry({ serialNamespace: 'o', projectNamespace: 'p' });
    const childVersion = opts.childVersion ?? '1.0';
    const history: Record<string, string> = { '1.0': 'a' };
    if (childVersion !== '1.0') history[childVersion] = 'b';
    class Kid extends objectBase({ registry: reg, name: 'Kid', version: childVersion, history, fields: { n: f.integer() } }) {}
    class Parent extends objectBase({
      registry: reg,
      name: 'Parent',
      version: '1.0',
      history: { '1.0': 'a' },
      fields: { id: opts.readOnly ? f.integer().readOnly() : f.integer(), kid: f.object(Kid) },
    }) {
      static remotable = opts.extraMethod ? ['save', 'refresh'] : ['save'];
      async save() {}
      async refresh() {}
    }
    reg.registerAll([Kid, Parent]);
    return { reg, Parent };
  };

  it('change when a field becomes read-only, a child is bumped, or a remotable method is added', () => {
    const base = fingerprint(family({}).Parent);
    expect(fingerprint(family({ readOnly: true }).Parent)).not.toBe(base);
    expect(fingerprint(family({ childVersion: '1.1' }).Parent)).not.toBe(base);
    expect(fingerprint(family({ extraMethod: true }).Parent)).not.toBe(base);
    expect(fingerprint(family({}).Parent)).toBe(base);
  });

  it('the lock check says which object changed and what to do', () => {
    const regenerating = process.env.NOVAKIT_UPDATE_FINGERPRINTS;
    delete process.env.NOVAKIT_UPDATE_FINGERPRINTS;
    try {
      checkLock();
    } finally {
      if (regenerating !== undefined) process.env.NOVAKIT_UPDATE_FINGERPRINTS = regenerating;
    }
  });

  function checkLock() {
    const dir = mkdtempSync(join(tmpdir(), 'fp-'));
    const lock = join(dir, 'lock.json');
    const { reg } = family({});
    writeFileSync(lock, JSON.stringify({ Parent: fingerprint(family({ readOnly: true }).Parent), Kid: '1.0-x', Gone: '1.0-y' }));
    const problems = checkFingerprints(reg, lock);
    expect(problems.map((p) => p.name).sort()).toEqual(['Gone', 'Kid', 'Parent']);
    const parent = problems.find((p) => p.name === 'Parent')!;
    expect(parent.message).toContain("without a version bump");
    expect(parent.message).toContain("Bump Parent's version");
    expect(parent.message).toContain('NOVAKIT_UPDATE_FINGERPRINTS=1');
    expect(() => assertFingerprintsLocked(reg, lock)).toThrow(/Object fingerprints changed/);
  }
});

describe('generated compatibility check', () => {
  it('backports every object to every older version it declares, with data', () => {
    const report = compatibilityReport(registry);
    expect(report.map((c) => `${c.name}@${c.target}`)).toEqual(['Tag@1.0', 'TagList@1.0', 'Widget@1.0', 'Widget@1.1']);
    expect(report.filter((c) => !c.ok)).toEqual([]);
  });

  it('reports a broken hand-written rule', () => {
    const reg = new ObjectRegistry({ serialNamespace: 'o', projectNamespace: 'p' });
    class Broken extends objectBase({ registry: reg, name: 'Broken', version: '1.1', history: { '1.0': 'a', '1.1': 'b' }, fields: { a: f.string() } }) {
      override obj_make_compatible(data: Record<string, unknown>): void {
        data.a = 42;
      }
    }
    reg.register(Broken);
    expect(compatibilityReport(reg)).toEqual([{ name: 'Broken', target: '1.0', ok: false, problem: 'field a changed value in the backport' }]);
  });
});
