// InstanceInfoCache: the network model of one instance (what the network service last said
// its VIFs are), kept beside the instance so drivers can plug VIFs without asking the network.
import { f, objectBase } from '@novakit/versioned-objects';
import type { RequestContext } from './context.js';
import { InstanceInfoCacheNotFound } from './errors.js';
import { localDb } from './local.js';
import { NetworkInfoSchema, SAMPLE_NETWORK_INFO } from './network-model.js';
import { fromRow, persistentFields, setFromRow } from './persistent.js';
import { objectRegistry } from './registry.js';

export class InstanceInfoCache extends objectBase({
  registry: objectRegistry,
  name: 'InstanceInfoCache',
  version: '1.0',
  history: { '1.0': 'release 1: instance_uuid, network_info (NetworkModel, JSON text on the wire); save, refresh, delete' },
  fields: {
    instance_uuid: f.uuid(),
    network_info: f.json(NetworkInfoSchema, { kind: 'NetworkModel', wire: 'string', sample: SAMPLE_NETWORK_INFO }).nullable(),
    ...persistentFields,
  },
}) {
  static remotable = ['save', 'refresh', 'delete'];
  static remotableClass = ['getByInstanceUuid'];

  /** A cache for an instance that has no network information yet (Nova's InstanceInfoCache.new). */
  static empty(ctx: RequestContext | null, instanceUuid: string): InstanceInfoCache {
    const cache = new InstanceInfoCache({ instance_uuid: instanceUuid, network_info: null }, ctx);
    cache.obj_reset_changes();
    return cache;
  }

  static async getByInstanceUuid(ctx: RequestContext, instanceUuid: string): Promise<InstanceInfoCache> {
    const { db, dctx } = localDb(ctx, 'InstanceInfoCache.getByInstanceUuid');
    const row = await db.instance_info_cache_get(dctx, instanceUuid);
    if (!row) throw new InstanceInfoCacheNotFound({ instance_uuid: instanceUuid });
    return fromRow(InstanceInfoCache, ctx, row);
  }

  /** Writes network_info when it changed; nothing else of a cache is the caller's to write. */
  async save(): Promise<void> {
    if (this.obj_what_changed().has('network_info')) {
      const { db, dctx } = localDb(this.obj_context, 'InstanceInfoCache.save');
      const row = await db.instance_info_cache_update(dctx, this.instance_uuid, { network_info: this.network_info });
      setFromRow(this, row);
    }
    this.obj_reset_changes();
  }

  async refresh(): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'InstanceInfoCache.refresh');
    const row = await db.instance_info_cache_get(dctx, this.instance_uuid);
    if (!row) throw new InstanceInfoCacheNotFound({ instance_uuid: this.instance_uuid });
    setFromRow(this, row);
    this.obj_reset_changes();
  }

  async delete(): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'InstanceInfoCache.delete');
    await db.instance_info_cache_delete(dctx, this.instance_uuid);
  }
}
