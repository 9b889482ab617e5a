// Compute nodes: one row per hypervisor node a compute host reports (resource tracker).
import type { DbContext } from '../context.js';
import { ComputeHostNotFound, ServiceNotFound } from '../errors.js';
import { PERSISTENT_COLUMNS, fromDb, tableModel, toDb, type PersistentFields } from '../model/columns.js';
import { insertRow, nowText, whereVisible, type Conn, type Row } from '../model/conn.js';

export interface ComputeNodeRow extends PersistentFields {
  id: number;
  service_id: number | null;
  host: string | null;
  hypervisor_hostname: string | null;
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  vcpus_used: number;
  memory_mb_used: number;
  local_gb_used: number;
  hypervisor_type: string | null;
  hypervisor_version: number;
  free_ram_mb: number | null;
  free_disk_gb: number | null;
  current_workload: number | null;
  running_vms: number | null;
  disk_available_least: number | null;
  /** JSON text (ComputeNode's String fields). */
  cpu_info: string | null;
  host_ip: string | null;
  supported_instances: string | null;
  metrics: string | null;
  numa_topology: string | null;
  pci_stats: string | null;
  /** Parsed dict; JSON text in the database. */
  stats: Record<string, string> | null;
}

export type ComputeNodeValues = Partial<Omit<ComputeNodeRow, 'id' | 'created_at' | 'updated_at' | 'deleted_at' | 'deleted'>>;

export const COMPUTE_NODE = tableModel<ComputeNodeRow>('compute_nodes', 'id', {
  id: 'int', service_id: 'int', host: 'str', hypervisor_hostname: 'str', vcpus: 'int', memory_mb: 'int', local_gb: 'int',
  vcpus_used: 'int', memory_mb_used: 'int', local_gb_used: 'int', hypervisor_type: 'str', hypervisor_version: 'int',
  free_ram_mb: 'int', free_disk_gb: 'int', current_workload: 'int', running_vms: 'int', disk_available_least: 'int',
  cpu_info: 'str', host_ip: 'str', supported_instances: 'str', metrics: 'str', numa_topology: 'str', pci_stats: 'str',
  stats: 'json', ...PERSISTENT_COLUMNS,
});

/** Sums over the nodes of enabled compute services (the hypervisor statistics API). */
export interface ComputeNodeStatistics {
  count: number;
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  vcpus_used: number;
  memory_mb_used: number;
  local_gb_used: number;
  free_ram_mb: number;
  free_disk_gb: number;
  current_workload: number;
  running_vms: number;
  disk_available_least: number;
}

const toNode = (r: Row): ComputeNodeRow => fromDb(COMPUTE_NODE, r);

async function many(c: Conn, ctx: DbContext, where: (qb: ReturnType<typeof c.q>) => void): Promise<ComputeNodeRow[]> {
  const qb = whereVisible(c.q('compute_nodes'), ctx);
  where(qb);
  return ((await qb.orderBy('id')) as Row[]).map(toNode);
}

export async function computeNodeCreate(c: Conn, values: ComputeNodeValues): Promise<ComputeNodeRow> {
  return toNode(await insertRow(c, 'compute_nodes', { ...toDb(COMPUTE_NODE, values), created_at: nowText(c), deleted: 0 }));
}

export async function computeNodeGet(c: Conn, ctx: DbContext, id: number): Promise<ComputeNodeRow> {
  const [n] = await many(c, ctx, (qb) => qb.where('id', id));
  if (!n) throw new ComputeHostNotFound({ host: id });
  return n;
}

/** Writes the given fields (stats replace the stored dict) and always bumps updated_at. */
export async function computeNodeUpdate(c: Conn, ctx: DbContext, id: number, values: ComputeNodeValues): Promise<ComputeNodeRow> {
  const cols = toDb(COMPUTE_NODE, values);
  const n = await c.q('compute_nodes').where({ id, deleted: 0 }).update({ ...cols, updated_at: nowText(c) });
  if (n === 0) throw new ComputeHostNotFound({ host: id });
  return computeNodeGet(c, ctx, id);
}

export function computeNodeGetAll(c: Conn, ctx: DbContext): Promise<ComputeNodeRow[]> {
  return many(c, ctx, () => {});
}

export async function computeNodeGetAllByHost(c: Conn, ctx: DbContext, host: string): Promise<ComputeNodeRow[]> {
  const nodes = await many(c, ctx, (qb) => qb.where('host', host));
  if (nodes.length === 0) throw new ComputeHostNotFound({ host });
  return nodes;
}

export async function computeNodeGetByHostAndNodename(c: Conn, ctx: DbContext, host: string, nodename: string): Promise<ComputeNodeRow> {
  const [n] = await many(c, ctx, (qb) => qb.where({ host, hypervisor_hostname: nodename }));
  if (!n) throw new ComputeHostNotFound({ host });
  return n;
}

/** The (first) node of a service, as Juno's Service.compute_node lazy load; ServiceNotFound when none. */
export async function computeNodeGetByServiceId(c: Conn, ctx: DbContext, serviceId: number): Promise<ComputeNodeRow> {
  const [n] = await many(c, ctx, (qb) => qb.where('service_id', serviceId));
  if (!n) throw new ServiceNotFound({ service_id: serviceId });
  return n;
}

export function computeNodesGetByServiceId(c: Conn, ctx: DbContext, serviceId: number): Promise<ComputeNodeRow[]> {
  return many(c, ctx, (qb) => qb.where('service_id', serviceId));
}

export function computeNodeSearchByHypervisor(c: Conn, ctx: DbContext, pattern: string): Promise<ComputeNodeRow[]> {
  const escaped = pattern.replace(/[%_\\]/g, (m) => `\\${m}`);
  return many(c, ctx, (qb) => qb.where('hypervisor_hostname', 'like', `%${escaped}%`));
}

export async function computeNodeDelete(c: Conn, id: number): Promise<void> {
  const n = await c.q('compute_nodes').where({ id, deleted: 0 }).update({ deleted: c.q.ref('id'), deleted_at: nowText(c) });
  if (n === 0) throw new ComputeHostNotFound({ host: id });
}

const SUMMED = ['vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'free_ram_mb', 'free_disk_gb', 'current_workload', 'running_vms', 'disk_available_least'] as const;

export async function computeNodeStatistics(c: Conn, computeTopic: string): Promise<ComputeNodeStatistics> {
  const qb = c.q('compute_nodes as n')
    .join('services as s', (j) => j.on('s.host', '=', 'n.host').andOnVal('s.topic', '=', computeTopic).andOnVal('s.deleted', '=', 0))
    .where('n.deleted', 0)
    .where('s.disabled', false)
    .count({ count: 'n.id' });
  for (const col of SUMMED) qb.sum({ [col]: `n.${col}` });
  const row = ((await qb) as Row[])[0] ?? {};
  const out: Record<string, number> = { count: Number(row.count ?? 0) };
  for (const col of SUMMED) out[col] = Number(row[col] ?? 0);
  return out as unknown as ComputeNodeStatistics;
}
