// /v2.1/os-security-groups and /v2.1/os-security-group-rules (Nova's nova-network security
// groups), and a server's groups. Add/remove to a server are server actions.
import {
  SecurityGroup,
  SecurityGroupList,
  SecurityGroupNotFound,
  SecurityGroupRule,
  SecurityGroupRuleList,
  type RequestContext,
} from '@novakit/objects';
import { findServer } from '../compute/lookup.js';
import { InvalidInput, SecurityGroupInUse } from '../errors.js';
import { route, type AnyRoute } from '../http/route.js';
import { IdParams, NOTHING, ServerParams } from '../schemas/common.js';
import {
  SecurityGroupCreateBodySchema,
  SecurityGroupListSchema,
  SecurityGroupRuleCreateBodySchema,
  SecurityGroupRuleShowSchema,
  SecurityGroupShowSchema,
} from '../schemas/security-groups.js';

function ruleView(r: SecurityGroupRule) {
  return {
    id: r.id,
    parent_group_id: r.parent_group?.id ?? 0,
    ip_protocol: r.protocol,
    from_port: r.from_port,
    to_port: r.to_port,
    ip_range: r.cidr ? { cidr: r.cidr } : {},
    group: r.grantee_group ? { name: r.grantee_group.name, tenant_id: r.grantee_group.project_id } : {},
  };
}

/**
 * The groups with their rules, read with one conductor call for all of them; a release-1
 * conductor is asked per group (rulesBySecurityGroupId). A single group goes through it too,
 * as asking SecurityGroupRuleList at its new version is refused by such a conductor.
 */
async function groupViews(ctx: RequestContext, groups: readonly SecurityGroup[]) {
  const rules = await SecurityGroupRuleList.rulesBySecurityGroupId(ctx, groups.map((g) => g.id));
  return groups.map((g) => ({ id: g.id, name: g.name, description: g.description, tenant_id: g.project_id, rules: (rules.get(g.id)?.objects ?? []).map(ruleView) }));
}

async function groupView(ctx: RequestContext, g: SecurityGroup) {
  return (await groupViews(ctx, [g]))[0]!;
}

/** The project's group by id; another project's is not found. */
async function ownGroup(ctx: RequestContext, id: string | number): Promise<SecurityGroup> {
  const n = Number(id);
  if (!Number.isInteger(n) || n <= 0) throw new SecurityGroupNotFound({ security_group_id: id });
  const g = await SecurityGroup.getById(ctx, n);
  if (g.project_id !== ctx.project_id) throw new SecurityGroupNotFound({ security_group_id: id });
  return g;
}

export function securityGroupRoutes(): AnyRoute[] {
  const action = 'os_compute_api:os-security-groups';
  return [
    route({
      method: 'GET',
      url: '/v2.1/os-security-groups',
      action,
      status: 200,
      response: SecurityGroupListSchema,
      handler: async ({ ctx }) => ({ security_groups: await groupViews(ctx, (await SecurityGroupList.getByProject(ctx, ctx.project_id!)).objects) }),
    }),
    route({
      method: 'POST',
      url: '/v2.1/os-security-groups',
      action,
      body: SecurityGroupCreateBodySchema,
      status: 200,
      response: SecurityGroupShowSchema,
      handler: async ({ ctx, body }) => {
        const g = new SecurityGroup({ name: body.security_group.name, description: body.security_group.description, project_id: ctx.project_id, user_id: ctx.user_id }, ctx);
        await g.create();
        return { security_group: await groupView(ctx, g) };
      },
    }),
    route({
      method: 'GET',
      url: '/v2.1/os-security-groups/:group_id',
      action,
      params: IdParams('group_id'),
      status: 200,
      response: SecurityGroupShowSchema,
      handler: async ({ ctx, params }) => ({ security_group: await groupView(ctx, await ownGroup(ctx, params.group_id)) }),
    }),
    route({
      method: 'DELETE',
      url: '/v2.1/os-security-groups/:group_id',
      action,
      params: IdParams('group_id'),
      status: 202,
      response: NOTHING,
      handler: async ({ ctx, params }) => {
        const g = await ownGroup(ctx, params.group_id);
        if (g.name === 'default') throw new InvalidInput({ field: 'group_id', problem: 'the default security group cannot be deleted' });
        if (await g.inUse()) throw new SecurityGroupInUse({ security_group_id: g.id });
        await g.destroy();
      },
    }),
    route({
      method: 'POST',
      url: '/v2.1/os-security-group-rules',
      action,
      body: SecurityGroupRuleCreateBodySchema,
      status: 200,
      response: SecurityGroupRuleShowSchema,
      handler: async ({ ctx, body }) => {
        const r = body.security_group_rule;
        const parent = await ownGroup(ctx, r.parent_group_id);
        const grantee = r.group_id !== undefined ? await ownGroup(ctx, r.group_id) : null;
        const rule = new SecurityGroupRule(
          { protocol: r.ip_protocol, from_port: r.from_port, to_port: r.to_port, cidr: grantee ? null : (r.cidr ?? '0.0.0.0/0'), parent_group: parent, grantee_group: grantee },
          ctx,
        );
        await rule.create();
        return { security_group_rule: ruleView(rule) };
      },
    }),
    route({
      method: 'DELETE',
      url: '/v2.1/os-security-group-rules/:rule_id',
      action,
      params: IdParams('rule_id'),
      status: 202,
      response: NOTHING,
      handler: async ({ ctx, params }) => {
        const n = Number(params.rule_id);
        if (!Number.isInteger(n) || n <= 0) throw new SecurityGroupNotFound({ security_group_id: params.rule_id });
        const rule = await SecurityGroupRule.getById(ctx, n);
        if (rule.parent_group?.project_id !== ctx.project_id) throw new SecurityGroupNotFound({ security_group_id: params.rule_id });
        await rule.destroy();
      },
    }),
    route({
      method: 'GET',
      url: '/v2.1/servers/:server_id/os-security-groups',
      action,
      params: ServerParams,
      status: 200,
      response: SecurityGroupListSchema,
      handler: async ({ ctx, params }) => {
        const server = await findServer(ctx, params.server_id, []);
        return { security_groups: await groupViews(ctx, (await SecurityGroupList.getByInstance(ctx, server.uuid)).objects) };
      },
    }),
  ];
}
