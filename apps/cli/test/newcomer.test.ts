// The newcomer's path: the README's run command (`npm start`, i.e. `novakit up`) brings the
// API up, its health check answering, within two minutes. Run here as npm runs it, from the
// repository root, on a free port and a temp data directory; stopped with Ctrl-C.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiUrlOf, REPO_ROOT, start, type Running } from './child.js';

describe('npm start (the README run command)', () => {
  let dir: string | undefined;
  let npm: Running | undefined;
  afterAll(async () => {
    await npm?.interrupt(10_000);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('brings the API up (GET /healthz answers) within two minutes', async () => {
    dir = await mkdtemp(join(tmpdir(), 'novakit-newcomer-'));
    const began = Date.now();
    // Its own process group: npm runs a shell that runs node; Ctrl-C goes to all three.
    npm = start('npm', ['start', '--', '--port', '0', '--data-dir', join(dir, 'data'), '--no-user-config'], { cwd: REPO_ROOT, env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'xdg') }, group: true });
    const banner = await npm.waitFor('Ctrl-C stops it.', 120_000);
    const url = apiUrlOf(banner);
    let health: Response | null = null;
    while (Date.now() - began < 120_000) {
      health = await fetch(`${url}/healthz`).catch(() => null);
      if (health?.ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(health?.status).toBe(200);
    expect(await health!.json()).toEqual({ status: 'ok', api: 'v2.1' });
    expect(Date.now() - began).toBeLessThan(120_000);
    const stopped = await npm.interrupt();
    expect(stopped.out).toContain('novakit stopped');
  }, 180_000);
});
