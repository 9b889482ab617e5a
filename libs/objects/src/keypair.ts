// KeyPair(+List): a user's named SSH public key, injected into instances at boot.
import { f, objectBase, objectListBase, ObjectActionError } from '@novakit/versioned-objects';
import type { RequestContext } from './context.js';
import { localDb } from './local.js';
import { changedColumns, fromRow, makeList, persistentFields, setFromRow } from './persistent.js';
import { objectRegistry } from './registry.js';

export class KeyPair extends objectBase({
  registry: objectRegistry,
  name: 'KeyPair',
  version: '1.0',
  history: { '1.0': 'release 1: id, name, user_id, fingerprint, public_key; create, destroy, getByName, destroyByName' },
  fields: {
    id: f.integer(),
    name: f.string().nullable(),
    user_id: f.string().nullable(),
    fingerprint: f.string().nullable(),
    public_key: f.string().nullable(),
    ...persistentFields,
  },
}) {
  static remotable = ['create', 'destroy'];
  static remotableClass = ['getByName', 'destroyByName'];

  /** KeypairNotFound. */
  static async getByName(ctx: RequestContext, userId: string, name: string): Promise<KeyPair> {
    const { db, dctx } = localDb(ctx, 'KeyPair.getByName');
    return fromRow(KeyPair, ctx, await db.key_pair_get(dctx, userId, name));
  }

  static async destroyByName(ctx: RequestContext, userId: string, name: string): Promise<void> {
    const { db, dctx } = localDb(ctx, 'KeyPair.destroyByName');
    await db.key_pair_destroy(dctx, userId, name);
  }

  /** KeyPairExists when the user already has a key of that name. */
  async create(): Promise<void> {
    if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' });
    if (!this.obj_attr_is_set('name') || !this.obj_attr_is_set('user_id') || !this.name || !this.user_id) {
      throw new ObjectActionError({ action: 'create', reason: 'a key pair needs name and user_id' });
    }
    const { db, dctx } = localDb(this.obj_context, 'KeyPair.create');
    setFromRow(this, await db.key_pair_create(dctx, { ...changedColumns(this), name: this.name, user_id: this.user_id }));
    this.obj_reset_changes();
  }

  async destroy(): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'KeyPair.destroy');
    await db.key_pair_destroy(dctx, this.user_id ?? '', this.name ?? '');
  }
}

export class KeyPairList extends objectListBase({
  registry: objectRegistry,
  name: 'KeyPairList',
  version: '1.0',
  history: { '1.0': 'release 1: KeyPair 1.0; getByUser, getCountByUser' },
  child: KeyPair,
  childVersions: { '1.0': '1.0' },
}) {
  static remotableClass = ['getByUser', 'getCountByUser'];

  static async getByUser(ctx: RequestContext, userId: string): Promise<KeyPairList> {
    const { db, dctx } = localDb(ctx, 'KeyPairList.getByUser');
    const rows = await db.key_pair_get_all_by_user(dctx, userId);
    return makeList(KeyPairList, ctx, rows.map((r) => fromRow(KeyPair, ctx, r)));
  }

  /** For the key pair quota. */
  static async getCountByUser(ctx: RequestContext, userId: string): Promise<number> {
    const { db, dctx } = localDb(ctx, 'KeyPairList.getCountByUser');
    return db.key_pair_count_by_user(dctx, userId);
  }
}
