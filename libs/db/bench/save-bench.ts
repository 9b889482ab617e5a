// npm run bench:db [-- --json] [-- --seconds 6] [-- --backends sqlite,postgres]
// An Instance.save() of 3 changed fields through the DB API as the Instance object calls it
// (guarded UPDATE, updated_at, the row read back; no join, since no dict changed — Instance.save
// re-joins metadata/system_metadata only when it wrote them) against a raw knex UPDATE of the same
// 3 columns, the floor. Both run on the same private database, interleaved in rounds
// (the machine is shared and noisy); each rate is the median over the rounds.
import type { Dialect } from '../src/index.js';
import { createTestDatabase, probeServer } from '../src/testing.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const seconds = Number(opt('--seconds')) || 6;
const backends = (opt('--backends') ?? 'sqlite,postgres').split(',') as Dialect[];
const ROUNDS = 6;
const WARMUP = 50;

/** The 3 fields a power-off transition changes, varied per iteration so each write changes them. */
const fields = (i: number) => ({ vm_state: i % 2 ? 'stopped' : 'active', task_state: i % 2 ? null : 'powering-off', power_state: i % 2 ? 4 : 1 });

async function rate(fn: (i: number) => Promise<unknown>, ms: number, start: number): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) await fn(start + n++);
  return (n / (performance.now() - t0)) * 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Result {
  save_per_s: number;
  raw_update_per_s: number;
  ratio: number;
}

async function benchBackend(dialect: Dialect): Promise<Result> {
  const t = await createTestDatabase(dialect); // SQLite: a WAL file with the default settings
  try {
    const sysmeta = Object.fromEntries(['memory_mb', 'vcpus', 'root_gb', 'ephemeral_gb', 'flavorid', 'name', 'swap', 'rxtx_factor', 'vcpu_weight', 'id'].map((k) => [`instance_type_${k}`, '1']));
    const inst = await t.api.instance_create({}, { project_id: 'bench', host: 'bench-host', vm_state: 'active', power_state: 1, system_metadata: sysmeta });
    const save = (i: number) => t.api.instance_save({}, inst.uuid, fields(i), { columnsToJoin: [] });
    const raw = (i: number) => t.database.knex('instances').where('uuid', inst.uuid).update(fields(i));
    for (let i = 0; i < WARMUP; i++) {
      await save(i);
      await raw(i);
    }
    const perRun = (seconds * 1000) / (2 * ROUNDS);
    const saves: number[] = [];
    const raws: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which goes first so drift in machine load hits both alike.
      if (r % 2) {
        raws.push(await rate(raw, perRun, r * 1e6));
        saves.push(await rate(save, perRun, r * 1e6));
      } else {
        saves.push(await rate(save, perRun, r * 1e6));
        raws.push(await rate(raw, perRun, r * 1e6));
      }
    }
    const s = median(saves);
    const w = median(raws);
    return { save_per_s: Math.round(s), raw_update_per_s: Math.round(w), ratio: Math.round((s / w) * 100) / 100 };
  } finally {
    await t.drop();
  }
}

const results: Record<string, Result | { skipped: string }> = {};
for (const dialect of backends) {
  const reason = dialect === 'sqlite' ? null : await probeServer(dialect);
  results[dialect] = reason ? { skipped: reason } : await benchBackend(dialect);
}

if (json) {
  process.stdout.write(`${JSON.stringify(results)}\n`);
} else {
  const rows = Object.entries(results).map(([b, r]) =>
    'skipped' in r ? [b, '-', '-', `skipped: ${r.skipped}`] : [b, String(r.save_per_s), String(r.raw_update_per_s), `${r.ratio}x (target >= 0.5x)`],
  );
  const head = ['backend', 'save/s (DB API)', 'raw update/s (knex)', 'save / raw'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(`instance save of 3 changed fields (vm_state, task_state, power_state), ${seconds}s per backend, median of ${ROUNDS} rounds`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}
