// Guest agent builds, one per (hypervisor, os, architecture).
import type { DbContext } from '../context.js';
import { AgentBuildExists, AgentBuildNotFound } from '../errors.js';
import { PERSISTENT_COLUMNS, fromDb, tableModel, toDb, type PersistentFields } from '../model/columns.js';
import { insertRow, mapDuplicate, nowText, whereVisible, type Conn, type Row } from '../model/conn.js';

export interface AgentBuildRow extends PersistentFields {
  id: number;
  hypervisor: string;
  os: string;
  architecture: string;
  version: string | null;
  url: string | null;
  md5hash: string | null;
}

export type AgentBuildValues = Pick<AgentBuildRow, 'hypervisor' | 'os' | 'architecture'> & Partial<Pick<AgentBuildRow, 'version' | 'url' | 'md5hash'>>;

export const AGENT_BUILD = tableModel<AgentBuildRow>('agent_builds', 'id', {
  id: 'int', hypervisor: 'str', os: 'str', architecture: 'str', version: 'str', url: 'str', md5hash: 'str', ...PERSISTENT_COLUMNS,
});

const toAgent = (r: Row): AgentBuildRow => fromDb(AGENT_BUILD, r);

export async function agentBuildCreate(c: Conn, values: AgentBuildValues): Promise<AgentBuildRow> {
  return toAgent(await mapDuplicate('agent_builds', ['hypervisor', 'os', 'architecture'], () => insertRow(c, 'agent_builds', { ...toDb(AGENT_BUILD, values), created_at: nowText(c), deleted: 0 }),
    () => new AgentBuildExists({ hypervisor: values.hypervisor, os: values.os, architecture: values.architecture })));
}

export async function agentBuildGetByTriple(c: Conn, ctx: DbContext, hypervisor: string, os: string, architecture: string): Promise<AgentBuildRow | null> {
  const raw = (await whereVisible(c.q('agent_builds').where({ hypervisor, os, architecture }), ctx).first()) as Row | undefined;
  return raw ? toAgent(raw) : null;
}

export async function agentBuildGetAll(c: Conn, ctx: DbContext, hypervisor?: string): Promise<AgentBuildRow[]> {
  const qb = whereVisible(c.q('agent_builds'), ctx);
  if (hypervisor !== undefined) qb.where('hypervisor', hypervisor);
  return ((await qb.orderBy('id')) as Row[]).map(toAgent);
}

export async function agentBuildUpdate(c: Conn, ctx: DbContext, id: number, values: Partial<AgentBuildValues>): Promise<AgentBuildRow> {
  const n = await c.q('agent_builds').where({ id, deleted: 0 }).update({ ...toDb(AGENT_BUILD, values), updated_at: nowText(c) });
  if (n === 0) throw new AgentBuildNotFound({ id });
  return toAgent((await whereVisible(c.q('agent_builds').where('id', id), ctx).first()) as Row);
}

export async function agentBuildDestroy(c: Conn, id: number): Promise<void> {
  const n = await c.q('agent_builds').where({ id, deleted: 0 }).update({ deleted: c.q.ref('id'), deleted_at: nowText(c) });
  if (n === 0) throw new AgentBuildNotFound({ id });
}
