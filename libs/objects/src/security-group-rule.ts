// SecurityGroupRule(+List): one rule of a group, opening a port range either to a CIDR or to
// the members of a grantee group. Drivers' firewalls read them per group.
import { f, objectBase, objectListBase, ObjectActionError } from '@novakit/versioned-objects';
import type { RequestContext } from './context.js';
import type { DbSecurityGroupRuleRow } from './db-api.js';
import { localDb } from './local.js';
import { classActionAt, orOlderConductor } from './older-conductor.js';
import { changedColumns, fromRow, makeList, persistentFields, setFromRow } from './persistent.js';
import { objectRegistry } from './registry.js';
import { SecurityGroup } from './security-group.js';

export class SecurityGroupRule extends objectBase({
  registry: objectRegistry,
  name: 'SecurityGroupRule',
  version: '1.0',
  history: { '1.0': 'release 1: id (read-only), protocol, from_port, to_port, cidr, parent_group, grantee_group; create, destroy' },
  fields: {
    id: f.integer().readOnly(),
    protocol: f.string().nullable(),
    from_port: f.integer().nullable(),
    to_port: f.integer().nullable(),
    cidr: f.ipNetwork().nullable(),
    parent_group: f.object(SecurityGroup).nullable(),
    grantee_group: f.object(SecurityGroup).nullable(),
    ...persistentFields,
  },
}) {
  static remotable = ['create', 'destroy'];
  static remotableClass = ['getById'];

  static async getById(ctx: RequestContext, id: number): Promise<SecurityGroupRule> {
    const { db, dctx } = localDb(ctx, 'SecurityGroupRule.getById');
    return ruleFromRow(ctx, await db.security_group_rule_get(dctx, id));
  }

  /** The groups travel as objects; the table stores their ids. */
  async create(): Promise<void> {
    if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' });
    if (!this.obj_attr_is_set('parent_group') || !this.parent_group) {
      throw new ObjectActionError({ action: 'create', reason: 'a rule needs its parent_group' });
    }
    const values = { ...changedColumns(this), parent_group_id: this.parent_group.id } as Record<string, unknown> & { parent_group_id: number };
    if (this.obj_attr_is_set('grantee_group')) values.group_id = this.grantee_group?.id ?? null;
    const { db, dctx } = localDb(this.obj_context, 'SecurityGroupRule.create');
    hydrate(this, await db.security_group_rule_create(dctx, values));
  }

  /** Soft-deletes the rule. SecurityGroupNotFoundForRule when it is gone already. */
  async destroy(): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'SecurityGroupRule.destroy');
    await db.security_group_rule_destroy(dctx, this.id);
    this.deleted = true;
    this.obj_reset_changes(['deleted']);
  }
}

function hydrate(rule: SecurityGroupRule, row: DbSecurityGroupRuleRow): SecurityGroupRule {
  const ctx = rule.obj_context;
  setFromRow(rule, row);
  rule.parent_group = row.parent_group ? fromRow(SecurityGroup, ctx, row.parent_group) : null;
  rule.grantee_group = row.grantee_group ? fromRow(SecurityGroup, ctx, row.grantee_group) : null;
  rule.obj_reset_changes();
  return rule;
}

function ruleFromRow(ctx: RequestContext, row: DbSecurityGroupRuleRow): SecurityGroupRule {
  return hydrate(new SecurityGroupRule(null, ctx), row);
}

export class SecurityGroupRuleList extends objectListBase({
  registry: objectRegistry,
  name: 'SecurityGroupRuleList',
  version: '1.1',
  history: {
    '1.0': 'release 1: SecurityGroupRule 1.0; getBySecurityGroupId, getByInstance',
    '1.1': 'getBySecurityGroupIds: the rules of many groups in one call',
  },
  child: SecurityGroupRule,
  childVersions: { '1.0': '1.0', '1.1': '1.0' },
}) {
  static remotableClass = ['getBySecurityGroupId', 'getByInstance', 'getBySecurityGroupIds'];

  /** The rules whose parent is the group. */
  static async getBySecurityGroupId(ctx: RequestContext, securityGroupId: number): Promise<SecurityGroupRuleList> {
    const { db, dctx } = localDb(ctx, 'SecurityGroupRuleList.getBySecurityGroupId');
    const rows = await db.security_group_rule_get_by_security_group(dctx, securityGroupId);
    return makeList(SecurityGroupRuleList, ctx, rows.map((r) => ruleFromRow(ctx, r)));
  }

  /**
   * The rules whose parent is any group in `securityGroupIds`, as one list in id order (so each
   * group's rules come in getBySecurityGroupId's order). Since 1.1. A conductor that knows only
   * 1.0 refuses it with IncompatibleObjectVersion, as it refuses any call made at 1.1; callers
   * that may meet such a conductor during a rolling upgrade use `rulesBySecurityGroupId`.
   */
  static async getBySecurityGroupIds(ctx: RequestContext, securityGroupIds: readonly number[]): Promise<SecurityGroupRuleList> {
    const { db, dctx } = localDb(ctx, 'SecurityGroupRuleList.getBySecurityGroupIds');
    const rows = await db.security_group_rule_get_by_security_groups(dctx, securityGroupIds);
    return makeList(SecurityGroupRuleList, ctx, rows.map((r) => ruleFromRow(ctx, r)));
  }

  /**
   * Each group's rules, with an entry (maybe empty) for every id asked. One remotable call
   * (`getBySecurityGroupIds`); against a conductor that answers it knows only an older version
   * of this list (release 1, during a rolling upgrade), one `getBySecurityGroupId` per group at
   * that version instead.
   */
  static async rulesBySecurityGroupId(ctx: RequestContext, securityGroupIds: readonly number[]): Promise<Map<number, SecurityGroupRuleList>> {
    const ids = [...new Set(securityGroupIds)];
    if (!ids.length) return new Map();
    const byId = await orOlderConductor(
      ctx,
      SecurityGroupRuleList,
      async () => {
        const grouped = new Map(ids.map((id) => [id, [] as SecurityGroupRule[]]));
        for (const rule of (await SecurityGroupRuleList.getBySecurityGroupIds(ctx, ids)).objects) grouped.get(rule.parent_group?.id ?? NaN)?.push(rule);
        return grouped;
      },
      async (older) => {
        const lists = await Promise.all(ids.map((id) => classActionAt(ctx, SecurityGroupRuleList, older, 'getBySecurityGroupId', [id])));
        return new Map(ids.map((id, i) => [id, lists[i]!.objects]));
      },
    );
    return new Map([...byId].map(([id, rules]) => [id, makeList(SecurityGroupRuleList, ctx, rules)]));
  }

  /** Same, for a group object the caller holds (one remote call, by id). */
  static getBySecurityGroup(ctx: RequestContext, group: SecurityGroup): Promise<SecurityGroupRuleList> {
    return SecurityGroupRuleList.getBySecurityGroupId(ctx, group.id);
  }

  /** The rules of every group the instance belongs to. */
  static async getByInstance(ctx: RequestContext, instanceUuid: string): Promise<SecurityGroupRuleList> {
    const { db, dctx } = localDb(ctx, 'SecurityGroupRuleList.getByInstance');
    const rows = await db.security_group_rule_get_by_instance(dctx, instanceUuid);
    return makeList(SecurityGroupRuleList, ctx, rows.map((r) => ruleFromRow(ctx, r)));
  }
}
