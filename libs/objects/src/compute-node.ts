// ComputeNode(+List): one hypervisor node's resources as its compute host last reported
// them (the resource tracker writes it; the scheduler reads it).
import { f, objectBase, objectListBase, ObjectActionError } from '@novakit/versioned-objects';
import type { RequestContext } from './context.js';
import type { DbComputeNodeRow } from './db-api.js';
import { localDb } from './local.js';
import { changedColumns, fromRow, makeList, persistentFields, setFromRow } from './persistent.js';
import { objectRegistry } from './registry.js';

export class ComputeNode extends objectBase({
  registry: objectRegistry,
  name: 'ComputeNode',
  version: '1.0',
  history: { '1.0': 'release 1: resources, usage, hypervisor identity, host, host_ip, JSON text blobs, stats dict; create, save, destroy' },
  fields: {
    id: f.integer().readOnly(),
    service_id: f.integer().nullable(),
    host: f.string().nullable(),
    hypervisor_hostname: f.string().nullable(),
    vcpus: f.integer(),
    memory_mb: f.integer(),
    local_gb: f.integer(),
    vcpus_used: f.integer(),
    memory_mb_used: f.integer(),
    local_gb_used: f.integer(),
    hypervisor_type: f.string().nullable(),
    hypervisor_version: f.integer(),
    free_ram_mb: f.integer().nullable(),
    free_disk_gb: f.integer().nullable(),
    current_workload: f.integer().nullable(),
    running_vms: f.integer().nullable(),
    disk_available_least: f.integer().nullable(),
    host_ip: f.ipAddress().nullable(),
    /** JSON text, as the driver reports it (Nova keeps these as strings too). */
    cpu_info: f.string().nullable(),
    supported_instances: f.string().nullable(),
    metrics: f.string().nullable(),
    numa_topology: f.string().nullable(),
    pci_stats: f.string().nullable(),
    stats: f.dict(f.string()).nullable(),
    ...persistentFields,
  },
}) {
  static remotable = ['create', 'save', 'destroy'];
  static remotableClass = ['getById', 'getByServiceId', 'getByHostAndNodename'];

  static async getById(ctx: RequestContext, id: number): Promise<ComputeNode> {
    const { db, dctx } = localDb(ctx, 'ComputeNode.getById');
    return fromRow(ComputeNode, ctx, await db.compute_node_get(dctx, id));
  }

  static async getByServiceId(ctx: RequestContext, serviceId: number): Promise<ComputeNode> {
    const { db, dctx } = localDb(ctx, 'ComputeNode.getByServiceId');
    return fromRow(ComputeNode, ctx, await db.compute_node_get_by_service_id(dctx, serviceId));
  }

  static async getByHostAndNodename(ctx: RequestContext, host: string, nodename: string): Promise<ComputeNode> {
    const { db, dctx } = localDb(ctx, 'ComputeNode.getByHostAndNodename');
    return fromRow(ComputeNode, ctx, await db.compute_node_get_by_host_and_nodename(dctx, host, nodename));
  }

  async create(): Promise<void> {
    if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' });
    const { db, dctx } = localDb(this.obj_context, 'ComputeNode.create');
    setFromRow(this, await db.compute_node_create(dctx, changedColumns(this)));
    this.obj_reset_changes();
  }

  /** Writes the changed resources only (a report of usage leaves the identity columns alone). */
  async save(): Promise<void> {
    const values = changedColumns(this);
    if (Object.keys(values).length) {
      const { db, dctx } = localDb(this.obj_context, 'ComputeNode.save');
      setFromRow(this, await db.compute_node_update(dctx, this.id, values));
    }
    this.obj_reset_changes();
  }

  async destroy(): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'ComputeNode.destroy');
    await db.compute_node_delete(dctx, this.id);
  }
}

export class ComputeNodeList extends objectListBase({
  registry: objectRegistry,
  name: 'ComputeNodeList',
  version: '1.0',
  history: { '1.0': 'release 1: ComputeNode 1.0; getAll, getByHost, getByHypervisor' },
  child: ComputeNode,
  childVersions: { '1.0': '1.0' },
}) {
  static remotableClass = ['getAll', 'getByHost', 'getByHypervisor'];

  static async getAll(ctx: RequestContext): Promise<ComputeNodeList> {
    const { db, dctx } = localDb(ctx, 'ComputeNodeList.getAll');
    return nodeList(ctx, await db.compute_node_get_all(dctx));
  }

  /** ComputeHostNotFound when the host has no node. */
  static async getByHost(ctx: RequestContext, host: string): Promise<ComputeNodeList> {
    const { db, dctx } = localDb(ctx, 'ComputeNodeList.getByHost');
    return nodeList(ctx, await db.compute_node_get_all_by_host(dctx, host));
  }

  /** Nodes whose hypervisor_hostname contains `pattern`. */
  static async getByHypervisor(ctx: RequestContext, pattern: string): Promise<ComputeNodeList> {
    const { db, dctx } = localDb(ctx, 'ComputeNodeList.getByHypervisor');
    return nodeList(ctx, await db.compute_node_search_by_hypervisor(dctx, pattern));
  }
}

function nodeList(ctx: RequestContext, rows: DbComputeNodeRow[]): ComputeNodeList {
  return makeList(ComputeNodeList, ctx, rows.map((r) => fromRow(ComputeNode, ctx, r)));
}
