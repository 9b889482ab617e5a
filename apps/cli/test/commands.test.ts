// Every operator command against `novakit up` running in this process: what it prints for
// people, its --json document, and the exit code of each kind of failure.
import { join } from 'node:path';
import type { FakeDriver } from '@novakit/virt-fake';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upInProcess, type InProcessNode } from './harness.js';

describe('novakit commands', () => {
  let n: InProcessNode;
  beforeAll(async () => {
    n = await upInProcess(2);
  });
  afterAll(async () => {
    expect(await n?.stop()).toBe(0);
  });

  const ok = async (...args: string[]) => {
    const r = await n.run(...args);
    expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
    return r;
  };

  it('prints where the API listens and how to use the CLI', () => {
    expect(n.banner).toContain(`novakit is up: API ${n.node.api.url}/v2.1`);
    expect(n.banner).toContain('computes: compute-1, compute-2 (fake driver)');
    expect(n.banner).toContain('npx novakit server create demo --flavor m1.tiny --wait');
    expect(n.banner).toContain('Ctrl-C stops it.');
  });

  it('lists and creates flavors', async () => {
    expect((await ok('flavor', 'list')).out).toMatch(/^ID\s+Name\s+RAM \(MB\)[\s\S]*m1\.nano\s+64[\s\S]*m1\.xlarge/);
    const created = await ok('--json', 'flavor', 'create', 'c1.test', '--ram', '256', '--vcpus', '1', '--disk', '1', '--id', 'c1');
    expect(created.json).toMatchObject({ id: 'c1', name: 'c1.test', ram: 256 });
    expect((await n.run('flavor', 'create', 'c1.test', '--ram', '256', '--vcpus', '1', '--disk', '1', '--id', 'c1')).code).toBe(6);
    expect((await n.run('flavor', 'create', 'x', '--ram', 'lots', '--vcpus', '1', '--disk', '1')).code).toBe(2);
  });

  it('creates, lists, shows, powers and deletes servers', async () => {
    const created = await ok('--json', 'server', 'create', 'cmd-vm', '--flavor', 'm1.tiny', '--host', 'compute-1', '--wait');
    expect(created.json).toMatchObject({ name: 'cmd-vm', status: 'ACTIVE', 'OS-EXT-SRV-ATTR:host': 'compute-1' });
    const id = created.json.id as string;
    expect((await ok('server', 'list')).out).toMatch(new RegExp(`${id}\\s+cmd-vm\\s+ACTIVE\\s+RUNNING\\s+compute-1`));
    expect((await ok('server', 'show', 'cmd-vm')).out).toMatch(/^id\s+[0-9a-f-]{36}\nname\s+cmd-vm\nstatus\s+ACTIVE/);
    for (const [verb, status] of [
      ['stop', 'SHUTOFF'],
      ['start', 'ACTIVE'],
      ['pause', 'PAUSED'],
      ['unpause', 'ACTIVE'],
      ['suspend', 'SUSPENDED'],
      ['resume', 'ACTIVE'],
      ['reboot', 'ACTIVE'],
    ]) {
      expect((await ok('--json', 'server', verb!, 'cmd-vm', '--wait')).json.status, verb).toBe(status);
    }
    expect((await ok('--json', 'server', 'reboot', id, '--hard', '--wait')).json.status).toBe('ACTIVE');
    expect((await ok('--json', 'server', 'list', '--status', 'ACTIVE', '--name', 'cmd-')).json.map((s: { id: string }) => s.id)).toEqual([id]);
    expect((await ok('server', 'diagnostics', 'cmd-vm')).out.length).toBeGreaterThan(0);
    expect((await ok('--json', 'server', 'console', 'cmd-vm', '--lines', '2')).json.output.split('\n').length).toBeLessThanOrEqual(2);
    const actions = await ok('server', 'actions', 'cmd-vm');
    expect(actions.out).toMatch(/reboot[\s\S]*compute_reboot_instance\s+\S+\s+Success\s+compute-1[\s\S]*create/);
    expect((await ok('server', 'delete', 'cmd-vm', '--wait')).out).toBe(`deleted server ${id}\n`);
    expect((await n.run('server', 'show', id)).code).toBe(5);
  });

  it('creates, attaches, lists, detaches and deletes volumes', async () => {
    await ok('server', 'create', 'vol-vm', '--flavor', '1', '--wait');
    const v = await ok('--json', 'volume', 'create', 'vol-a', '--size', '1');
    expect(v.json).toMatchObject({ displayName: 'vol-a', size: 1, status: 'available' });
    expect((await ok('server', 'volume', 'attach', 'vol-vm', 'vol-a')).out).toMatch(/^attached volume [0-9a-f-]{36} to server [0-9a-f-]{36} as \/dev\/vdb\n$/);
    expect((await ok('server', 'volume', 'list', 'vol-vm')).out).toMatch(new RegExp(`${v.json.id}\\s+/dev/vdb`));
    expect((await ok('volume', 'list')).out).toMatch(/vol-a\s+1\s+in-use/);
    expect((await n.run('volume', 'delete', 'vol-a')).code).toBe(6);
    await ok('server', 'volume', 'detach', 'vol-vm', 'vol-a');
    for (let i = 0; i < 100 && (await ok('--json', 'volume', 'show', 'vol-a')).json.status !== 'available'; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await ok('volume', 'delete', 'vol-a')).out).toBe(`deleted volume ${v.json.id}\n`);
    expect((await n.run('volume', 'show', 'vol-a')).code).toBe(5);
  });

  it('live-migrates with a progress bar, and reports a rolled-back migration with exit 9', async () => {
    await ok('server', 'create', 'mig-vm', '--flavor', '1', '--host', 'compute-1', '--wait');
    const moved = await ok('server', 'migrate', 'mig-vm', '--live', '--host', 'compute-2');
    expect(moved.err).toMatch(/migrating mig-vm \[.*\]/);
    expect(moved.err).toContain('migrated mig-vm from compute-1 to compute-2');
    expect(moved.out).toMatch(/host\s+compute-2/);
    const back = await ok('--json', 'server', 'migrate', 'mig-vm', '--live');
    expect(back.json).toMatchObject({ 'OS-EXT-SRV-ATTR:host': 'compute-1', migrated_from: 'compute-2' });
    const source = n.node.computes.find((c) => c.host === 'compute-1')!.driver as FakeDriver;
    source.scenario.setFailure('liveMigration', { times: 1 });
    const failed = await n.run('server', 'migrate', 'mig-vm', '--live', '--host', 'compute-2');
    expect(failed.code).toBe(9);
    expect(failed.err).toMatch(/did not complete: it is ACTIVE on compute-1/);
    expect((await n.run('server', 'migrate', 'mig-vm')).code).toBe(2);
  });

  it('operates services and hypervisors', async () => {
    expect((await ok('service', 'list')).out).toMatch(/nova-compute\s+compute-2\s+nova\s+enabled\s+up/);
    expect((await ok('service', 'disable', 'compute-2', '--reason', 'maintenance')).out).toBe('nova-compute on compute-2 is disabled\n');
    expect((await ok('--json', 'service', 'list', '--host', 'compute-2')).json[0]).toMatchObject({ status: 'disabled', disabled_reason: 'maintenance' });
    expect((await ok('service', 'enable', 'compute-2')).out).toBe('nova-compute on compute-2 is enabled\n');
    expect((await n.run('service', 'enable', 'nowhere')).code).toBe(5);
    expect((await ok('hypervisor', 'list')).out).toMatch(/compute-1\s+fake\s+up\s+enabled/);
    expect((await ok('--json', 'hypervisor', 'show', 'compute-2')).json).toMatchObject({ hypervisor_hostname: 'compute-2', state: 'up' });
  });

  it('manages security groups and their rules, and a server’s groups', async () => {
    const g = await ok('--json', 'secgroup', 'create', 'web', '--description', 'http');
    const rule = await ok('--json', 'secgroup', 'rule', 'create', 'web', '--protocol', 'tcp', '--port', '80:81');
    expect(rule.json).toMatchObject({ ip_protocol: 'tcp', from_port: 80, to_port: 81, ip_range: { cidr: '0.0.0.0/0' } });
    expect((await ok('secgroup', 'list')).out).toMatch(/web\s+http\s+tcp 80-81 from 0\.0\.0\.0\/0/);
    const ssh = (await ok('secgroup', 'rule', 'create', 'web', '--protocol', 'tcp', '--port', '22', '--from-group', 'web')).out;
    expect(ssh).toMatch(/^rule \d+: tcp 22 from web\n$/);
    const icmp = await ok('--json', 'secgroup', 'rule', 'create', 'web', '--protocol', 'icmp');
    expect(icmp.json).toMatchObject({ ip_protocol: 'icmp', from_port: -1, to_port: -1 });
    const shown = (await ok('secgroup', 'show', 'web')).out;
    expect(shown).toMatch(/\btcp\s+80-81\s+0\.0\.0\.0\/0/);
    expect(shown).toMatch(/\btcp\s+22\s+web/);
    expect(shown).toMatch(/\bicmp\s+-1\s+0\.0\.0\.0\/0/);
    expect(shown).not.toContain('null');
    await ok('secgroup', 'rule', 'delete', /^rule (\d+)/.exec(ssh)![1]!);
    await ok('secgroup', 'rule', 'delete', String(icmp.json.id));
    await ok('server', 'create', 'sg-vm', '--flavor', '1', '--wait');
    expect((await ok('server', 'secgroup', 'add', 'sg-vm', 'web')).out).toMatch(/^added security group web to server/);
    expect((await ok('--json', 'server', 'show', 'sg-vm')).json.security_groups.map((x: { name: string }) => x.name).sort()).toEqual(['default', 'web']);
    expect((await n.run('secgroup', 'delete', 'web')).code).toBe(6);
    await ok('server', 'secgroup', 'remove', 'sg-vm', 'web');
    await ok('secgroup', 'rule', 'delete', String(rule.json.id));
    expect((await ok('--json', 'secgroup', 'show', String(g.json.id))).json.rules).toEqual([]);
    await ok('secgroup', 'delete', 'web');
    expect((await n.run('secgroup', 'show', 'web')).code).toBe(5);
  });

  it('exits with codes that say what failed', async () => {
    expect((await n.run('server', 'show', 'no-such-server')).code).toBe(5);
    const created = await ok('--json', 'server', 'create', 'codes-vm', '--flavor', '1', '--wait');
    const conflict = await n.run('server', 'start', 'codes-vm');
    expect(conflict.code).toBe(6);
    expect(conflict.err).toMatch(/^novakit: Instance .* in vm_state active\. Cannot start while the instance is in this state\.\n$/);
    expect((await n.run('server', 'create', 'x', '--flavor', 'no-such-flavor')).code).toBe(5);
    expect((await n.run('server', 'volume', 'attach', created.json.id, '6f1f6b2e-0000-4000-8000-000000000000', '--device', 'sdb')).code).toBe(7);
    expect((await n.run('--token', 'wrong-token-0123456789', 'server', 'list')).code).toBe(4);
    expect((await n.run('--url', 'http://127.0.0.1:9', 'server', 'list')).code).toBe(3);
    expect((await n.run('server', 'frobnicate')).code).toBe(2);
    expect((await n.run('--help')).code).toBe(0);
    expect((await n.run()).code).toBe(2);
  });

  it('up refuses a log file it cannot open before starting anything', async () => {
    const missing = join(n.dir, 'no-such-dir', 'novakit.log');
    const r = await n.run('up', '--data-dir', join(n.dir, 'other-node'), '--port', '0', '--log-file', missing);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cannot open the log file ${missing}`);
    expect(r.out).toBe('');
  });
});
