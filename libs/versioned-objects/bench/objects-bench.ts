// npm run bench:objects [-- --json] [-- --seconds 2]: the five operations of
// anchors/python/ovo_bench.py on the same data, beside the Python anchor in the same run.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildInstance, Instance, registry } from './anchor-family.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const seconds = Number(args[args.indexOf('--seconds') + 1]) || 2;
const anchorsDir = process.env.NOVAKIT_ANCHORS ?? fileURLToPath(new URL('../../../../shared/anchors', import.meta.url));
const data = JSON.parse(readFileSync(new URL('./data/instance.json', import.meta.url), 'utf8'));

interface Timing {
  iterations: number;
  ops_per_s: number;
  best_window_ops_per_s: number;
  us_per_op: number;
}

/** ovo_bench.py's harness: `seconds` split into 5 windows, batches of 10. */
function timed(fn: () => void, secs: number, windows = 5, batch = 10): Timing {
  const perWindow = (secs * 1000) / windows;
  let total = 0;
  let wall = 0;
  let best = 0;
  for (let w = 0; w < windows; w++) {
    let n = 0;
    const start = performance.now();
    const deadline = start + perWindow;
    let now = start;
    do {
      for (let b = 0; b < batch; b++) fn();
      n += batch;
      now = performance.now();
    } while (now < deadline);
    best = Math.max(best, n / ((now - start) / 1000));
    total += n;
    wall += now - start;
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  return { iterations: total, ops_per_s: round(total / (wall / 1000)), best_window_ops_per_s: round(best), us_per_op: Math.round((100_000 * wall) / total) / 100 };
}

const inst = buildInstance(data);
const prim = inst.obj_to_primitive();
const wire = JSON.stringify(prim);
const plain = JSON.stringify(data);
const backported = inst.obj_to_primitive({ targetVersion: '1.0' });

// Sanity checks: measure the right thing or fail loudly.
const check = (cond: boolean, what: string) => {
  if (!cond) throw new Error(`bench sanity check failed: ${what}`);
};
check(prim['nova_object.version'] === '1.3' && !('nova_object.changes' in prim), 'clean 1.3 primitive');
const bdata = backported['nova_object.data'] as Record<string, any>;
check(!('block_device_mapping' in bdata) && !('tags' in bdata) && !('hidden' in bdata), 'backport drops 1.1+ fields');
check(bdata.flavor['nova_object.version'] === '1.0' && !('description' in bdata.flavor['nova_object.data']), 'flavor backported');
const back = registry.fromPrimitive(JSON.parse(wire)) as Instance;
check(JSON.stringify(back.obj_to_primitive()) === wire && back.block_device_mapping.length === 3, 'round trip');

let sink = 0;
let counter = 0;
const t0 = Date.UTC(2024, 2, 2, 8, 0, 13);
const ops: Record<string, () => void> = {
  build: () => {
    sink += buildInstance(data).id;
  },
  build_no_reset: () => {
    sink += buildInstance(data, false).id;
  },
  to_json: () => {
    sink += JSON.stringify(inst.obj_to_primitive()).length;
  },
  from_json: () => {
    sink += (registry.fromPrimitive(JSON.parse(wire)) as Instance).id;
  },
  backport_1_0: () => {
    sink += Object.keys(inst.obj_to_primitive({ targetVersion: '1.0' })['nova_object.data'] as object).length;
  },
  changes: () => {
    const i = ++counter;
    inst.task_state = i & 1 ? 'spawning' : 'networking';
    inst.progress = i % 100;
    inst.power_state = i & 3;
    inst.host = `compute-0-${i % 50}`;
    inst.updated_at = new Date(t0 + i * 1000);
    sink += Object.keys(inst.obj_get_changes()).length;
    inst.obj_reset_changes();
  },
  json_dumps_plain: () => {
    sink += JSON.stringify(data).length;
  },
  json_loads_plain: () => {
    sink += Object.keys(JSON.parse(plain)).length;
  },
};

for (const fn of Object.values(ops)) for (let i = 0; i < 200; i++) fn();
const results: Record<string, Timing> = {};
for (const [name, fn] of Object.entries(ops)) results[name] = timed(fn, seconds);

function runAnchor(): Record<string, any> | null {
  const script = `${anchorsDir}/python/ovo_bench.py`;
  if (!existsSync(script) || !existsSync('/usr/bin/python3')) return null;
  try {
    const out = execFileSync('/usr/bin/python3', [script, '--seconds', String(seconds), '--data', fileURLToPath(new URL('./data/instance.json', import.meta.url))], { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').pop()!);
  } catch {
    return null;
  }
}
const anchor = runAnchor();
const py = anchor?.results as Record<string, Timing> | undefined;

// Targets of issue #2: build/backport/changes ≥ 30× oslo; to/from JSON ≤ 2× the plain JSON codec.
const ratios: Record<string, number | null> = {
  build_vs_oslo: py ? results.build!.ops_per_s / py.build!.ops_per_s : null,
  backport_vs_oslo: py ? results.backport_1_0!.ops_per_s / py.backport_1_0!.ops_per_s : null,
  changes_vs_oslo: py ? results.changes!.ops_per_s / py.changes!.ops_per_s : null,
  to_json_cost_vs_plain_stringify: results.json_dumps_plain!.ops_per_s / results.to_json!.ops_per_s,
  from_json_cost_vs_plain_parse: results.json_loads_plain!.ops_per_s / results.from_json!.ops_per_s,
  to_json_vs_oslo: py ? results.to_json!.ops_per_s / py.to_json!.ops_per_s : null,
  from_json_vs_oslo: py ? results.from_json!.ops_per_s / py.from_json!.ops_per_s : null,
};
const targets: Record<string, string> = {
  build_vs_oslo: '>= 30',
  backport_vs_oslo: '>= 30',
  changes_vs_oslo: '>= 30',
  to_json_cost_vs_plain_stringify: '<= 2',
  from_json_cost_vs_plain_parse: '<= 2',
};
const met = (k: string, v: number | null) => v === null || !targets[k] ? null : targets[k]!.startsWith('>=') ? v >= 30 : v <= 2;

if (json) {
  const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
  console.log(
    JSON.stringify({
      bench: 'objects',
      node: process.version,
      seconds_per_op: seconds,
      payload_bytes: { instance_json_plain: plain.length, primitive_json_1_3: wire.length, primitive_json_1_0: JSON.stringify(backported).length },
      results,
      anchor: anchor ? { results: py, ovo_version: anchor.ovo_version, python: anchor.python } : null,
      ratios: Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, round(v)])),
      targets_met: Object.fromEntries(Object.keys(targets).map((k) => [k, met(k, ratios[k]!)])),
      checksum: sink,
    }),
  );
} else {
  const pad = (x: string, n: number) => x.padEnd(n);
  console.log(`objects bench — ${seconds}s per operation, Node ${process.version}${py ? `, beside oslo.versionedobjects ${anchor!.ovo_version}` : ' (Python anchor not found)'}`);
  console.log(`${pad('operation', 18)}${pad('novakit ops/s', 16)}${pad('µs/op', 10)}${pad('oslo ops/s', 14)}ratio`);
  for (const [name, r] of Object.entries(results)) {
    const p = py?.[name];
    console.log(`${pad(name, 18)}${pad(r.ops_per_s.toFixed(0), 16)}${pad(r.us_per_op.toFixed(2), 10)}${pad(p ? p.ops_per_s.toFixed(0) : '-', 14)}${p ? `${(r.ops_per_s / p.ops_per_s).toFixed(1)}×` : '-'}`);
  }
  console.log('\ntargets');
  for (const [k, v] of Object.entries(ratios)) {
    if (!targets[k]) continue;
    const ok = met(k, v);
    console.log(`${pad(k, 34)}${pad(v === null ? 'n/a' : v.toFixed(2), 10)}${pad(targets[k]!, 8)}${ok === null ? '' : ok ? 'met' : 'MISSED'}`);
  }
}
