import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configCandidates, resolveTarget, writeCliConfig } from './config.js';

describe('CLI config resolution', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'novakit-clicfg-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('looks in ./.novakit then the user config, unless told where', () => {
    expect(configCandidates({ XDG_CONFIG_HOME: '/x' }, '/w')).toEqual(['/w/.novakit/cli.json', '/x/novakit/cli.json']);
    expect(configCandidates({ HOME: '/h' }, '/w')).toEqual(['/w/.novakit/cli.json', '/h/.config/novakit/cli.json']);
    expect(configCandidates({ NOVAKIT_CONFIG: 'c.json' }, '/w')).toEqual(['/w/c.json']);
    expect(configCandidates({ NOVAKIT_CONFIG: 'c.json' }, '/w', '/e.json')).toEqual(['/e.json']);
  });

  it('takes flags over env over the file', async () => {
    await writeCliConfig(join(dir, '.novakit', 'cli.json'), { url: 'http://file:1', token: 'file-token' });
    const env = { XDG_CONFIG_HOME: join(dir, 'none') };
    expect(await resolveTarget({}, env, dir)).toEqual({ url: 'http://file:1', token: 'file-token' });
    expect(await resolveTarget({}, { ...env, NOVAKIT_URL: 'http://env:2' }, dir)).toEqual({ url: 'http://env:2', token: 'file-token' });
    expect(await resolveTarget({ token: 'flag' }, { ...env, NOVAKIT_TOKEN: 'env' }, dir)).toEqual({ url: 'http://file:1', token: 'flag' });
  });

  it('writes the file readable by its owner only', async () => {
    const path = join(dir, 'a', 'cli.json');
    await writeCliConfig(path, { url: 'http://x:1', token: 't' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('says how to get an API when none is configured (exit 3), and refuses a broken file', async () => {
    await expect(resolveTarget({}, { XDG_CONFIG_HOME: join(dir, 'none') }, dir)).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/novakit up/) });
    await mkdir(join(dir, '.novakit'));
    await writeFile(join(dir, '.novakit', 'cli.json'), '{"url": 1}');
    await expect(resolveTarget({}, {}, dir)).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/not a novakit CLI config/) });
  });
});
