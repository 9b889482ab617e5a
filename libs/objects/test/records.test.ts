import { describe, expect, it } from 'vitest';
import {
  Agent,
  AgentBuildExists,
  FixedIP,
  FixedIpAlreadyInUse,
  FixedIPList,
  FixedIpNotFoundForInstance,
  InstanceAction,
  InstanceActionEvent,
  InstanceActionEventList,
  InstanceActionList,
  InstanceActionNotFound,
  InstanceFault,
  InstanceFaultList,
  KeyPair,
  KeyPairExists,
  KeyPairList,
  KeypairNotFound,
  NoMoreFixedIps,
} from '../src/index.js';
import { makeInstance, MODES, useEnv, uuid } from './harness.js';

describe.each(MODES)('InstanceFault (%s)', (mode) => {
  const env = useEnv(mode);

  it('creates faults; the latest is found, and all of several instances', async () => {
    const a = await makeInstance(env);
    const b = await makeInstance(env);
    expect(await InstanceFault.getLatestForInstance(env.ctx, a.uuid)).toBeNull();
    const first = new InstanceFault({ instance_uuid: a.uuid, code: 500, message: 'first', details: 'Traceback…', host: 'host-a' }, env.ctx);
    await first.create();
    expect(first.id).toBeGreaterThan(0);
    await new InstanceFault({ instance_uuid: a.uuid, code: 404, message: 'second' }, env.ctx).create();
    await new InstanceFault({ instance_uuid: b.uuid, code: 500, message: 'other' }, env.ctx).create();
    expect((await InstanceFault.getLatestForInstance(env.ctx, a.uuid))!.message).toBe('second');
    const all = await InstanceFaultList.getByInstanceUuids(env.ctx, [a.uuid, b.uuid]);
    expect(all.map((f) => `${f.instance_uuid === a.uuid ? 'a' : 'b'}:${f.message}`)).toEqual(['a:second', 'a:first', 'b:other']);
  });

  it('truncates a long message but keeps the details (Nova’s columns)', async () => {
    const inst = await makeInstance(env);
    const fault = new InstanceFault({ instance_uuid: inst.uuid, code: 500, message: 'x'.repeat(300), details: 'y'.repeat(3000) }, env.ctx);
    await fault.create();
    expect(fault.message!.length).toBe(255);
    expect(fault.details!.length).toBe(3000);
  });
});

describe.each(MODES)('InstanceAction and InstanceActionEvent (%s)', (mode) => {
  const env = useEnv(mode);

  it('records an action for the caller’s request and its events, success and failure', async () => {
    const inst = await makeInstance(env);
    const ctx = env.context({ request_id: `req-${uuid()}`, user_id: 'alice', project_id: 'proj-a' });
    const action = await InstanceAction.actionStart(ctx, inst.uuid, 'reboot');
    expect(action).toMatchObject({ action: 'reboot', request_id: ctx.request_id, user_id: 'alice', project_id: 'proj-a' });
    expect(action!.start_time!.getTime()).toBe(Math.floor(ctx.timestamp.getTime() / 1000) * 1000);

    const ev = await InstanceActionEvent.eventStart(ctx, inst.uuid, 'compute_reboot_instance', { host: 'host-a' });
    expect(ev).toMatchObject({ event: 'compute_reboot_instance', action_id: action!.id, host: 'host-a', result: null });
    const ok = await InstanceActionEvent.eventFinish(ctx, inst.uuid, 'compute_reboot_instance');
    expect(ok!.result).toBe('Success');
    expect(ok!.finish_time).toBeInstanceOf(Date);

    await InstanceActionEvent.eventStart(ctx, inst.uuid, 'compute_power_on', { wantResult: false });
    const failed = await InstanceActionEvent.eventFinishWithFailure(ctx, inst.uuid, 'compute_power_on', { excVal: 'boom', excTb: 'Error: boom\n    at x' });
    expect(failed).toMatchObject({ result: 'Error', traceback: 'Error: boom\n    at x' });

    expect(await InstanceAction.actionFinish(ctx, inst.uuid, { wantResult: false })).toBeNull();
    const stored = (await InstanceAction.getByRequestId(env.ctx, inst.uuid, ctx.request_id))!;
    expect(stored.finish_time).toBeInstanceOf(Date);
    // A failed event marks its action as failed.
    expect(stored.message).toBe('Error');

    const events = await InstanceActionEventList.getByAction(env.ctx, stored.id);
    expect(events.map((e) => [e.event, e.result])).toEqual([
      ['compute_power_on', 'Error'],
      ['compute_reboot_instance', 'Success'],
    ]);
    expect((await InstanceActionEvent.getById(env.ctx, stored.id, events.at(1)!.id)).event).toBe('compute_reboot_instance');
    expect((await InstanceActionList.getByInstanceUuid(env.ctx, inst.uuid)).map((a) => a.action)).toEqual(['reboot']);
  });

  it('an event without an action of the request is refused; finish() closes the action', async () => {
    const inst = await makeInstance(env);
    const ctx = env.context({ request_id: `req-${uuid()}` });
    await expect(InstanceActionEvent.eventStart(ctx, inst.uuid, 'compute_stop_instance')).rejects.toThrow(InstanceActionNotFound);
    const action = (await InstanceAction.actionStart(ctx, inst.uuid, 'stop'))!;
    expect(action.finish_time).toBeNull();
    await action.finish();
    expect(action.finish_time).toBeInstanceOf(Date);
    expect(action.obj_has_changes()).toBe(false);
    expect(await InstanceAction.getByRequestId(env.ctx, inst.uuid, 'req-unknown')).toBeNull();
  });
});

describe.each(MODES)('KeyPair (%s)', (mode) => {
  const env = useEnv(mode);

  it('creates, finds, counts, lists and destroys per user', async () => {
    const user = `u-${uuid()}`;
    const kp = new KeyPair({ name: 'ops', user_id: user, fingerprint: 'aa:bb', public_key: 'ssh-ed25519 AAAA ops' }, env.ctx);
    await kp.create();
    await new KeyPair({ name: 'dev', user_id: user, public_key: 'ssh-ed25519 BBBB dev' }, env.ctx).create();
    await expect(new KeyPair({ name: 'ops', user_id: user }, env.ctx).create()).rejects.toThrow(KeyPairExists);
    expect((await KeyPair.getByName(env.ctx, user, 'ops')).fingerprint).toBe('aa:bb');
    expect(await KeyPairList.getCountByUser(env.ctx, user)).toBe(2);
    expect((await KeyPairList.getByUser(env.ctx, user)).map((k) => k.name).sort()).toEqual(['dev', 'ops']);
    await kp.destroy();
    await KeyPair.destroyByName(env.ctx, user, 'dev');
    await expect(KeyPair.getByName(env.ctx, user, 'ops')).rejects.toThrow(KeypairNotFound);
    expect(await KeyPairList.getCountByUser(env.ctx, user)).toBe(0);
  });
});

describe.each(MODES)('FixedIP (%s)', (mode) => {
  const env = useEnv(mode);

  async function network(prefix: string): Promise<number> {
    const net = await env.db.network_create({}, { label: `net-${prefix}`, cidr: `${prefix}.0/24` });
    for (const last of [10, 11]) await env.db.fixed_ip_create({}, { address: `${prefix}.${last}`, network_id: net.id });
    return net.id;
  }

  it('associates addresses to an instance, lists them, and disassociates', async () => {
    const netId = await network('10.1.1');
    const inst = await makeInstance(env, { display_name: 'addressed' });
    await expect(FixedIPList.getByInstanceUuid(env.ctx, inst.uuid)).rejects.toThrow(FixedIpNotFoundForInstance);
    const ip = await FixedIP.associate(env.ctx, '10.1.1.10', inst.uuid, { networkId: netId });
    expect(ip.instance_uuid).toBe(inst.uuid);
    await expect(FixedIP.associate(env.ctx, '10.1.1.10', (await makeInstance(env)).uuid)).rejects.toThrow(FixedIpAlreadyInUse);
    const pooled = await FixedIP.associatePool(env.ctx, netId, inst.uuid, 'host-a');
    expect(pooled.address).toBe('10.1.1.11');
    await expect(FixedIP.associatePool(env.ctx, netId, inst.uuid)).rejects.toThrow(NoMoreFixedIps);
    expect((await FixedIPList.getByInstanceUuid(env.ctx, inst.uuid)).map((i) => i.address)).toEqual(['10.1.1.10', '10.1.1.11']);

    const joined = await FixedIP.getByAddress(env.ctx, '10.1.1.10', { expectedAttrs: ['instance'] });
    expect(joined.instance!.display_name).toBe('addressed');
    const lazy = await FixedIP.getById(env.ctx, ip.id);
    await lazy.obj_load_attr('instance');
    expect(lazy.instance!.uuid).toBe(inst.uuid);

    lazy.leased = true;
    await lazy.save();
    expect((await FixedIP.getById(env.admin, ip.id)).leased).toBe(true);
    await lazy.disassociate();
    expect(lazy.instance_uuid).toBeNull();
    expect((await FixedIP.getById(env.admin, ip.id)).instance_uuid).toBeNull();
  });

  it('creates an address', async () => {
    const ip = new FixedIP({ address: '2001:DB8::20', reserved: true }, env.ctx);
    await ip.create();
    expect((await FixedIP.getByAddress(env.ctx, '2001:db8::20')).reserved).toBe(true);
  });
});

describe.each(MODES)('Agent (%s)', (mode) => {
  const env = useEnv(mode);

  it('creates one build per triple, finds it, saves and destroys it', async () => {
    const hv = `hv-${uuid()}`;
    expect(await Agent.getByTriple(env.ctx, hv, 'linux', 'x86_64')).toBeNull();
    const agent = new Agent({ hypervisor: hv, os: 'linux', architecture: 'x86_64', version: '1.0', url: 'http://x/a', md5hash: 'abc' }, env.ctx);
    await agent.create();
    await expect(new Agent({ hypervisor: hv, os: 'linux', architecture: 'x86_64' }, env.ctx).create()).rejects.toThrow(AgentBuildExists);
    agent.version = '1.1';
    await agent.save();
    expect((await Agent.getByTriple(env.ctx, hv, 'linux', 'x86_64'))!.version).toBe('1.1');
    await agent.destroy();
    expect(await Agent.getByTriple(env.ctx, hv, 'linux', 'x86_64')).toBeNull();
  });
});
