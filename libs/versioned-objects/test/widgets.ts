// The object family of /work/shared/anchors/python/wire_dump.py (Tag, TagList, Widget), so our
// output can be compared with the real library's dumps.
import { f, objectBase, objectListBase, ObjectRegistry, type ObjectContext } from '../src/index.js';

export const registry = new ObjectRegistry({ serialNamespace: 'versioned_object', projectNamespace: 'versionedobjects' });

export class Tag extends objectBase({
  registry,
  name: 'Tag',
  version: '1.1',
  history: { '1.0': 'initial (name)', '1.1': 'added color' },
  fields: { name: f.string(), color: f.string().nullable().since('1.1') },
}) {}

export class TagList extends objectListBase({
  registry,
  name: 'TagList',
  version: '1.1',
  history: { '1.0': 'initial, Tag 1.0', '1.1': 'Tag 1.1' },
  child: Tag,
  childVersions: { '1.0': '1.0', '1.1': '1.1' },
}) {}

export interface TestContext extends ObjectContext {
  readonly store: Map<string, Record<string, unknown>>;
  readonly log: string[];
}

export class Widget extends objectBase({
  registry,
  name: 'Widget',
  version: '1.2',
  history: { '1.0': 'initial (id, uuid, name, created_at, labels, meta, child)', '1.1': 'Tag 1.1 (child bumped)', '1.2': "added 'tags' (list of Tag)" },
  fields: {
    id: f.integer(),
    uuid: f.uuid(),
    name: f.string().nullable(),
    created_at: f.dateTime().nullable(),
    labels: f.list(f.string()).default([]),
    meta: f.dict(f.string()),
    child: f.object(Tag).nullable(),
    tags: f.listOfObjects(Tag).since('1.2'),
  },
  relationships: { child: [['1.0', '1.0'], ['1.1', '1.1']], tags: [['1.2', '1.1']] },
}) {
  static remotable = ['save', 'rename'];
  static remotableClass = ['getByUuid'];

  /** Local implementation: what the conductor side does (here, a Map stands in for the DB). */
  async save(): Promise<void> {
    const ctx = this.obj_context as TestContext;
    ctx.log.push(`save ${[...this.obj_what_changed()].sort().join(',')}`);
    const row = ctx.store.get(this.uuid) ?? {};
    for (const [k, v] of Object.entries(this.obj_get_changes())) if (k !== 'child' && k !== 'tags') row[k] = v;
    row.saves = ((row.saves as number | undefined) ?? 0) + 1;
    ctx.store.set(this.uuid, row);
    this.name = `${this.name ?? ''}`;
    this.meta = { ...this.meta, saved: String(row.saves) };
    this.obj_reset_changes(null, true);
  }

  async rename(newName: string, suffix = '!'): Promise<string> {
    this.name = `${newName}${suffix}`;
    return this.name;
  }

  static async getByUuid(ctx: ObjectContext, uuid: string): Promise<Widget> {
    const row = (ctx as TestContext).store.get(uuid);
    if (!row) throw new Error(`no widget ${uuid}`);
    const w = new Widget({ id: row.id as number, uuid, name: (row.name as string) ?? null, meta: {}, labels: [] }, ctx);
    w.obj_reset_changes();
    return w;
  }
}

registry.registerAll([Tag, TagList, Widget]);

export function makeWidget(ctx: ObjectContext | null = null): Widget {
  return new Widget(
    {
      id: 42,
      uuid: '0f4c6a10-6f5e-4a55-9a0e-6b4b1e0d7c11',
      name: 'w1',
      created_at: new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 123)),
      labels: ['a', 'b'],
      meta: { k: 'v' },
      child: new Tag({ name: 't0', color: 'red' }),
      tags: [new Tag({ name: 't1', color: 'blue' }), new Tag({ name: 't2' })],
    },
    ctx,
  );
}

/** StableObjectJsonFixture: sort every `.changes` list. */
export function sortChanges(prim: unknown): unknown {
  if (Array.isArray(prim)) return prim.map(sortChanges);
  if (prim && typeof prim === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(prim)) out[k] = k.endsWith('.changes') && Array.isArray(v) ? [...v].sort() : sortChanges(v);
    return out;
  }
  return prim;
}
