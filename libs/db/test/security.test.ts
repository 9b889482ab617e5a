import { expect, it } from 'vitest';
import { SecurityGroupExists, SecurityGroupNotFound, SecurityGroupNotFoundForProject, SecurityGroupNotFoundForRule } from '../src/index.js';
import { describeBackends, rejection, uniq } from './support/backends.js';

describeBackends('security groups and firewall rules', ({ db }) => {
  const api = () => db().api;

  it('creates groups, refuses duplicates per project, ensures one default', async () => {
    const project = uniq('p');
    const web = await api().security_group_create({}, { name: 'web', description: 'w', project_id: project, user_id: 'u' });
    expect(await rejection(api().security_group_create({}, { name: 'web', project_id: project }))).toBeInstanceOf(SecurityGroupExists);
    await api().security_group_create({}, { name: 'web', project_id: uniq('other') });
    const [d1, d2] = await Promise.all([
      api().security_group_ensure_default({}, { project_id: project, user_id: 'u' }),
      api().security_group_ensure_default({}, { project_id: project, user_id: 'u' }),
    ]);
    expect(d1.id).toBe(d2.id);
    expect((await api().security_group_get_by_project({}, project)).map((g) => g.name).sort()).toEqual(['default', 'web']);
    expect((await api().security_group_get_by_name({}, project, 'web')).id).toBe(web.id);
    expect(await rejection(api().security_group_get_by_name({}, project, 'db'))).toBeInstanceOf(SecurityGroupNotFoundForProject);
    const renamed = await api().security_group_update({}, web.id, { description: 'web tier' });
    expect(renamed.description).toBe('web tier');
  });

  it('tracks instance membership and rules with joined groups', async () => {
    const project = uniq('p');
    const web = await api().security_group_create({}, { name: 'web', project_id: project });
    const lb = await api().security_group_create({}, { name: 'lb', project_id: project });
    const inst = await api().instance_create({}, { project_id: project, security_groups: ['web'] });
    await api().instance_add_security_group({}, inst.uuid, lb.id);
    await api().instance_add_security_group({}, inst.uuid, lb.id);
    expect((await api().security_group_get_by_instance({}, inst.uuid)).map((g) => g.name)).toEqual(['web', 'lb']);
    expect((await api().instance_get_all_by_security_group_id({}, lb.id, { columnsToJoin: [] })).map((i) => i.uuid)).toEqual([inst.uuid]);
    expect(await api().security_group_in_use({}, web.id)).toBe(true);

    const cidr = await api().security_group_rule_create({}, { parent_group_id: web.id, protocol: 'tcp', from_port: 80, to_port: 80, cidr: '0.0.0.0/0' });
    const grant = await api().security_group_rule_create({}, { parent_group_id: web.id, protocol: 'tcp', from_port: 8080, to_port: 8080, group_id: lb.id });
    expect(cidr.parent_group?.name).toBe('web');
    expect(cidr.grantee_group).toBeNull();
    const rules = await api().security_group_rule_get_by_security_group({}, web.id);
    expect(rules.map((r) => r.id)).toEqual([cidr.id, grant.id]);
    expect(rules[1].grantee_group?.name).toBe('lb');
    expect((await api().security_group_rule_get_by_security_group_grantee({}, lb.id)).map((r) => r.id)).toEqual([grant.id]);
    expect((await api().security_group_rule_get_by_instance({}, inst.uuid)).length).toBe(2);

    await api().instance_remove_security_group({}, inst.uuid, lb.id);
    expect((await api().security_group_get_by_instance({}, inst.uuid)).map((g) => g.name)).toEqual(['web']);
    await api().security_group_destroy({}, lb.id);
    expect(await rejection(api().security_group_get({}, lb.id))).toBeInstanceOf(SecurityGroupNotFound);
    expect(await rejection(api().security_group_rule_get({}, grant.id))).toBeInstanceOf(SecurityGroupNotFoundForRule);
    await api().security_group_rule_destroy({}, cidr.id);
    expect(await api().security_group_rule_get_by_security_group({}, web.id)).toEqual([]);
  });

  it('lists the rules of many groups in one call, in id order, with their groups joined', async () => {
    const project = uniq('p');
    const [web, db, lb, empty] = await Promise.all(['web', 'db', 'lb', 'empty'].map((name) => api().security_group_create({}, { name, project_id: project })));
    const rule = (parent: number, port: number, grantee?: number) =>
      api().security_group_rule_create({}, { parent_group_id: parent, protocol: 'tcp', from_port: port, to_port: port, ...(grantee ? { group_id: grantee } : { cidr: '0.0.0.0/0' }) });
    const w1 = await rule(web!.id, 80);
    const d1 = await rule(db!.id, 5432, web!.id);
    const w2 = await rule(web!.id, 443, lb!.id);
    const gone = await rule(db!.id, 3306);
    await api().security_group_rule_destroy({}, gone.id);
    const ids = async (ctx: { readDeleted?: 'yes' }, groups: number[]) => (await api().security_group_rule_get_by_security_groups(ctx, groups)).map((r) => r.id);
    expect(await ids({}, [db!.id, web!.id, empty!.id, 999_999_999, web!.id])).toEqual([w1.id, d1.id, w2.id]);
    expect(await api().security_group_rule_get_by_security_groups({}, [web!.id])).toEqual(await api().security_group_rule_get_by_security_group({}, web!.id));
    expect(await api().security_group_rule_get_by_security_groups({}, [db!.id])).toEqual(await api().security_group_rule_get_by_security_group({}, db!.id));
    expect(await ids({ readDeleted: 'yes' }, [db!.id])).toEqual([d1.id, gone.id]);
    expect(await ids({}, [])).toEqual([]);
    // More ids than any backend binds in one statement (SQLite 32766, PostgreSQL 65535).
    const many = Array.from({ length: 70_000 }, (_, i) => 2_000_000_000 - i);
    many[0] = db!.id;
    many[40_000] = web!.id;
    expect(await ids({}, many)).toEqual([w1.id, d1.id, w2.id]);
  });

  it('keeps provider firewall rules', async () => {
    const before = (await api().provider_fw_rule_get_all({})).length;
    const r = await api().provider_fw_rule_create({}, { protocol: 'tcp', from_port: 22, to_port: 22, cidr: '10.0.0.0/8' });
    expect((await api().provider_fw_rule_get_all({})).length).toBe(before + 1);
    await api().provider_fw_rule_destroy({}, r.id);
    expect((await api().provider_fw_rule_get_all({})).length).toBe(before);
    expect((await rejection(api().provider_fw_rule_destroy({}, r.id))).name).toBe('ProviderFwRuleNotFound');
  });
});
