// Security groups, instance membership, group rules and provider firewall rules.
import type { DbContext } from '../context.js';
import { ProviderFwRuleNotFound, SecurityGroupExists, SecurityGroupNotFound, SecurityGroupNotFoundForProject, SecurityGroupNotFoundForRule } from '../errors.js';
import { fromDb, toDb } from '../model/columns.js';
import { inChunks, inTransaction, insertRow, mapDuplicate, nowText, whereVisible, type Conn, type Row } from '../model/conn.js';
import {
  PROVIDER_FW_RULE, SECURITY_GROUP, SECURITY_GROUP_RULE,
  type ProviderFwRuleRow, type SecurityGroupRow, type SecurityGroupRuleColumns, type SecurityGroupRuleRow,
} from './security-group-model.js';

export type SecurityGroupValues = Partial<Pick<SecurityGroupRow, 'name' | 'description' | 'user_id' | 'project_id'>>;
export type SecurityGroupRuleValues = Partial<Omit<SecurityGroupRuleColumns, 'id' | 'created_at' | 'updated_at' | 'deleted_at' | 'deleted'>> & { parent_group_id: number };
export type ProviderFwRuleValues = Partial<Pick<ProviderFwRuleRow, 'protocol' | 'from_port' | 'to_port' | 'cidr'>>;

const toGroup = (r: Row) => fromDb(SECURITY_GROUP, r);

async function groupsQuery(c: Conn, ctx: DbContext, build: (qb: ReturnType<Conn['q']>) => void): Promise<SecurityGroupRow[]> {
  const qb = whereVisible(c.q('security_groups'), ctx);
  build(qb);
  return ((await qb.orderBy('id')) as Row[]).map(toGroup);
}

export async function securityGroupCreate(c: Conn, values: SecurityGroupValues): Promise<SecurityGroupRow> {
  const cols = toDb(SECURITY_GROUP, values);
  const raw = await mapDuplicate('security_groups', ['project_id', 'name'], () => insertRow(c, 'security_groups', { ...cols, created_at: nowText(c), deleted: 0 }),
    () => new SecurityGroupExists({ project_id: String(values.project_id), security_group_name: String(values.name) }));
  return toGroup(raw);
}

export async function securityGroupGet(c: Conn, ctx: DbContext, id: number): Promise<SecurityGroupRow> {
  const [g] = await groupsQuery(c, ctx, (qb) => qb.where('id', id));
  if (!g) throw new SecurityGroupNotFound({ security_group_id: id });
  return g;
}

export async function securityGroupGetByName(c: Conn, ctx: DbContext, projectId: string, name: string): Promise<SecurityGroupRow> {
  const [g] = await groupsQuery(c, ctx, (qb) => qb.where({ project_id: projectId, name }));
  if (!g) throw new SecurityGroupNotFoundForProject({ project_id: projectId, security_group_id: name });
  return g;
}

export function securityGroupGetAll(c: Conn, ctx: DbContext): Promise<SecurityGroupRow[]> {
  return groupsQuery(c, ctx, () => {});
}

export function securityGroupGetByProject(c: Conn, ctx: DbContext, projectId: string): Promise<SecurityGroupRow[]> {
  return groupsQuery(c, ctx, (qb) => qb.where('project_id', projectId));
}

export function securityGroupGetByInstance(c: Conn, ctx: DbContext, uuid: string): Promise<SecurityGroupRow[]> {
  const ids = c.q('security_group_instance_association').select('security_group_id').where({ instance_uuid: uuid, deleted: 0 });
  return groupsQuery(c, ctx, (qb) => qb.whereIn('id', ids));
}

export async function securityGroupUpdate(c: Conn, ctx: DbContext, id: number, values: SecurityGroupValues): Promise<SecurityGroupRow> {
  const cols = toDb(SECURITY_GROUP, values);
  const n = await mapDuplicate('security_groups', ['project_id', 'name'], () => c.q('security_groups').where({ id, deleted: 0 }).update({ ...cols, updated_at: nowText(c) }),
    () => new SecurityGroupExists({ project_id: String(values.project_id ?? ''), security_group_name: String(values.name ?? '') }));
  if (n === 0) throw new SecurityGroupNotFound({ security_group_id: id });
  return securityGroupGet(c, ctx, id);
}

/** Soft-deletes the group, its memberships and every rule that has it as parent or grantee. */
export async function securityGroupDestroy(c: Conn, id: number): Promise<void> {
  await inTransaction(c, async (t) => {
    const now = nowText(t);
    const del = { deleted: t.q.ref('id'), deleted_at: now };
    if ((await t.q('security_groups').where({ id, deleted: 0 }).update(del)) === 0) throw new SecurityGroupNotFound({ security_group_id: id });
    await t.q('security_group_instance_association').where({ security_group_id: id, deleted: 0 }).update(del);
    await t.q('security_group_rules').where('deleted', 0).where((w) => w.where('parent_group_id', id).orWhere('group_id', id)).update(del);
  });
}

/** The project's `default` group, created if missing; safe against a concurrent creator. */
export async function securityGroupEnsureDefault(c: Conn, owner: { project_id: string | null; user_id: string | null }): Promise<SecurityGroupRow> {
  const find = () => c.q('security_groups').where({ project_id: owner.project_id, name: 'default', deleted: 0 }).first() as Promise<Row | undefined>;
  const existing = await find();
  if (existing) return toGroup(existing);
  await c.q('security_groups')
    .insert({ name: 'default', description: 'default', project_id: owner.project_id, user_id: owner.user_id, created_at: nowText(c), deleted: 0 })
    .onConflict(['project_id', 'name', 'deleted'])
    .ignore();
  return toGroup((await find())!);
}

/** Resolves group names of the instance's project for instance_create. */
export async function securityGroupIdsForInstance(c: Conn, ctx: DbContext, projectId: string | null, userId: string | null, names: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const name of new Set(names)) {
    const row = (await c.q('security_groups').where({ project_id: projectId, name, deleted: 0 }).first()) as Row | undefined;
    if (row) ids.push(row.id as number);
    else if (name === 'default') ids.push((await securityGroupEnsureDefault(c, { project_id: projectId, user_id: userId })).id);
    else throw new SecurityGroupNotFoundForProject({ project_id: String(projectId), security_group_id: name });
  }
  return ids;
}

export async function instanceAddSecurityGroup(c: Conn, ctx: DbContext, uuid: string, groupId: number): Promise<void> {
  await inTransaction(c, async (t) => {
    await securityGroupGet(t, ctx, groupId);
    const live = await t.q('security_group_instance_association').where({ instance_uuid: uuid, security_group_id: groupId, deleted: 0 }).first();
    if (!live) await t.q('security_group_instance_association').insert({ instance_uuid: uuid, security_group_id: groupId, created_at: nowText(t), deleted: 0 });
  });
}

export async function instanceRemoveSecurityGroup(c: Conn, uuid: string, groupId: number): Promise<void> {
  await c.q('security_group_instance_association').where({ instance_uuid: uuid, security_group_id: groupId, deleted: 0 })
    .update({ deleted: c.q.ref('id'), deleted_at: nowText(c) });
}

/** Whether a live instance is still a member (Nova's security_group_in_use). */
export async function securityGroupInUse(c: Conn, groupId: number): Promise<boolean> {
  const row = await c.q('security_group_instance_association as a').join('instances as i', 'i.uuid', 'a.instance_uuid')
    .where({ 'a.security_group_id': groupId, 'a.deleted': 0, 'i.deleted': 0 }).first('a.id');
  return row !== undefined;
}

/** Attaches `parent_group` and `grantee_group` (one query per 500 groups, for all rules). */
async function withGroups(c: Conn, raws: Row[]): Promise<SecurityGroupRuleRow[]> {
  const rules = raws.map((r) => fromDb(SECURITY_GROUP_RULE, r));
  const ids = [...new Set(rules.flatMap((r) => (r.group_id === null ? [r.parent_group_id] : [r.parent_group_id, r.group_id])))];
  const groups = (await inChunks(ids, async (b) => (await c.q('security_groups').whereIn('id', b)) as Row[])).map(toGroup);
  const byId = new Map(groups.map((g) => [g.id, g]));
  return rules.map((r) => ({ ...r, parent_group: byId.get(r.parent_group_id) ?? null, grantee_group: r.group_id === null ? null : (byId.get(r.group_id) ?? null) }));
}

export async function securityGroupRuleCreate(c: Conn, values: SecurityGroupRuleValues): Promise<SecurityGroupRuleRow> {
  const raw = await insertRow(c, 'security_group_rules', { ...toDb(SECURITY_GROUP_RULE, values), created_at: nowText(c), deleted: 0 });
  return (await withGroups(c, [raw]))[0];
}

export async function securityGroupRuleGet(c: Conn, ctx: DbContext, id: number): Promise<SecurityGroupRuleRow> {
  const raw = (await whereVisible(c.q('security_group_rules').where('id', id), ctx).first()) as Row | undefined;
  if (!raw) throw new SecurityGroupNotFoundForRule({ rule_id: id });
  return (await withGroups(c, [raw]))[0];
}

/** Rules whose parent is the group: what the firewall driver applies for its members. */
export async function securityGroupRuleGetBySecurityGroup(c: Conn, ctx: DbContext, groupId: number): Promise<SecurityGroupRuleRow[]> {
  return withGroups(c, (await whereVisible(c.q('security_group_rules').where('parent_group_id', groupId), ctx).orderBy('id')) as Row[]);
}

export async function securityGroupRuleGetBySecurityGroups(c: Conn, ctx: DbContext, groupIds: readonly number[]): Promise<SecurityGroupRuleRow[]> {
  return withGroups(c, await inChunks(groupIds, async (b) => (await whereVisible(c.q('security_group_rules').whereIn('parent_group_id', b), ctx)) as Row[], { byId: true }));
}

/** Rules that grant access to members of the group (it is their grantee). */
export async function securityGroupRuleGetBySecurityGroupGrantee(c: Conn, ctx: DbContext, groupId: number): Promise<SecurityGroupRuleRow[]> {
  return withGroups(c, (await whereVisible(c.q('security_group_rules').where('group_id', groupId), ctx).orderBy('id')) as Row[]);
}

export async function securityGroupRuleGetByInstance(c: Conn, ctx: DbContext, uuid: string): Promise<SecurityGroupRuleRow[]> {
  const groups = c.q('security_group_instance_association').select('security_group_id').where({ instance_uuid: uuid, deleted: 0 });
  return withGroups(c, (await whereVisible(c.q('security_group_rules').whereIn('parent_group_id', groups), ctx).orderBy('id')) as Row[]);
}

export async function securityGroupRuleDestroy(c: Conn, id: number): Promise<void> {
  const n = await c.q('security_group_rules').where({ id, deleted: 0 }).update({ deleted: c.q.ref('id'), deleted_at: nowText(c) });
  if (n === 0) throw new SecurityGroupNotFoundForRule({ rule_id: id });
}

export async function providerFwRuleCreate(c: Conn, values: ProviderFwRuleValues): Promise<ProviderFwRuleRow> {
  return fromDb(PROVIDER_FW_RULE, await insertRow(c, 'provider_fw_rules', { ...toDb(PROVIDER_FW_RULE, values), created_at: nowText(c), deleted: 0 }));
}

export async function providerFwRuleGetAll(c: Conn, ctx: DbContext): Promise<ProviderFwRuleRow[]> {
  return ((await whereVisible(c.q('provider_fw_rules'), ctx).orderBy('id')) as Row[]).map((r) => fromDb(PROVIDER_FW_RULE, r));
}

export async function providerFwRuleDestroy(c: Conn, id: number): Promise<void> {
  const n = await c.q('provider_fw_rules').where({ id, deleted: 0 }).update({ deleted: c.q.ref('id'), deleted_at: nowText(c) });
  if (n === 0) throw new ProviderFwRuleNotFound({ rule_id: id });
}
