// Service(+List): a running novakit service (a compute, a conductor …) on a host, with its
// heartbeat (report_count, last_seen_up) and the service version of its code. The minimum
// version among live services is what RPC clients cap their versions to ('auto').
import { f, objectBase, objectListBase, ObjectActionError } from '@novakit/versioned-objects';
import { ComputeNode } from './compute-node.js';
import { HostBinaryNotFound, ServiceBinaryExists } from './errors.js';
import type { RequestContext } from './context.js';
import type { DbServiceRow } from './db-api.js';
import { localDb } from './local.js';
import { changedColumns, fromRow, makeList, persistentFields, setFromRow } from './persistent.js';
import { objectRegistry } from './registry.js';

/**
 * The service version of this code. Bump it whenever a service gains an RPC or object
 * behaviour its peers must wait for; clients compare it with getMinimumVersion.
 */
export const SERVICE_VERSION = 1;

/** A service that has not reported for this long is down (Nova's service_down_time). */
export const SERVICE_DOWN_SECONDS = 60;

export class Service extends objectBase({
  registry: objectRegistry,
  name: 'Service',
  version: '1.0',
  history: { '1.0': 'release 1: host, binary, topic, report_count, disabled(+reason), version, last_seen_up, forced_down, lazy compute_node' },
  fields: {
    id: f.integer().readOnly(),
    host: f.string().nullable(),
    binary: f.string().nullable(),
    topic: f.string().nullable(),
    report_count: f.integer().default(0),
    disabled: f.boolean().default(false),
    disabled_reason: f.string().nullable(),
    version: f.integer().default(0),
    last_seen_up: f.dateTime().nullable(),
    forced_down: f.boolean().default(false),
    compute_node: f.object(ComputeNode).nullable().lazy(),
    ...persistentFields,
  },
}) {
  static remotable = ['create', 'save', 'destroy', 'heartbeat'];
  static remotableClass = ['getById', 'getByHostAndTopic', 'getByHostAndBinary', 'getByComputeHost', 'getMinimumVersion'];

  static async getById(ctx: RequestContext, id: number): Promise<Service> {
    const { db, dctx } = localDb(ctx, 'Service.getById');
    return serviceFromRow(ctx, await db.service_get(dctx, id));
  }

  /** The service with this topic on the host, or null. */
  static async getByHostAndTopic(ctx: RequestContext, host: string, topic: string): Promise<Service | null> {
    const { db, dctx } = localDb(ctx, 'Service.getByHostAndTopic');
    const row = await db.service_get_by_host_and_topic(dctx, host, topic);
    return row ? serviceFromRow(ctx, row) : null;
  }

  /** HostBinaryNotFound when the host runs no such binary. */
  static async getByHostAndBinary(ctx: RequestContext, host: string, binary: string): Promise<Service> {
    const { db, dctx } = localDb(ctx, 'Service.getByHostAndBinary');
    return serviceFromRow(ctx, await db.service_get_by_args(dctx, host, binary));
  }

  /** The host's compute service with its compute node loaded. ComputeHostNotFound. */
  static async getByComputeHost(ctx: RequestContext, host: string): Promise<Service> {
    const { db, dctx } = localDb(ctx, 'Service.getByComputeHost');
    return serviceFromRow(ctx, await db.service_get_by_compute_host(dctx, host));
  }

  /**
   * The lowest service version among live services of `binary` (reported within
   * `upWithinSeconds`, default SERVICE_DOWN_SECONDS), or null when none is up. RPC clients
   * cap to it so they never send what the oldest running peer cannot read.
   */
  static async getMinimumVersion(ctx: RequestContext, binary: string, opts: { upWithinSeconds?: number } = {}): Promise<number | null> {
    const { db, dctx } = localDb(ctx, 'Service.getMinimumVersion');
    return db.service_get_minimum_version(dctx, binary, { upWithinSeconds: opts.upWithinSeconds ?? SERVICE_DOWN_SECONDS });
  }

  /** A new (unsaved) service record for this code: version is this process's SERVICE_VERSION. */
  static forThisProcess(ctx: RequestContext | null, values: { host: string; binary: string; topic?: string | null }): Service {
    return new Service({ ...values, version: SERVICE_VERSION }, ctx);
  }

  /**
   * A service process starting: its record for host and binary, found or created (two
   * processes of one host starting at once end up with the same record), the topic brought
   * up to date, and a first heartbeat that records this code's SERVICE_VERSION. Built from
   * remotable calls, so it works on either side of the conductor.
   */
  static async register(ctx: RequestContext, values: { host: string; binary: string; topic: string }): Promise<Service> {
    const service = await Service.findOrCreate(ctx, values);
    if (service.topic !== values.topic) {
      service.topic = values.topic;
      await service.save();
    }
    await service.report();
    return service;
  }

  private static async findOrCreate(ctx: RequestContext, values: { host: string; binary: string; topic: string }): Promise<Service> {
    try {
      return await Service.getByHostAndBinary(ctx, values.host, values.binary);
    } catch (err) {
      if (!(err instanceof HostBinaryNotFound)) throw err;
    }
    const created = Service.forThisProcess(ctx, values);
    try {
      await created.create();
      return created;
    } catch (err) {
      if (!(err instanceof ServiceBinaryExists)) throw err;
      return Service.getByHostAndBinary(ctx, values.host, values.binary);
    }
  }

  async create(): Promise<void> {
    if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' });
    if (!this.obj_attr_is_set('host') || !this.obj_attr_is_set('binary') || !this.host || !this.binary) {
      throw new ObjectActionError({ action: 'create', reason: 'a service needs host and binary' });
    }
    const { db, dctx } = localDb(this.obj_context, 'Service.create');
    setFromRow(this, await db.service_create(dctx, { ...changedColumns(this, ['compute_node']), host: this.host, binary: this.binary }));
    this.obj_reset_changes();
  }

  async save(): Promise<void> {
    if (this.obj_what_changed().has('compute_node')) throw new ObjectActionError({ action: 'save', reason: 'compute_node assigned' });
    const values = changedColumns(this);
    if (Object.keys(values).length) {
      const { db, dctx } = localDb(this.obj_context, 'Service.save');
      setFromRow(this, await db.service_update(dctx, this.id, values));
    }
    this.obj_reset_changes();
  }

  async destroy(): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'Service.destroy');
    await db.service_destroy(dctx, this.id);
  }

  /**
   * One heartbeat: report_count + 1 computed by the database (concurrent reports never lose
   * a count), last_seen_up = now, and the reporting code's service version recorded.
   */
  async heartbeat(version: number): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'Service.heartbeat');
    setFromRow(this, await db.service_report(dctx, this.id, { version }));
    this.obj_reset_changes();
  }

  /** The heartbeat of this process: its own SERVICE_VERSION, not the conductor's. */
  report(): Promise<void> {
    return this.heartbeat(SERVICE_VERSION);
  }

  protected override async obj_lazy_load(name: string): Promise<void> {
    if (name !== 'compute_node') return super.obj_lazy_load(name);
    this.compute_node = await ComputeNode.getByServiceId(this.obj_context as RequestContext, this.id);
  }
}

function serviceFromRow(ctx: RequestContext, row: DbServiceRow): Service {
  const service = new Service(null, ctx);
  setFromRow(service, row);
  // A joined compute_node arrives as the service's node list; Nova's field holds the first.
  if (row.compute_node) service.compute_node = row.compute_node[0] ? fromRow(ComputeNode, ctx, row.compute_node[0]) : null;
  service.obj_reset_changes();
  return service;
}

export class ServiceList extends objectListBase({
  registry: objectRegistry,
  name: 'ServiceList',
  version: '1.0',
  history: { '1.0': 'release 1: Service 1.0; getAll, getByTopic, getByHost, getByBinary' },
  child: Service,
  childVersions: { '1.0': '1.0' },
}) {
  static remotableClass = ['getAll', 'getByTopic', 'getByHost', 'getByBinary'];

  static async getAll(ctx: RequestContext, filters: { disabled?: boolean } = {}): Promise<ServiceList> {
    const { db, dctx } = localDb(ctx, 'ServiceList.getAll');
    return serviceList(ctx, await db.service_get_all(dctx, filters));
  }

  static async getByTopic(ctx: RequestContext, topic: string): Promise<ServiceList> {
    const { db, dctx } = localDb(ctx, 'ServiceList.getByTopic');
    return serviceList(ctx, await db.service_get_all_by_topic(dctx, topic));
  }

  static async getByHost(ctx: RequestContext, host: string): Promise<ServiceList> {
    const { db, dctx } = localDb(ctx, 'ServiceList.getByHost');
    return serviceList(ctx, await db.service_get_all_by_host(dctx, host));
  }

  static async getByBinary(ctx: RequestContext, binary: string): Promise<ServiceList> {
    const { db, dctx } = localDb(ctx, 'ServiceList.getByBinary');
    return serviceList(ctx, await db.service_get_all_by_binary(dctx, binary));
  }
}

function serviceList(ctx: RequestContext, rows: DbServiceRow[]): ServiceList {
  return makeList(ServiceList, ctx, rows.map((r) => serviceFromRow(ctx, r)));
}
