// BlockDeviceMapping(+List): how one disk of an instance is provided (an image, a volume,
// a snapshot or a blank disk) and where it lands (a local disk or a volume), with the
// device name and, for attached volumes, the connection info the driver used.
import { f, objectBase, objectListBase, ObjectActionError } from '@novakit/versioned-objects';
import type { RequestContext } from './context.js';
import type { DbBlockDeviceMappingRow, ObjectsDbApi, ObjectsDbContext } from './db-api.js';
import { VolumeBDMNotFound } from './errors.js';
import { hydrateInstance } from './instance-rows.js';
import { Instance } from './instance.js';
import { localDb } from './local.js';
import { classActionAt, orOlderConductor } from './older-conductor.js';
import { changedColumns, makeList, persistentFields, setFromRow } from './persistent.js';
import { objectRegistry } from './registry.js';

export const BDM_SOURCE_TYPES = ['image', 'volume', 'snapshot', 'blank'] as const;
export type BdmSourceType = (typeof BDM_SOURCE_TYPES)[number];
export const BDM_DESTINATION_TYPES = ['local', 'volume'] as const;
export type BdmDestinationType = (typeof BDM_DESTINATION_TYPES)[number];

export interface BdmGetByVolumeOptions {
  /** Only the mapping of this instance (during a migration a volume can map to two). */
  readonly instanceUuid?: string;
  /** `['instance']` also loads the instance, in the same call. */
  readonly expectedAttrs?: readonly 'instance'[];
}

export class BlockDeviceMapping extends objectBase({
  registry: objectRegistry,
  name: 'BlockDeviceMapping',
  version: '1.0',
  history: { '1.0': 'release 1: new-style BDM fields, lazy instance; create, updateOrCreate, save, destroy, getByVolumeId' },
  fields: {
    id: f.integer(),
    instance_uuid: f.uuid(),
    instance: f.object(() => Instance).nullable().lazy(),
    source_type: f.enum(BDM_SOURCE_TYPES).nullable(),
    destination_type: f.enum(BDM_DESTINATION_TYPES).nullable(),
    guest_format: f.string().nullable(),
    device_type: f.string().nullable(),
    disk_bus: f.string().nullable(),
    boot_index: f.integer().nullable(),
    device_name: f.string().nullable(),
    delete_on_termination: f.boolean().default(false),
    snapshot_id: f.string().nullable(),
    volume_id: f.string().nullable(),
    volume_size: f.integer().nullable(),
    image_id: f.string().nullable(),
    no_device: f.boolean().default(false),
    /** JSON text from the volume service: credentials, hence masked in toString(). */
    connection_info: f.sensitiveString().nullable(),
    ...persistentFields,
  },
}) {
  static remotable = ['create', 'updateOrCreate', 'save', 'destroy'];
  static remotableClass = ['getByVolumeId'];
  static extraFields = ['isRoot', 'isVolume', 'isImage'];

  /** The boot disk: boot index 0. */
  get isRoot(): boolean {
    return this.obj_attr_is_set('boot_index') && this.boot_index === 0;
  }

  get isVolume(): boolean {
    return this.obj_attr_is_set('destination_type') && this.destination_type === 'volume';
  }

  get isImage(): boolean {
    return this.obj_attr_is_set('source_type') && this.source_type === 'image';
  }

  static async getByVolumeId(ctx: RequestContext, volumeId: string, opts: BdmGetByVolumeOptions = {}): Promise<BlockDeviceMapping> {
    const withInstance = opts.expectedAttrs?.includes('instance') ?? false;
    const { db, dctx } = localDb(ctx, 'BlockDeviceMapping.getByVolumeId');
    const row = await db.block_device_mapping_get_by_volume_id(dctx, volumeId, {
      ...(opts.instanceUuid ? { instanceUuid: opts.instanceUuid } : {}),
      ...(withInstance ? { columnsToJoin: ['instance'] as const, instanceJoins: [] } : {}),
    });
    return bdmFromRow(ctx, row);
  }

  async create(): Promise<void> {
    await this.write('create', (db, dctx, values) => db.block_device_mapping_create(dctx, values));
  }

  /** Nova's legacy update_or_create: reuse the instance's live mapping of the same device. */
  async updateOrCreate(): Promise<void> {
    await this.write('updateOrCreate', (db, dctx, values) => db.block_device_mapping_update_or_create(dctx, values));
  }

  async save(): Promise<void> {
    if (this.obj_what_changed().has('instance')) throw new ObjectActionError({ action: 'save', reason: 'instance changed' });
    const values = changedColumns(this);
    if (Object.keys(values).length) {
      const { db, dctx } = localDb(this.obj_context, 'BlockDeviceMapping.save');
      setFromRow(this, await db.block_device_mapping_update(dctx, this.id, values));
    }
    this.obj_reset_changes();
  }

  async destroy(): Promise<void> {
    if (!this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'destroy', reason: 'already destroyed' });
    const { db, dctx } = localDb(this.obj_context, 'BlockDeviceMapping.destroy');
    await db.block_device_mapping_destroy(dctx, this.id);
    this.deleted = true;
    this.obj_reset_changes(['deleted']);
  }

  private async write(
    action: 'create' | 'updateOrCreate',
    run: (db: ObjectsDbApi, dctx: ObjectsDbContext, values: Record<string, unknown>) => Promise<DbBlockDeviceMappingRow>,
  ): Promise<void> {
    if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action, reason: 'already created' });
    // The instance is never written through its BDM (Nova's rule); the mapping names it by uuid.
    if (this.obj_what_changed().has('instance')) throw new ObjectActionError({ action, reason: 'instance assigned' });
    const { db, dctx } = localDb(this.obj_context, `BlockDeviceMapping.${action}`);
    setFromRow(this, await run(db, dctx, changedColumns(this)));
    this.obj_reset_changes();
  }

  protected override async obj_lazy_load(name: string): Promise<void> {
    if (name !== 'instance') return super.obj_lazy_load(name);
    this.instance = await Instance.getByUuid(this.obj_context as RequestContext, this.instance_uuid, { expectedAttrs: [] });
  }
}

function bdmFromRow(ctx: RequestContext, row: DbBlockDeviceMappingRow): BlockDeviceMapping {
  const bdm = new BlockDeviceMapping(null, ctx);
  setFromRow(bdm, row);
  if (row.instance) bdm.instance = hydrateInstance(new Instance(null, ctx), row.instance, []);
  bdm.obj_reset_changes();
  return bdm;
}

export class BlockDeviceMappingList extends objectListBase({
  registry: objectRegistry,
  name: 'BlockDeviceMappingList',
  version: '1.2',
  history: {
    '1.0': 'release 1: BlockDeviceMapping 1.0; getByInstanceUuid, rootBdm',
    '1.1': 'getByInstanceUuids: the mappings of many instances in one call',
    '1.2': 'getByVolumeIds: the mappings of many volumes in one call',
  },
  child: BlockDeviceMapping,
  childVersions: { '1.0': '1.0', '1.1': '1.0', '1.2': '1.0' },
}) {
  static remotableClass = ['getByInstanceUuid', 'getByInstanceUuids', 'getByVolumeIds'];

  static async getByInstanceUuid(ctx: RequestContext, instanceUuid: string): Promise<BlockDeviceMappingList> {
    const { db, dctx } = localDb(ctx, 'BlockDeviceMappingList.getByInstanceUuid');
    const rows = await db.block_device_mapping_get_all_by_instance(dctx, instanceUuid);
    return makeList(BlockDeviceMappingList, ctx, rows.map((r) => bdmFromRow(ctx, r)));
  }

  /**
   * The live mappings of every instance in `instanceUuids`, as one list in id order (so each
   * instance's mappings come in getByInstanceUuid's order). Since 1.1. A conductor that knows
   * only 1.0 refuses it with IncompatibleObjectVersion, as it refuses any call made at 1.1;
   * callers that may meet such a conductor during a rolling upgrade use `bdmsByInstanceUuid`.
   */
  static async getByInstanceUuids(ctx: RequestContext, instanceUuids: readonly string[]): Promise<BlockDeviceMappingList> {
    const { db, dctx } = localDb(ctx, 'BlockDeviceMappingList.getByInstanceUuids');
    const rows = await db.block_device_mapping_get_all_by_instance_uuids(dctx, instanceUuids);
    return makeList(BlockDeviceMappingList, ctx, rows.map((r) => bdmFromRow(ctx, r)));
  }

  /**
   * Nova's bdms_by_instance_uuid: each instance's mappings, with an entry (maybe empty) for
   * every uuid asked. One remotable call (`getByInstanceUuids`). When the conductor answers that
   * it knows only an older version of this list (a conductor of release 1 during a rolling
   * upgrade), each instance is asked for with `getByInstanceUuid` at that version instead:
   * slower, but the caller keeps working until every conductor is upgraded.
   */
  static async bdmsByInstanceUuid(ctx: RequestContext, instanceUuids: readonly string[]): Promise<Map<string, BlockDeviceMappingList>> {
    const uuids = [...new Set(instanceUuids)];
    const bdms = uuids.length
      ? await orOlderConductor(
          ctx,
          BlockDeviceMappingList,
          async () => (await BlockDeviceMappingList.getByInstanceUuids(ctx, uuids)).objects,
          async (older) => {
            const lists = await Promise.all(uuids.map((u) => classActionAt(ctx, BlockDeviceMappingList, older, 'getByInstanceUuid', [u])));
            return lists.flatMap((l) => l.objects);
          },
        )
      : [];
    const byUuid = new Map(uuids.map((u) => [u, [] as BlockDeviceMapping[]]));
    for (const bdm of bdms) byUuid.get(bdm.instance_uuid)?.push(bdm);
    return new Map([...byUuid].map(([u, list]) => [u, makeList(BlockDeviceMappingList, ctx, list)]));
  }

  /**
   * The live mappings of every volume in `volumeIds`, as one list in id order, without their
   * instances (a volume mapped to two instances, as during a migration, has two). Since 1.2; a
   * conductor that knows an older version refuses it with IncompatibleObjectVersion; callers
   * that may meet one during a rolling upgrade use `bdmByVolumeId`.
   */
  static async getByVolumeIds(ctx: RequestContext, volumeIds: readonly string[]): Promise<BlockDeviceMappingList> {
    const { db, dctx } = localDb(ctx, 'BlockDeviceMappingList.getByVolumeIds');
    const rows = await db.block_device_mapping_get_all_by_volume_ids(dctx, volumeIds);
    return makeList(BlockDeviceMappingList, ctx, rows.map((r) => bdmFromRow(ctx, r)));
  }

  /**
   * For each volume in `volumeIds` that has a live mapping, the one `BlockDeviceMapping.getByVolumeId`
   * gives (its newest); unmapped volumes have no entry. One remotable call (`getByVolumeIds`);
   * against a conductor that refuses this list's version (a release-1 conductor during a rolling
   * upgrade), one `BlockDeviceMapping.getByVolumeId` per volume instead.
   */
  static async bdmByVolumeId(ctx: RequestContext, volumeIds: readonly string[]): Promise<Map<string, BlockDeviceMapping>> {
    const ids = [...new Set(volumeIds)];
    if (!ids.length) return new Map();
    const bdms = await orOlderConductor(
      ctx,
      BlockDeviceMappingList,
      async () => (await BlockDeviceMappingList.getByVolumeIds(ctx, ids)).objects,
      async () => (await Promise.all(ids.map((id) => BlockDeviceMapping.getByVolumeId(ctx, id).catch(unlessUnmapped)))).filter((b) => b !== null),
    );
    // In id order, so the last mapping of a volume wins.
    return new Map(bdms.map((b) => [b.volume_id!, b]));
  }

  /** The boot disk's mapping, or null when the instance boots from nothing mapped. */
  rootBdm(): BlockDeviceMapping | null {
    return this.find((b) => b.isRoot) ?? null;
  }

  /** The mappings backed by volumes (what attach/detach and live migration care about). */
  volumeBdms(): BlockDeviceMapping[] {
    return this.filter((b) => b.isVolume);
  }
}

function unlessUnmapped(err: unknown): null {
  if (err instanceof VolumeBDMNotFound) return null;
  throw err;
}
