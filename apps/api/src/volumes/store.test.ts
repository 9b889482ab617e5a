import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VolumeStore, type VolumeRecord } from './store.js';

const record = (id: string): VolumeRecord => ({
  id,
  project_id: 'p',
  user_id: null,
  display_name: null,
  display_description: null,
  size: 1,
  status: 'available',
  path: `/x/${id}`,
  metadata: {},
  created_at: new Date().toISOString(),
  reserved_for: null,
});

describe('VolumeStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'novakit-volstore-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('loses no update when two stores (two processes) write one file at once', async () => {
    const [a, b] = [new VolumeStore(dir), new VolumeStore(dir)];
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).update((v) => void (v[`v${i}`] = record(`v${i}`)))));
    expect((await a.list()).length).toBe(40);
  });

  it('breaks a lock left by a process that is gone', async () => {
    await writeFile(join(dir, 'volumes.json.lock'), '999999999 1');
    const store = new VolumeStore(dir);
    await store.update((v) => void (v.a = record('a')));
    expect((await store.get('a'))?.id).toBe('a');
  });

  it('refuses a file that is not a volume file', async () => {
    await writeFile(join(dir, 'volumes.json'), '{"nope": 1}');
    await expect(new VolumeStore(dir).list()).rejects.toMatchObject({ name: 'VolumeStoreUnavailable' });
    await writeFile(join(dir, 'volumes.json'), '{broken');
    await expect(new VolumeStore(dir).list()).rejects.toMatchObject({ name: 'VolumeStoreUnavailable' });
  });

  it('keeps the file intact when an update throws', async () => {
    const store = new VolumeStore(dir);
    await store.update((v) => void (v.a = record('a')));
    const before = await readFile(join(dir, 'volumes.json'), 'utf8');
    await expect(
      store.update(() => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await readFile(join(dir, 'volumes.json'), 'utf8')).toBe(before);
    await store.update((v) => void (v.b = record('b')));
    expect((await store.list()).map((v) => v.id).sort()).toEqual(['a', 'b']);
  });
});
