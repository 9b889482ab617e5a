// The two-minute tour as a user runs it: `novakit up --hosts 2` as a child process on a temp
// data directory and a free port; the CLI (separate processes, finding the node through the
// config file `up` wrote) creates a server, attaches a volume, live-migrates the server to the
// other host and shows its actions; Ctrl-C stops the node cleanly; started again on the same
// data directory it has the same servers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiUrlOf, novakit, novakitArgs, start, type Running } from './child.js';

describe('novakit up --hosts 2 and the tour, end to end', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const running: Running[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'novakit-e2e-'));
    // The user-level config goes to the temp dir too: the test never touches the real home.
    env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'xdg') };
    delete env.NOVAKIT_URL;
    delete env.NOVAKIT_TOKEN;
  });
  afterAll(async () => {
    for (const r of running) await r.interrupt(10_000);
    await rm(dir, { recursive: true, force: true });
  });

  const up = async (): Promise<Running> => {
    const r = start(process.execPath, novakitArgs(['up', '--hosts', '2', '--port', '0', '--log-level', 'warn']), { cwd: dir, env });
    running.push(r);
    await r.waitFor('Ctrl-C stops it.', 90_000);
    return r;
  };
  const cli = async (...args: string[]) => {
    const r = await novakit(args, { cwd: dir, env });
    expect(r.code, `novakit ${args.join(' ')}\n${r.out}\n${r.err}`).toBe(0);
    return r;
  };

  it('runs the tour, stops on Ctrl-C, and comes back with the same servers', async () => {
    const first = await up();
    const url = apiUrlOf(first.output());
    expect(first.output()).toContain('computes: compute-1, compute-2 (fake driver)');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const created = await cli('--json', 'server', 'create', 'demo', '--flavor', 'm1.tiny', '--host', 'compute-1', '--wait');
    expect(created.json).toMatchObject({ name: 'demo', status: 'ACTIVE', 'OS-EXT-SRV-ATTR:host': 'compute-1' });
    const id = created.json.id as string;

    const vol = await cli('--json', 'volume', 'create', 'data', '--size', '1');
    expect((await cli('server', 'volume', 'attach', 'demo', 'data')).out).toBe(`attached volume ${vol.json.id} to server ${id} as /dev/vdb\n`);

    const migrated = await cli('server', 'migrate', 'demo', '--live');
    expect(migrated.err).toContain('migrated demo from compute-1 to compute-2');
    expect(migrated.out).toMatch(/host\s+compute-2/);

    const actions = await cli('server', 'actions', 'demo');
    expect(actions.out.split('\n').filter((l) => /^\S/.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(['Action', '--------------------------------------------', 'live-migration', 'attach_volume', 'create']);
    expect(actions.out).toMatch(/compute_live_migration\s+\S+\s+Success\s+compute-1/);

    const shown = (await cli('--json', 'server', 'show', 'demo')).json;
    expect(shown).toMatchObject({ id, status: 'ACTIVE', 'OS-EXT-SRV-ATTR:host': 'compute-2', 'os-extended-volumes:volumes_attached': [{ id: vol.json.id }] });
    expect((await cli('--json', 'volume', 'show', 'data')).json).toMatchObject({ status: 'in-use', attachments: [{ serverId: id, device: '/dev/vdb' }] });

    const stopped = await first.interrupt();
    expect(stopped.code).toBe(0);
    expect(stopped.out).toContain('novakit stopped');
    expect((await novakit(['server', 'list'], { cwd: dir, env })).code).toBe(3);

    const second = await up();
    expect(apiUrlOf(second.output())).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const list = (await cli('--json', 'server', 'list')).json;
    expect(list.map((s: { id: string }) => s.id)).toEqual([id]);
    expect(list[0]).toMatchObject({ name: 'demo', 'OS-EXT-SRV-ATTR:host': 'compute-2', 'os-extended-volumes:volumes_attached': [{ id: vol.json.id }] });
    expect((await cli('--json', 'server', 'show', 'demo')).json.status).toBe('ACTIVE');
    expect((await second.interrupt()).code).toBe(0);
  }, 300_000);
});
