/**
 * `npm run bench:conductor [-- --json] [--calls N] [--rounds R] [--no-python] [--db-url URL]`
 *
 * object_action `Instance.save` round trips over RabbitMQ: a compute-side Instance (metadata,
 * system_metadata, info cache, security groups and flavor loaded, so the payload is the size
 * of the anchor's) changes a field and saves; the conductor, one worker in a child process,
 * writes it to SQLite and the changes come back. Compared in the same run with the DB-only
 * save rate (the same save run locally against the same file: the floor any conductor pays)
 * and with oslo.messaging's Instance object_action call rate from
 * ../shared/anchors/python/msg_bench.py (target: 10 times that). The anchor is one caller
 * making sequential calls, and so is the headline figure; a second figure has 8 computes'
 * worth of callers saving 8 instances at once (the conductor pipelines, SQLite serializes
 * the writes). Numbers on a shared 2-core machine are noisy: each rate is the median of R rounds.
 * NOVAKIT_BENCH_PROFILE=<dir> writes a CPU profile of the conductor process there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConductorClient } from '@novakit/conductor-api';
import { openDbApi, redactUrl, type DbApi } from '@novakit/db';
import { Flavor, Instance, InstanceInfoCache, RequestContext, SAMPLE_NETWORK_INFO, SecurityGroup, SecurityGroupList } from '@novakit/objects';
import { createTransport } from '@novakit/rpc';
import { brokerPid, CpuMeter, deleteBrokerObjects, probeRabbitMq, RABBIT_URL, summarizeCalls, uniqueName, type CallSummary, type CpuPerOp } from '@novakit/rpc/testing';
import { pino } from 'pino';

const PYTHON = '/usr/bin/python3';
const ANCHOR = process.env.NOVAKIT_MSG_BENCH ?? '/work/shared/anchors/python/msg_bench.py';
const TARGET_RATIO = 10;

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const CALLS = Number(option('--calls') ?? 2000);
const CALLERS = 8;
const ROUNDS = Number(option('--rounds') ?? 3);
const note = (msg: string) => process.stderr.write(`[bench:conductor] ${msg}\n`);
const ALL_ATTRS = ['metadata', 'system_metadata', 'info_cache', 'security_groups', 'flavor'] as const;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** CALLERS callers saving their own instance concurrently, CALLS saves in total. */
async function timeConcurrentSaves(instances: Instance[], n: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    instances.map(async (inst) => {
      while (next < n) {
        inst.progress = (next++ % 100) + 1;
        await inst.save();
      }
    }),
  );
  return Math.round((n / ((performance.now() - start) / 1000)) * 10) / 10;
}

async function seedInstance(db: DbApi): Promise<string> {
  const flavor = new Flavor({ id: 1, name: 'm1.small', flavorid: '2', memory_mb: 2048, vcpus: 1, root_gb: 20, ephemeral_gb: 0, swap: 0, is_public: true, disabled: false, rxtx_factor: 1, vcpu_weight: null, extra_specs: { 'hw:cpu_policy': 'shared', 'quota:disk_read_bytes_sec': '10240000', 'hw:mem_page_size': 'small', 'hw_rng:allowed': 'True', 'hw:watchdog_action': 'reset' } } as never);
  const sys: Record<string, string> = {};
  for (const k of ['image_min_ram', 'image_min_disk', 'image_disk_format', 'image_container_format', 'image_base_image_ref', 'image_os_type', 'image_architecture', 'instance_type_id', 'instance_type_name', 'instance_type_memory_mb', 'instance_type_vcpus', 'instance_type_root_gb', 'instance_type_ephemeral_gb', 'instance_type_flavorid', 'instance_type_swap']) sys[k] = `${k}-value`;
  const inst = new Instance(
    {
      uuid: randomUUID(), user_id: '3a1f0c2e9b8d4e7f8a6b5c4d3e2f1a0b', project_id: '0f6c5b4a3e2d41c09b8a7f6e5d4c3b2a', image_ref: randomUUID(), hostname: 'bench-vm',
      host: 'compute-1', node: 'compute-1', vm_state: 'active', task_state: null, power_state: 1, memory_mb: 2048, vcpus: 1, root_gb: 20, ephemeral_gb: 0,
      display_name: 'bench-vm', display_description: 'conductor bench instance', availability_zone: 'nova', launched_on: 'compute-1', root_device_name: '/dev/vda',
      access_ip_v4: '192.0.2.10', progress: 0, launched_at: new Date(), key_name: 'bench', key_data: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBench bench@novakit', os_type: 'linux', architecture: 'x86_64',
      metadata: { role: 'web', tier: 'frontend', owner: 'bench', env: 'perf', cost_center: '42' },
      system_metadata: sys,
      info_cache: new InstanceInfoCache({ network_info: SAMPLE_NETWORK_INFO }),
      security_groups: new SecurityGroupList({ objects: [new SecurityGroup({ name: 'default' })] }),
      flavor,
    } as never,
    RequestContext.admin({ db }),
  );
  await inst.create();
  return inst.uuid;
}

async function timeSaves(inst: Instance, n: number): Promise<CallSummary> {
  const lat: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    inst.progress = (i % 100) + 1;
    const t0 = performance.now();
    await inst.save();
    lat.push(performance.now() - t0);
  }
  return summarizeCalls(lat, (performance.now() - start) / 1000);
}

function startServer(dbUrl: string, exchange: string, topic: string): Promise<ChildProcess> {
  const server = fileURLToPath(new URL('./bench-server.ts', import.meta.url));
  const child = spawn(process.execPath, [...(process.env.NOVAKIT_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.NOVAKIT_BENCH_PROFILE] : []), '--conditions=development', '--import', 'tsx', server, dbUrl, RABBIT_URL, exchange, topic], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bench conductor did not start within 60 s')), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('READY')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`the bench conductor exited (${code}) before it was ready`)));
  });
}

interface AnchorResult {
  calls_per_s: number;
  p50_ms: number;
  p99_ms: number;
  payload_bytes: number;
}

/** msg_bench.py with its other scenarios cut short: only call_instance (500 sequential object_action calls) matters here. */
function runAnchor(): Promise<AnchorResult | string> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, [ANCHOR, '--calls', '20', '--obj-calls', '500', '--casts', '20', '--obj-casts', '20'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', (e) => resolve(`could not run ${PYTHON} ${ANCHOR}: ${e.message}`));
    child.on('exit', (code) => {
      try {
        const line = JSON.parse(out.trim().split('\n').pop()!) as { results: { call_instance: AnchorResult }; payload_bytes: { instance_primitive_json: number } };
        const ci = line.results.call_instance;
        resolve({ calls_per_s: ci.calls_per_s, p50_ms: ci.p50_ms, p99_ms: ci.p99_ms, payload_bytes: line.payload_bytes.instance_primitive_json });
      } catch {
        resolve(`msg_bench.py exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`);
      }
    });
  });
}

async function main(): Promise<void> {
  const unavailable = await probeRabbitMq();
  if (unavailable) throw new Error(`RabbitMQ is needed for this bench: ${unavailable}`);
  const dir = mkdtempSync(join(tmpdir(), 'conductor-bench-'));
  const dbUrl = option('--db-url') ?? `sqlite://${join(dir, 'nova.db')}`;
  const exchange = uniqueName('nk_cbench');
  const topic = uniqueName('conductor_bench');
  const db = await openDbApi(dbUrl, { schema: 'migrate' });
  const uuid = await seedInstance(db);
  const others = await Promise.all(Array.from({ length: CALLERS }, () => seedInstance(db)));
  note(`database ${dbUrl}; starting the conductor (child process)`);
  const server = await startServer(dbUrl, exchange, topic);
  const transport = await createTransport(RABBIT_URL, { exchange, logger: pino({ level: 'warn' }, process.stderr) });
  const client = new ConductorClient(transport, { topic, timeoutMs: 30_000 });
  try {
    const ctx = RequestContext.withIndirection(RequestContext.create({ user_id: 'u', project_id: 'p' }), client);
    const remote = await Instance.getByUuid(ctx, uuid, { expectedAttrs: [...ALL_ATTRS] });
    const payload = JSON.stringify(remote.obj_to_primitive()).length;
    await timeSaves(remote, 100);
    const rpcRounds: CallSummary[] = [];
    const cpu: CpuPerOp[] = [];
    const meter = new CpuMeter(server.pid, brokerPid());
    for (let r = 0; r < ROUNDS; r++) {
      const before = meter.snap();
      rpcRounds.push(await timeSaves(remote, CALLS));
      cpu.push(meter.perOp(before, meter.snap(), CALLS));
      note(`object_action Instance.save over RabbitMQ, round ${r + 1}/${ROUNDS}: ${rpcRounds.at(-1)!.calls_per_s} calls/s, CPU ms/call ${JSON.stringify(cpu.at(-1))}`);
    }
    const parallel = await Promise.all(others.map((u) => Instance.getByUuid(ctx, u, { expectedAttrs: [...ALL_ATTRS] })));
    const concurrentRounds: number[] = [];
    for (let r = 0; r < ROUNDS; r++) concurrentRounds.push(await timeConcurrentSaves(parallel, CALLS));
    note(`object_action Instance.save, ${CALLERS} concurrent callers: ${concurrentRounds.join(', ')} calls/s`);
    const local = await Instance.getByUuid(RequestContext.admin({ db }), uuid, { expectedAttrs: [...ALL_ATTRS] });
    await timeSaves(local, 100);
    const dbRounds: number[] = [];
    for (let r = 0; r < ROUNDS; r++) dbRounds.push((await timeSaves(local, CALLS)).calls_per_s);
    note(`DB-only Instance.save: ${dbRounds.join(', ')} saves/s`);
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));

    const anchor = flag('--no-python') ? 'skipped (--no-python)' : (note('running msg_bench.py (oslo.messaging anchor)'), await runAnchor());
    const middle = [...rpcRounds.keys()].sort((a, b) => rpcRounds[a]!.calls_per_s - rpcRounds[b]!.calls_per_s)[Math.floor(rpcRounds.length / 2)]!;
    const rpc = rpcRounds[middle]!;
    const result = {
      object_action_save: { calls_per_s: rpc.calls_per_s, p50_ms: rpc.p50_ms, p99_ms: rpc.p99_ms, cpu_ms_per_call: cpu[middle] },
      db_only_save_per_s: median(dbRounds),
      object_action_save_concurrent: { callers: CALLERS, calls_per_s: median(concurrentRounds) },
      anchor:
        typeof anchor === 'string'
          ? { unavailable: anchor }
          : {
              oslo_messaging_object_action: { calls_per_s: anchor.calls_per_s, p50_ms: anchor.p50_ms, p99_ms: anchor.p99_ms },
              ratio: Math.round((rpc.calls_per_s / anchor.calls_per_s) * 10) / 10,
              target_ratio: TARGET_RATIO,
              meets_target: rpc.calls_per_s >= TARGET_RATIO * anchor.calls_per_s,
              payload_bytes: { ours: payload, anchor: anchor.payload_bytes },
            },
      setup: { calls_per_round: CALLS, rounds: ROUNDS, rounds_calls_per_s: rpcRounds.map((r) => r.calls_per_s), database: redactUrl(dbUrl), loadavg_1m: loadavg()[0] },
    };
    if (flag('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
    else printTable(result, payload);
  } finally {
    if (server.exitCode === null) server.kill('SIGKILL');
    await transport.close();
    await db.close();
    await deleteBrokerObjects(RABBIT_URL, { queues: [topic, `${topic}.bench`], exchanges: [exchange, `${topic}_fanout`] }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(
  r: { object_action_save: Pick<CallSummary, 'calls_per_s' | 'p50_ms' | 'p99_ms'>; object_action_save_concurrent: { calls_per_s: number }; db_only_save_per_s: number; anchor: Record<string, unknown> },
  payload: number,
): void {
  const rows: [string, string, string, string][] = [
    ['object_action Instance.save (RabbitMQ + SQLite)', String(r.object_action_save.calls_per_s), String(r.object_action_save.p50_ms), String(r.object_action_save.p99_ms)],
    [`same, ${CALLERS} concurrent callers`, String(r.object_action_save_concurrent.calls_per_s), '', ''],
    ['DB-only Instance.save (same SQLite, no RPC)', String(r.db_only_save_per_s), '', ''],
  ];
  const a = r.anchor.oslo_messaging_object_action as { calls_per_s: number; p50_ms: number; p99_ms: number } | undefined;
  if (a) rows.push(['oslo.messaging object_action (msg_bench.py)', String(a.calls_per_s), String(a.p50_ms), String(a.p99_ms)]);
  const w = Math.max(...rows.map((x) => x[0].length));
  const out = [`${'scenario'.padEnd(w)}  ${'per s'.padStart(9)}  ${'p50 ms'.padStart(8)}  ${'p99 ms'.padStart(8)}`];
  for (const [name, rate, p50, p99] of rows) out.push(`${name.padEnd(w)}  ${rate.padStart(9)}  ${p50.padStart(8)}  ${p99.padStart(8)}`);
  out.push(a ? `ratio to the anchor: ${r.anchor.ratio}x (target ${TARGET_RATIO}x: ${r.anchor.meets_target ? 'met' : 'NOT met'}); Instance payload ${payload} B` : `anchor: ${String(r.anchor.unavailable)}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
