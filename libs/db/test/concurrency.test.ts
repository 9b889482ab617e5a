// The atomicity guarantees of the save path, with real concurrency: several connection
// pools in one process on PostgreSQL and MariaDB, several processes on one SQLite file.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { createDbApi, openDatabase, type DbApi } from '../src/index.js';
import { heartbeat, raceTransitions, saveOwnField } from './support/contenders.js';
import { describeBackends } from './support/backends.js';

const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');
const CONTENDER = fileURLToPath(new URL('./fixtures/contender.ts', import.meta.url));

/** Runs contender loops in child processes (SQLite) or over separate pools (servers). */
async function contend<T>(url: string, dialect: string, jobs: string[][], inProcess: (api: DbApi, job: string[]) => Promise<T>): Promise<T[]> {
  if (dialect === 'sqlite') {
    return Promise.all(jobs.map((args) => new Promise<T>((resolve, reject) => {
      const child = spawn(process.execPath, [TSX_CLI, '--conditions=development', CONTENDER, url, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!).result as T) : reject(new Error(`contender exited ${code}: ${err}`))));
    })));
  }
  const apis = jobs.map(() => createDbApi(openDatabase(url, { poolMax: 2 })));
  try {
    return await Promise.all(jobs.map((job, i) => inProcess(apis[i], job)));
  } finally {
    await Promise.all(apis.map((a) => a.close()));
  }
}

describeBackends('concurrent saves', ({ db, dialect }) => {
  const contenders = dialect === 'sqlite' ? 2 : 4;
  const target = dialect === 'sqlite' ? 30 : 60;

  it('two transitions from the same expected state: exactly one wins, every time', async () => {
    const inst = await db().api.instance_create({}, { task_state: '0' });
    const jobs = Array.from({ length: contenders }, () => ['race', inst.uuid, String(target)]);
    const won = await contend(db().url, dialect, jobs, (api) => raceTransitions(api, inst.uuid, target));
    const all = won.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: target }, (_, i) => i));
    expect((await db().api.instance_get_by_uuid({}, inst.uuid)).task_state).toBe(String(target));
  }, 120_000);

  it('saves of different fields all land', async () => {
    const inst = await db().api.instance_create({}, {});
    const fields = ['display_name', 'hostname', 'os_type', 'architecture'].slice(0, contenders) as ('display_name' | 'hostname')[];
    const count = dialect === 'sqlite' ? 40 : 60;
    await contend(db().url, dialect, fields.map((f) => ['field', inst.uuid, String(count), f]), (api, job) => saveOwnField(api, inst.uuid, job[3] as 'display_name', job[3], count));
    const row = await db().api.instance_get_by_uuid({}, inst.uuid);
    for (const f of fields) expect(row[f]).toBe(`${f}-${count - 1}`);
  }, 120_000);

  it('concurrent heartbeats never lose a report', async () => {
    const svc = await db().api.service_create({}, { host: `h-${Date.now()}`, binary: 'novakit-compute', topic: 'compute' });
    const count = 40;
    await contend(db().url, dialect, Array.from({ length: contenders }, () => ['heartbeat', String(svc.id), String(count)]), (api) => heartbeat(api, svc.id, count));
    expect((await db().api.service_get({}, svc.id)).report_count).toBe(contenders * count);
  }, 120_000);
}, { sqliteFile: true });
