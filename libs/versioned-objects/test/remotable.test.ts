import { describe, expect, it } from 'vitest';
import {
  IncompatibleObjectVersion,
  NotRemotableError,
  ObjectDispatcher,
  ObjectSerializer,
  OrphanedObjectError,
  f,
  objectBase,
  ObjectRegistry,
  type ObjectContext,
} from '../src/index.js';
import { FakeIndirectionApi } from '../src/testing.js';
import { makeWidget, registry, Widget, type TestContext } from './widgets.js';

function contexts() {
  const store = new Map<string, Record<string, unknown>>();
  const log: string[] = [];
  const server: TestContext = { store, log };
  const fake = new FakeIndirectionApi(registry, () => ({ store, log }) as TestContext);
  const client: TestContext = { store: new Map(), log: [], indirection: fake };
  return { server, client, fake, store, log };
}

describe('remotable methods', () => {
  it('run locally when the context has no indirection API', async () => {
    const { server, store } = contexts();
    const w = makeWidget(server);
    await w.save();
    expect(store.get(w.uuid)).toMatchObject({ id: 42, name: 'w1', saves: 1 });
    expect(w.meta.saved).toBe('1');
    expect(w.obj_has_changes()).toBe(false);
  });

  it('go through the indirection API and apply the conductor’s changes to the caller', async () => {
    const { client, fake, store } = contexts();
    const w = makeWidget(client);
    w.obj_reset_changes(null, true);
    w.name = 'renamed';
    await w.save();
    expect(fake.calls.map((c) => `${c.method} ${c.objname}.${c.objmethod}`)).toEqual(['object_action Widget.save']);
    expect(JSON.parse(fake.calls[0]!.wire).objinst['versioned_object.changes']).toEqual(['name']);
    expect(store.get(w.uuid)).toMatchObject({ name: 'renamed', saves: 1 });
    expect(client.store.size).toBe(0);
    expect(w.meta).toEqual({ k: 'v', saved: '1' });
    expect(w.obj_has_changes()).toBe(false);
  });

  it('send back children the conductor left clean, even when their values did not change', async () => {
    const { client } = contexts();
    const w = makeWidget(client);
    expect(w.child!.obj_has_changes()).toBe(true);
    await w.save();
    expect(w.child!.obj_has_changes()).toBe(false);
    expect(w.tags.some((t) => t.obj_has_changes())).toBe(false);
    expect(w.obj_has_changes()).toBe(false);
  });

  it('return results and keep what the conductor left changed', async () => {
    const { client } = contexts();
    const w = makeWidget(client);
    w.obj_reset_changes(null, true);
    expect(await w.rename('n', '?')).toBe('n?');
    expect(w.name).toBe('n?');
    expect([...w.obj_what_changed()]).toEqual(['name']);
  });

  it('class methods go remote with the caller’s version manifest', async () => {
    const { client, fake, store } = contexts();
    store.set('0f4c6a10-6f5e-4a55-9a0e-6b4b1e0d7c11', { id: 7, name: 'stored' });
    const w = await Widget.getByUuid(client, '0f4c6a10-6f5e-4a55-9a0e-6b4b1e0d7c11');
    expect(w).toBeInstanceOf(Widget);
    expect(w.name).toBe('stored');
    expect(w.obj_context).toBe(client);
    expect(JSON.parse(fake.calls[0]!.wire).objectVersions).toEqual({ Widget: '1.2', Tag: '1.1' });
  });

  it('the server side is built from the caller’s context, as a conductor acts for the caller', async () => {
    const store = new Map<string, Record<string, unknown>>();
    const seen: string[] = [];
    const fake = new FakeIndirectionApi(registry, (caller) => {
      seen.push((caller as TestContext & { user?: string }).user ?? '?');
      return { store, log: [] } as TestContext;
    });
    const client = { store: new Map(), log: [], indirection: fake, user: 'alice' } as TestContext;
    const w = makeWidget(client);
    await w.rename('x');
    await Widget.getByUuid(client, w.uuid).catch(() => undefined);
    expect(seen).toEqual(['alice', 'alice']);
  });

  it('a method that returns nothing answers null, as over the wire', async () => {
    const reg = new ObjectRegistry({ serialNamespace: 'nova_object', projectNamespace: 'nova' });
    class Quiet extends objectBase({ registry: reg, name: 'Quiet', version: '1.0', history: { '1.0': 'a' }, fields: { id: f.integer() } }) {
      static remotableClass = ['forget'];
      static async forget(_ctx: ObjectContext): Promise<void> {}
    }
    reg.register(Quiet);
    const fake = new FakeIndirectionApi(reg, () => ({}));
    await expect(Quiet.forget({ indirection: fake })).resolves.toBeNull();
  });

  it('an object without context cannot call remotable methods', async () => {
    await expect(makeWidget().save()).rejects.toThrow(OrphanedObjectError);
    await expect(makeWidget().save()).rejects.toThrow('Cannot call save on orphaned Widget object');
  });
});

describe('the dispatcher (conductor side)', () => {
  const dispatcher = new ObjectDispatcher(registry);
  const ctx: TestContext = { store: new Map(), log: [] };

  it('dispatches only declared remotable methods', async () => {
    const w = makeWidget(ctx);
    await expect(dispatcher.objectAction(ctx, w, 'obj_reset_changes', [], {})).rejects.toThrow(NotRemotableError);
    await expect(dispatcher.objectAction(ctx, w, 'toString', [], {})).rejects.toThrow(NotRemotableError);
    await expect(dispatcher.objectClassActionVersions(ctx, 'Widget', 'fromPrimitive', {}, [], {})).rejects.toThrow(NotRemotableError);
  });

  it('returns updates as primitives plus obj_what_changed', async () => {
    const w = makeWidget(ctx);
    w.obj_reset_changes(null, true);
    const [updates, result] = await dispatcher.objectAction(ctx, w, 'rename', ['x'], {});
    expect(result).toBe('x!');
    expect(updates).toEqual({ name: 'x!', obj_what_changed: ['name'] });
  });

  it('levels a class-method result down to the caller’s manifest', async () => {
    ctx.store.set('0f4c6a10-6f5e-4a55-9a0e-6b4b1e0d7c11', { id: 1, name: 'a' });
    const prim = (await dispatcher.objectClassActionVersions(ctx, 'Widget', 'getByUuid', { Widget: '1.1', Tag: '1.1' }, ['0f4c6a10-6f5e-4a55-9a0e-6b4b1e0d7c11'], {})) as Record<string, unknown>;
    expect(prim['versioned_object.version']).toBe('1.1');
  });
});

describe('the serializer and the rolling-upgrade backport', () => {
  // An "old" process knows Gizmo 1.0; the "new" one (the conductor) knows 1.1.
  const make = (version: '1.0' | '1.1') => {
    const reg = new ObjectRegistry({ serialNamespace: 'nova_object', projectNamespace: 'nova' });
    const fields: Record<string, ReturnType<typeof f.integer | typeof f.string>> = version === '1.0' ? { id: f.integer() } : { id: f.integer(), colour: f.string().since('1.1') };
    class Gizmo extends objectBase({ registry: reg, name: 'Gizmo', version, history: version === '1.0' ? { '1.0': 'a' } : { '1.0': 'a', '1.1': 'colour' }, fields }) {}
    reg.register(Gizmo);
    return { reg, Gizmo };
  };
  const codec = { serialize: () => ({}), deserialize: (): ObjectContext => ({}) };

  it('serializes nested containers; sets become arrays', () => {
    const s = new ObjectSerializer(registry, codec);
    const out = s.serializeEntity({}, { a: [makeWidget()], b: new Set([1, 2]) }) as any;
    expect(out.a[0]['versioned_object.name']).toBe('Widget');
    expect(out.b).toEqual([1, 2]);
  });

  it('asks the conductor to backport an object newer than this process knows', async () => {
    const oldSide = make('1.0');
    const newSide = make('1.1');
    const conductor = new FakeIndirectionApi(newSide.reg, () => ({}), oldSide.reg);
    const serializer = new ObjectSerializer(oldSide.reg, codec);
    const fromNewer = new newSide.Gizmo({ id: 1, colour: 'red' }).obj_to_primitive();
    await expect(new ObjectSerializer(oldSide.reg, codec).deserializeEntity({}, fromNewer)).rejects.toThrow(IncompatibleObjectVersion);
    const got = (await serializer.deserializeEntity({ indirection: conductor }, { nested: [fromNewer] })) as any;
    expect(got.nested[0]).toBeInstanceOf(oldSide.Gizmo);
    expect(got.nested[0].obj_version).toBe('1.0');
    expect(got.nested[0].id).toBe(1);
    expect(conductor.calls.map((c) => c.method)).toEqual(['object_backport_versions']);
  });

  it('strips a patch version and retries', async () => {
    const oldSide = make('1.0');
    const prim = new oldSide.Gizmo({ id: 3 }).obj_to_primitive();
    prim['nova_object.version'] = '1.0.2';
    const got = (await new ObjectSerializer(oldSide.reg, codec).deserializeEntity({}, prim)) as any;
    expect(got.id).toBe(3);
  });
});
