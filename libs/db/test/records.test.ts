import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { AgentBuildExists, AgentBuildNotFound, InstanceActionEventNotFound, InstanceActionNotFound, KeyPairExists, KeypairNotFound } from '../src/index.js';
import { describeBackends, rejection, uniq } from './support/backends.js';

describeBackends('faults, actions, key pairs and agents', ({ db, clock }) => {
  const api = () => db().api;

  it('records faults and finds the latest per instance', async () => {
    const a = randomUUID();
    const b = randomUUID();
    clock.set(new Date('2030-01-01T00:00:00Z'));
    await api().instance_fault_create({}, { instance_uuid: a, code: 500, message: 'first', details: 'tb', host: 'h' });
    clock.advance(5);
    const second = await api().instance_fault_create({}, { instance_uuid: a, code: 404, message: 'x'.repeat(300) });
    clock.set(null);
    expect(second.message).toHaveLength(255);
    const all = await api().instance_fault_get_by_instance_uuids({}, [a, b]);
    expect(all[a].map((f) => f.code)).toEqual([404, 500]);
    expect(all[b]).toEqual([]);
    expect((await api().instance_fault_get_latest_for_instance({}, a))?.code).toBe(404);
    expect(await api().instance_fault_get_latest_for_instance({}, b)).toBeNull();
    const inst = await api().instance_create({}, {});
    await api().instance_fault_create({}, { instance_uuid: inst.uuid, code: 500, message: 'boom' });
    expect((await api().instance_get_by_uuid({}, inst.uuid, { columnsToJoin: ['fault'] })).fault?.message).toBe('boom');
  });

  it('logs actions and events; an error event marks the action', async () => {
    const uuid = randomUUID();
    const req = `req-${randomUUID()}`;
    const action = await api().action_start({}, { action: 'reboot', instance_uuid: uuid, request_id: req, user_id: 'u', project_id: 'p' });
    expect(action.start_time).toBeInstanceOf(Date);
    expect(action.finish_time).toBeNull();
    const ev = await api().action_event_start({}, { event: 'compute_reboot_instance', instance_uuid: uuid, request_id: req, host: 'h1' });
    expect(ev.action_id).toBe(action.id);
    const done = await api().action_event_finish({}, { event: 'compute_reboot_instance', instance_uuid: uuid, request_id: req, result: 'Error', traceback: 'Traceback…' });
    expect(done.result).toBe('Error');
    expect(done.traceback).toBe('Traceback…');
    expect(done.finish_time).toBeInstanceOf(Date);
    expect((await api().action_get_by_request_id({}, uuid, req))?.message).toBe('Error');
    const fin = await api().action_finish({}, { instance_uuid: uuid, request_id: req });
    expect(fin.finish_time).toBeInstanceOf(Date);
    expect((await api().actions_get({}, uuid)).map((x) => x.id)).toEqual([action.id]);
    expect((await api().action_events_get({}, action.id)).map((x) => x.id)).toEqual([ev.id]);
    expect((await api().action_event_get_by_id({}, action.id, ev.id)).event).toBe('compute_reboot_instance');
    expect(await rejection(api().action_event_start({}, { event: 'e', instance_uuid: uuid, request_id: 'nope' }))).toBeInstanceOf(InstanceActionNotFound);
    expect(await rejection(api().action_event_finish({}, { event: 'nope', instance_uuid: uuid, request_id: req, result: 'Success' }))).toBeInstanceOf(InstanceActionEventNotFound);
  });

  it('keeps key pairs unique per user among live rows', async () => {
    const user = uniq('u');
    const kp = await api().key_pair_create({}, { name: 'k', user_id: user, fingerprint: 'fp', public_key: 'ssh-rsa AAA' });
    expect(await rejection(api().key_pair_create({}, { name: 'k', user_id: user }))).toBeInstanceOf(KeyPairExists);
    expect((await api().key_pair_get({}, user, 'k')).id).toBe(kp.id);
    expect(await api().key_pair_count_by_user({}, user)).toBe(1);
    expect((await api().key_pair_get_all_by_user({}, user)).length).toBe(1);
    await api().key_pair_destroy({}, user, 'k');
    const err = await rejection(api().key_pair_get({}, user, 'k'));
    expect(err).toBeInstanceOf(KeypairNotFound);
    expect(err.kwargs).toEqual({ user_id: user, name: 'k' });
    await api().key_pair_create({}, { name: 'k', user_id: user });
  });

  it('keeps agent builds by triple', async () => {
    const hv = uniq('qemu');
    const ag = await api().agent_build_create({}, { hypervisor: hv, os: 'linux', architecture: 'x86_64', version: '1.0', url: 'http://x', md5hash: 'abc' });
    expect(await rejection(api().agent_build_create({}, { hypervisor: hv, os: 'linux', architecture: 'x86_64' }))).toBeInstanceOf(AgentBuildExists);
    expect((await api().agent_build_get_by_triple({}, hv, 'linux', 'x86_64'))?.id).toBe(ag.id);
    expect(await api().agent_build_get_by_triple({}, hv, 'windows', 'x86_64')).toBeNull();
    expect((await api().agent_build_update({}, ag.id, { version: '2.0' })).version).toBe('2.0');
    expect((await api().agent_build_get_all({}, hv)).length).toBe(1);
    await api().agent_build_destroy({}, ag.id);
    expect(await rejection(api().agent_build_destroy({}, ag.id))).toBeInstanceOf(AgentBuildNotFound);
  });
});
