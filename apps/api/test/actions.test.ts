// POST /v2.1/servers/{id}/action, diagnostics, os-instance-actions and server migrations
// through HTTP: every action's state change, the 409s of wrong states and concurrent actions,
// and live migration with a named host or the scheduler's choice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeServer, eventually, http, startTestNode, TOKENS, type TestNode } from './harness.js';

describe('server actions', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode({ hosts: 2 });
  }, 60_000);
  afterAll(async () => node?.stop());

  const show = async (id: string) => (await http(node, 'GET', `/v2.1/servers/${id}`)).body.server;
  const act = (id: string, body: unknown, token?: string) => http(node, 'POST', `/v2.1/servers/${id}/action`, { body, ...(token ? { token } : {}) });
  const settled = (id: string, status: string) => eventually(`${status}`, () => show(id), (s) => s.status === status && s['OS-EXT-STS:task_state'] === null);

  it('stops, starts, pauses, unpauses, suspends, resumes and reboots (202 each, state follows)', async () => {
    const id = await activeServer(node);
    const steps: [unknown, string, number][] = [
      [{ 'os-stop': null }, 'SHUTOFF', 4],
      [{ 'os-start': null }, 'ACTIVE', 1],
      [{ pause: null }, 'PAUSED', 3],
      [{ unpause: {} }, 'ACTIVE', 1],
      [{ suspend: null }, 'SUSPENDED', 7],
      [{ resume: null }, 'ACTIVE', 1],
      [{ reboot: { type: 'SOFT' } }, 'ACTIVE', 1],
      [{ reboot: { type: 'HARD' } }, 'ACTIVE', 1],
    ];
    for (const [body, status, power] of steps) {
      const res = await act(id, body);
      expect(res.status, JSON.stringify(body)).toBe(202);
      expect(res.text).toBe('');
      const s = await settled(id, status);
      expect(s['OS-EXT-STS:power_state'], JSON.stringify(body)).toBe(power);
    }
    const actions = (await http(node, 'GET', `/v2.1/servers/${id}/os-instance-actions`)).body.instanceActions.map((a: { action: string }) => a.action);
    expect(actions).toEqual(['reboot', 'reboot', 'resume', 'suspend', 'unpause', 'pause', 'start', 'stop', 'create']);
  });

  it('refuses an action the state does not allow with 409 (starting a running server)', async () => {
    const id = await activeServer(node);
    const res = await act(id, { 'os-start': null });
    expect(res.status).toBe(409);
    expect(res.body.conflictingRequest.message).toBe(`Instance ${id} in vm_state active. Cannot start while the instance is in this state.`);
  });

  it('refuses a second action while the first runs with 409', async () => {
    const id = await activeServer(node);
    const host = (await show(id))['OS-EXT-SRV-ATTR:host'];
    node.driver(host).scenario.setDelay('powerOff', 300);
    const first = await act(id, { 'os-stop': null });
    const second = await act(id, { pause: null });
    node.driver(host).scenario.setDelay('powerOff', 0);
    expect(first.status).toBe(202);
    expect(second.status).toBe(409);
    expect(second.body.conflictingRequest.message).toMatch(/task_state powering-off/);
    await settled(id, 'SHUTOFF');
  });

  it('lets exactly one of two racing actions win (the other gets 409)', async () => {
    const id = await activeServer(node);
    const results = await Promise.all([act(id, { pause: null }), act(id, { suspend: null }), act(id, { 'os-stop': null })]);
    expect(results.map((r) => r.status).sort()).toEqual([202, 409, 409]);
  });

  it('refuses an unknown action, two actions, or bad arguments with 400', async () => {
    const id = await activeServer(node);
    const unknown = await act(id, { explode: null });
    expect(unknown.status).toBe(400);
    expect(unknown.body.badRequest.field).toBe('explode');
    const two = await act(id, { pause: null, suspend: null });
    expect(two.status).toBe(400);
    expect(two.body.badRequest.problem).toBe('exactly one action per request');
    const badType = await act(id, { reboot: { type: 'GENTLE' } });
    expect(badType.status).toBe(400);
    expect(badType.body.badRequest.field).toBe('reboot.type');
  });

  it('returns console output (200), limited to the last lines asked for', async () => {
    const id = await activeServer(node);
    const all = await act(id, { 'os-getConsoleOutput': { length: null } });
    expect(all.status).toBe(200);
    expect(typeof all.body.output).toBe('string');
    const tail = await act(id, { 'os-getConsoleOutput': { length: 1 } });
    expect(tail.body.output.split('\n').length).toBe(1);
  });

  it('returns diagnostics to admins (200) and refuses members (403); a stopped server is 409', async () => {
    const id = await activeServer(node);
    const diag = await http(node, 'GET', `/v2.1/servers/${id}/diagnostics`);
    expect(diag.status).toBe(200);
    expect(Object.keys(diag.body).length).toBeGreaterThan(0);
    expect((await http(node, 'GET', `/v2.1/servers/${id}/diagnostics`, { token: TOKENS.member })).status).toBe(403);
    await act(id, { 'os-stop': null });
    await settled(id, 'SHUTOFF');
    expect((await http(node, 'GET', `/v2.1/servers/${id}/diagnostics`)).status).toBe(409);
  });

  it('live-migrates to a named host (block_migration auto), recording the action and its events', async () => {
    const id = await activeServer(node, 'mover', { availability_zone: 'nova:compute-1' });
    const res = await act(id, { 'os-migrateLive': { host: 'compute-2', block_migration: 'auto' } });
    expect(res.status).toBe(202);
    const s = await eventually('on compute-2', () => show(id), (v) => v['OS-EXT-SRV-ATTR:host'] === 'compute-2' && v['OS-EXT-STS:task_state'] === null);
    expect(s.status).toBe('ACTIVE');
    const list = (await http(node, 'GET', `/v2.1/servers/${id}/os-instance-actions`)).body.instanceActions;
    const migration = list.find((a: { action: string }) => a.action === 'live-migration');
    expect(migration).toMatchObject({ instance_uuid: id, project_id: 'proj-a', user_id: 'alice' });
    const detail = await eventually(
      'events finished',
      () => http(node, 'GET', `/v2.1/servers/${id}/os-instance-actions/${migration.request_id}`),
      (r) => r.body.instanceAction.events.some((e: { event: string; result: string | null }) => e.event === 'compute_live_migration' && e.result === 'Success'),
    );
    expect(detail.body.instanceAction.events[0]).toHaveProperty('traceback');
    // The migration is over: nothing in progress.
    expect((await http(node, 'GET', `/v2.1/servers/${id}/migrations`)).body).toEqual({ migrations: [] });
  });

  it('lets the scheduler choose the destination (host null)', async () => {
    const id = await activeServer(node, 'wanderer', { availability_zone: 'nova:compute-2' });
    expect((await act(id, { 'os-migrateLive': { host: null, block_migration: 'auto' } })).status).toBe(202);
    await eventually('on compute-1', () => show(id), (v) => v['OS-EXT-SRV-ATTR:host'] === 'compute-1' && v['OS-EXT-STS:task_state'] === null);
  });

  it('answers pre-check refusals with 400 and leaves the server where it was', async () => {
    const id = await activeServer(node, 'stayer', { availability_zone: 'nova:compute-1' });
    const toSelf = await act(id, { 'os-migrateLive': { host: 'compute-1', block_migration: 'auto' } });
    expect(toSelf.status).toBe(400);
    expect(toSelf.body.badRequest.message).toMatch(/Unable to migrate instance/);
    // Local disks without a block migration: the source refuses.
    const noBlock = await act(id, { 'os-migrateLive': { host: 'compute-2', block_migration: false } });
    expect(noBlock.status).toBe(400);
    expect(noBlock.body.badRequest.message).toMatch(/shared instance storage/);
    const unknownHost = await act(id, { 'os-migrateLive': { host: 'compute-9', block_migration: 'auto' } });
    expect(unknownHost.status).toBe(404);
    const s = await show(id);
    expect(s['OS-EXT-SRV-ATTR:host']).toBe('compute-1');
    expect(s['OS-EXT-STS:task_state']).toBeNull();
  });

  it('refuses live migration to members (403) and of a stopped server (409)', async () => {
    const id = await activeServer(node);
    expect((await act(id, { 'os-migrateLive': { host: null } }, TOKENS.member)).status).toBe(403);
    await act(id, { 'os-stop': null });
    await settled(id, 'SHUTOFF');
    expect((await act(id, { 'os-migrateLive': { host: null } })).status).toBe(409);
  });

  it('shows a live migration in progress under /migrations', async () => {
    const id = await activeServer(node, 'slow-mover', { availability_zone: 'nova:compute-1' });
    node.driver('compute-1').scenario.setDelay('liveMigration', 600);
    expect((await act(id, { 'os-migrateLive': { host: 'compute-2' } })).status).toBe(202);
    const during = await eventually('a migration in progress', () => http(node, 'GET', `/v2.1/servers/${id}/migrations`), (r) => r.body.migrations.length === 1);
    node.driver('compute-1').scenario.setDelay('liveMigration', 0);
    expect(during.body.migrations[0]).toMatchObject({ server_uuid: id, source_compute: 'compute-1', dest_compute: 'compute-2', memory_total_bytes: null });
    expect(['preparing', 'running']).toContain(during.body.migrations[0].status);
    await eventually('moved', () => show(id), (v) => v['OS-EXT-SRV-ATTR:host'] === 'compute-2' && v['OS-EXT-STS:task_state'] === null);
  });

  it('answers 404 for the actions of an unknown server and for an unknown request id', async () => {
    const id = await activeServer(node);
    expect((await http(node, 'GET', '/v2.1/servers/6f1f6b2e-0000-4000-8000-000000000000/os-instance-actions')).status).toBe(404);
    expect((await http(node, 'GET', `/v2.1/servers/${id}/os-instance-actions/req-nope`)).status).toBe(404);
  });
});
