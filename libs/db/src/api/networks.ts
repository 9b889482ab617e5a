// nova-network style networks, virtual interfaces and fixed IPs (FixedIP nests its
// network, virtual interface and instance). Allocation is a guarded UPDATE, so two
// instances never get one address.
import type { Knex } from 'knex';
import type { DbContext } from '../context.js';
import { FixedIpAlreadyInUse, FixedIpNotFound, FixedIpNotFoundForAddress, FixedIpNotFoundForInstance, NetworkNotFound, NoMoreFixedIps } from '../errors.js';
import { PERSISTENT_COLUMNS, fromDb, tableModel, toDb, type PersistentFields } from '../model/columns.js';
import { insertRow, insertRows, mapDuplicate, nowText, whereVisible, type Conn, type Row } from '../model/conn.js';
import { withJoins } from './instance-joins.js';
import type { InstanceRow } from './instance-model.js';

export interface NetworkRow extends PersistentFields {
  id: number;
  uuid: string | null;
  label: string | null;
  cidr: string | null;
  cidr_v6: string | null;
  netmask: string | null;
  netmask_v6: string | null;
  gateway: string | null;
  gateway_v6: string | null;
  broadcast: string | null;
  dns1: string | null;
  dns2: string | null;
  bridge: string | null;
  bridge_interface: string | null;
  dhcp_start: string | null;
  dhcp_server: string | null;
  host: string | null;
  project_id: string | null;
  vlan: number | null;
  mtu: number | null;
  multi_host: boolean;
  injected: boolean;
  enable_dhcp: boolean;
  share_address: boolean;
}

export interface VirtualInterfaceRow extends PersistentFields {
  id: number;
  /** MAC address */
  address: string;
  network_id: number | null;
  instance_uuid: string | null;
  uuid: string | null;
}

export interface FixedIpColumns extends PersistentFields {
  id: number;
  address: string;
  network_id: number | null;
  virtual_interface_id: number | null;
  instance_uuid: string | null;
  allocated: boolean;
  leased: boolean;
  reserved: boolean;
  host: string | null;
}

/** A fixed IP; `network`, `virtual_interface`, `instance` present when asked for. */
export interface FixedIpRow extends FixedIpColumns {
  network?: NetworkRow | null;
  virtual_interface?: VirtualInterfaceRow | null;
  instance?: InstanceRow | null;
}

export type FixedIpJoin = 'network' | 'virtual_interface' | 'instance';
export type NetworkValues = Partial<Omit<NetworkRow, 'id' | 'created_at' | 'updated_at' | 'deleted_at' | 'deleted'>>;
export type VirtualInterfaceValues = Pick<VirtualInterfaceRow, 'address'> & Partial<Pick<VirtualInterfaceRow, 'network_id' | 'instance_uuid' | 'uuid'>>;
export type FixedIpValues = Pick<FixedIpColumns, 'address'> & Partial<Omit<FixedIpColumns, 'id' | 'address' | 'created_at' | 'updated_at' | 'deleted_at' | 'deleted'>>;

export const NETWORK = tableModel<NetworkRow>('networks', 'id', {
  id: 'int', uuid: 'str', label: 'str', cidr: 'str', cidr_v6: 'str', netmask: 'str', netmask_v6: 'str', gateway: 'str',
  gateway_v6: 'str', broadcast: 'str', dns1: 'str', dns2: 'str', bridge: 'str', bridge_interface: 'str', dhcp_start: 'str',
  dhcp_server: 'str', host: 'str', project_id: 'str', vlan: 'int', mtu: 'int', multi_host: 'bool', injected: 'bool',
  enable_dhcp: 'bool', share_address: 'bool', ...PERSISTENT_COLUMNS,
});
export const VIRTUAL_INTERFACE = tableModel<VirtualInterfaceRow>('virtual_interfaces', 'id', {
  id: 'int', address: 'str', network_id: 'int', instance_uuid: 'str', uuid: 'str', ...PERSISTENT_COLUMNS,
});
export const FIXED_IP = tableModel<FixedIpColumns>('fixed_ips', 'id', {
  id: 'int', address: 'str', network_id: 'int', virtual_interface_id: 'int', instance_uuid: 'str', allocated: 'bool',
  leased: 'bool', reserved: 'bool', host: 'str', ...PERSISTENT_COLUMNS,
});

export async function networkCreate(c: Conn, values: NetworkValues): Promise<NetworkRow> {
  return fromDb(NETWORK, await insertRow(c, 'networks', { ...toDb(NETWORK, values), created_at: nowText(c), deleted: 0 }));
}

export async function networkGet(c: Conn, ctx: DbContext, id: number): Promise<NetworkRow> {
  const raw = (await whereVisible(c.q('networks').where('id', id), ctx).first()) as Row | undefined;
  if (!raw) throw new NetworkNotFound({ network_id: id });
  return fromDb(NETWORK, raw);
}

export async function networkGetAll(c: Conn, ctx: DbContext): Promise<NetworkRow[]> {
  return ((await whereVisible(c.q('networks'), ctx).orderBy('id')) as Row[]).map((r) => fromDb(NETWORK, r));
}

export async function virtualInterfaceCreate(c: Conn, values: VirtualInterfaceValues): Promise<VirtualInterfaceRow> {
  const raw = await mapDuplicate('virtual_interfaces', ['address'], () => insertRow(c, 'virtual_interfaces', { ...toDb(VIRTUAL_INTERFACE, values), created_at: nowText(c), deleted: 0 }));
  return fromDb(VIRTUAL_INTERFACE, raw);
}

export async function virtualInterfaceGetByInstance(c: Conn, ctx: DbContext, uuid: string): Promise<VirtualInterfaceRow[]> {
  return ((await whereVisible(c.q('virtual_interfaces').where('instance_uuid', uuid), ctx).orderBy('id')) as Row[]).map((r) => fromDb(VIRTUAL_INTERFACE, r));
}

export async function virtualInterfaceDeleteByInstance(c: Conn, uuid: string): Promise<void> {
  await c.q('virtual_interfaces').where({ instance_uuid: uuid, deleted: 0 }).update({ deleted: c.q.ref('id'), deleted_at: nowText(c) });
}

async function withFixedIpJoins(c: Conn, ctx: DbContext, raws: Row[], joins: readonly FixedIpJoin[]): Promise<FixedIpRow[]> {
  const ips: FixedIpRow[] = raws.map((r) => fromDb(FIXED_IP, r));
  const load = async <T>(table: string, ids: (string | number | null)[], key: string, map: (r: Row) => T) => {
    const wanted = [...new Set(ids.filter((x): x is string | number => x !== null))];
    const found = wanted.length ? ((await c.q(table).whereIn(key, wanted)) as Row[]) : [];
    return new Map(found.map((r) => [r[key] as string | number, map(r)]));
  };
  if (joins.includes('network')) {
    const m = await load('networks', ips.map((i) => i.network_id), 'id', (r) => fromDb(NETWORK, r));
    for (const ip of ips) ip.network = ip.network_id === null ? null : (m.get(ip.network_id) ?? null);
  }
  if (joins.includes('virtual_interface')) {
    const m = await load('virtual_interfaces', ips.map((i) => i.virtual_interface_id), 'id', (r) => fromDb(VIRTUAL_INTERFACE, r));
    for (const ip of ips) ip.virtual_interface = ip.virtual_interface_id === null ? null : (m.get(ip.virtual_interface_id) ?? null);
  }
  if (joins.includes('instance')) {
    const m = await load('instances', ips.map((i) => i.instance_uuid), 'uuid', (r) => r);
    for (const ip of ips) {
      const raw = ip.instance_uuid === null ? undefined : m.get(ip.instance_uuid);
      ip.instance = raw ? (await withJoins(c, ctx, [raw], []))[0] : null;
    }
  }
  return ips;
}

export async function fixedIpCreate(c: Conn, values: FixedIpValues): Promise<FixedIpRow> {
  const raw = await mapDuplicate('fixed_ips', ['address'], () => insertRow(c, 'fixed_ips', { ...toDb(FIXED_IP, values), created_at: nowText(c), deleted: 0 }));
  return fromDb(FIXED_IP, raw);
}

export async function fixedIpBulkCreate(c: Conn, values: FixedIpValues[]): Promise<void> {
  const now = nowText(c);
  await mapDuplicate('fixed_ips', ['address'], () => insertRows(c, 'fixed_ips', values.map((v) => ({ ...toDb(FIXED_IP, v), created_at: now, deleted: 0 }))));
}

export async function fixedIpGet(c: Conn, ctx: DbContext, id: number, opts: { columnsToJoin?: readonly FixedIpJoin[] } = {}): Promise<FixedIpRow> {
  const raw = (await whereVisible(c.q('fixed_ips').where('id', id), ctx).first()) as Row | undefined;
  if (!raw) throw new FixedIpNotFound({ id });
  return (await withFixedIpJoins(c, ctx, [raw], opts.columnsToJoin ?? []))[0];
}

export async function fixedIpGetByAddress(c: Conn, ctx: DbContext, address: string, opts: { columnsToJoin?: readonly FixedIpJoin[] } = {}): Promise<FixedIpRow> {
  const raw = (await whereVisible(c.q('fixed_ips').where('address', address), ctx).first()) as Row | undefined;
  if (!raw) throw new FixedIpNotFoundForAddress({ address });
  return (await withFixedIpJoins(c, ctx, [raw], opts.columnsToJoin ?? []))[0];
}

/** The instance's fixed IPs; FixedIpNotFoundForInstance when it has none (as Nova). */
export async function fixedIpGetByInstance(c: Conn, ctx: DbContext, uuid: string, opts: { columnsToJoin?: readonly FixedIpJoin[] } = {}): Promise<FixedIpRow[]> {
  const raws = (await whereVisible(c.q('fixed_ips').where('instance_uuid', uuid), ctx).orderBy('id')) as Row[];
  if (raws.length === 0) throw new FixedIpNotFoundForInstance({ instance_uuid: uuid });
  return withFixedIpJoins(c, ctx, raws, opts.columnsToJoin ?? []);
}

/** Gives a specific free address to an instance; FixedIpAlreadyInUse if another holds it. */
export async function fixedIpAssociate(c: Conn, ctx: DbContext, address: string, instanceUuid: string, opts: { networkId?: number } = {}): Promise<FixedIpRow> {
  const qb = c.q('fixed_ips').where({ address, deleted: 0 }).where((w: Knex.QueryBuilder) => w.whereNull('instance_uuid').orWhere('instance_uuid', instanceUuid));
  if (opts.networkId !== undefined) qb.where('network_id', opts.networkId);
  if ((await qb.update({ instance_uuid: instanceUuid, updated_at: nowText(c) })) === 0) {
    const cur = (await c.q('fixed_ips').where({ address, deleted: 0 }).first()) as Row | undefined;
    if (!cur) throw new FixedIpNotFoundForAddress({ address });
    throw new FixedIpAlreadyInUse({ address, instance_uuid: String(cur.instance_uuid) });
  }
  return fixedIpGetByAddress(c, ctx, address);
}

/** Gives the instance any free, unreserved address of the network. */
export async function fixedIpAssociatePool(c: Conn, ctx: DbContext, networkId: number, instanceUuid: string, host?: string | null): Promise<FixedIpRow> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const free = (await c.q('fixed_ips').select('id').where({ network_id: networkId, reserved: false, deleted: 0 }).whereNull('instance_uuid').orderBy('id').first()) as Row | undefined;
    if (!free) throw new NoMoreFixedIps({ net: networkId });
    const cols: Row = { instance_uuid: instanceUuid, updated_at: nowText(c) };
    if (host !== undefined) cols.host = host;
    // Lost the race for this address: someone else took it between the two statements.
    if ((await c.q('fixed_ips').where({ id: free.id as number }).whereNull('instance_uuid').update(cols)) === 1) return fixedIpGet(c, ctx, free.id as number);
  }
  throw new NoMoreFixedIps({ net: networkId });
}

export async function fixedIpDisassociate(c: Conn, address: string): Promise<void> {
  const n = await c.q('fixed_ips').where({ address, deleted: 0 }).update({ instance_uuid: null, virtual_interface_id: null, updated_at: nowText(c) });
  if (n === 0) throw new FixedIpNotFoundForAddress({ address });
}

export async function fixedIpUpdate(c: Conn, ctx: DbContext, address: string, values: Partial<FixedIpValues>): Promise<FixedIpRow> {
  const n = await c.q('fixed_ips').where({ address, deleted: 0 }).update({ ...toDb(FIXED_IP, values), updated_at: nowText(c) });
  if (n === 0) throw new FixedIpNotFoundForAddress({ address });
  return fixedIpGetByAddress(c, ctx, address);
}
