// Security groups as the API changes them: membership of a running instance, deleting a rule,
// deleting a group (its memberships and rules go with it). Run locally and through the wire.
import { describe, expect, it } from 'vitest';
import {
  SecurityGroup,
  SecurityGroupList,
  SecurityGroupNotFound,
  SecurityGroupNotFoundForRule,
  SecurityGroupRule,
  SecurityGroupRuleList,
} from '../src/index.js';
import { makeInstance, MODES, useEnv, uuid } from './harness.js';

describe.each(MODES)('SecurityGroup membership and deletion (%s)', (mode) => {
  const env = useEnv(mode);

  async function group(name: string): Promise<SecurityGroup> {
    const g = new SecurityGroup({ name, description: name, project_id: 'project-1', user_id: 'user-1' }, env.ctx);
    await g.create();
    return g;
  }

  it('adds an instance to a group and removes it again', async () => {
    const inst = await makeInstance(env);
    const web = await group(`web-${uuid()}`);
    await web.addToInstance(inst.uuid);
    await web.addToInstance(inst.uuid);
    expect((await SecurityGroupList.getByInstance(env.ctx, inst.uuid)).map((g) => g.id)).toEqual([web.id]);
    expect(await web.inUse()).toBe(true);
    await web.removeFromInstance(inst.uuid);
    expect((await SecurityGroupList.getByInstance(env.ctx, inst.uuid)).length).toBe(0);
    expect(await web.inUse()).toBe(false);
  });

  it('deletes a rule; deleting it again is SecurityGroupNotFoundForRule', async () => {
    const g = await group(`db-${uuid()}`);
    const rule = new SecurityGroupRule({ protocol: 'tcp', from_port: 5432, to_port: 5432, cidr: '10.0.0.0/8', parent_group: g }, env.ctx);
    await rule.create();
    await rule.destroy();
    expect(rule.deleted).toBe(true);
    expect((await SecurityGroupRuleList.getBySecurityGroupId(env.ctx, g.id)).length).toBe(0);
    await expect(rule.destroy()).rejects.toBeInstanceOf(SecurityGroupNotFoundForRule);
  });

  it('deletes a group with its rules and memberships', async () => {
    const inst = await makeInstance(env);
    const g = await group(`gone-${uuid()}`);
    await new SecurityGroupRule({ protocol: 'udp', from_port: 53, to_port: 53, cidr: '0.0.0.0/0', parent_group: g }, env.ctx).create();
    await g.addToInstance(inst.uuid);
    await g.destroy();
    expect(g.deleted).toBe(true);
    await expect(SecurityGroup.getById(env.ctx, g.id)).rejects.toBeInstanceOf(SecurityGroupNotFound);
    expect((await SecurityGroupList.getByInstance(env.ctx, inst.uuid)).length).toBe(0);
    expect((await SecurityGroupRuleList.getBySecurityGroupId(env.admin, g.id)).length).toBe(0);
    if (mode === 'remote') expect(env.callNames()).toContain('SecurityGroup.destroy');
  });
});
