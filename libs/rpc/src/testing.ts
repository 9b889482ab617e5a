/**
 * @novakit/rpc/testing — helpers for suites that run over both transports: probing
 * RabbitMQ, naming things uniquely per run, and cleaning the broker up afterwards; and for
 * benchmarks over RabbitMQ: latency summaries as msg_bench.py computes them, and CPU per
 * call of client, server and broker.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import amqp from 'amqplib';
import { uuidHex } from './ids.js';

/** The broker tests use: NOVAKIT_RABBIT_URL or the local guest account. */
export const RABBIT_URL = process.env.NOVAKIT_RABBIT_URL ?? 'amqp://guest:guest@127.0.0.1:5672/';

/** CI sets NOVAKIT_REQUIRE_SERVICES=1: a missing service is then a failure, not a skip. */
export function servicesRequired(): boolean {
  return process.env.NOVAKIT_REQUIRE_SERVICES === '1';
}

/** Null when RabbitMQ accepts an AMQP login at `url`, else why not. */
export async function probeRabbitMq(url = RABBIT_URL, timeoutMs = 2000): Promise<string | null> {
  const u = new URL(url);
  const port = Number(u.port || 5672);
  const tcp = await new Promise<string | null>((resolve) => {
    const sock = createConnection({ host: u.hostname, port, timeout: timeoutMs });
    sock.once('connect', () => (sock.destroy(), resolve(null)));
    sock.once('timeout', () => (sock.destroy(), resolve(`no answer from ${u.hostname}:${port}`)));
    sock.once('error', (err) => resolve(`${u.hostname}:${port}: ${err.message}`));
  });
  if (tcp) return tcp;
  try {
    const conn = await amqp.connect(url, { timeout: timeoutMs });
    await conn.close();
    return null;
  } catch (err) {
    return `AMQP login to ${u.hostname}:${port} failed: ${(err as Error).message}`;
  }
}

/** A name no other run (or parallel worker) uses: `<prefix>_<12 hex>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${uuidHex().slice(0, 12)}`;
}

/** Deletes queues and exchanges, ignoring those already gone. */
export async function deleteBrokerObjects(url: string, objects: { queues?: string[]; exchanges?: string[] }): Promise<void> {
  const conn = await amqp.connect(url);
  try {
    for (const [kind, names] of [['queue', objects.queues ?? []], ['exchange', objects.exchanges ?? []]] as const) {
      for (const name of names) {
        // A failed delete closes the channel, so each gets its own.
        const ch = await conn.createChannel();
        ch.on('error', () => undefined);
        await (kind === 'queue' ? ch.deleteQueue(name) : ch.deleteExchange(name)).catch(() => undefined);
        await ch.close().catch(() => undefined);
      }
    }
  } finally {
    await conn.close();
  }
}

/** The same percentile as msg_bench.py, so numbers line up column for column. */
function pct(sorted: readonly number[], p: number): number {
  const k = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(k);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (k - lo);
}

const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;

export type CpuPerOp = Record<'client' | 'server' | 'broker', number | null>;

export interface CallSummary {
  n: number;
  calls_per_s: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  mean_ms: number;
  cpu_ms_per_op?: CpuPerOp;
}

/** Sequential calls' latencies (ms) over `totalS` seconds, summarized as msg_bench.py does. */
export function summarizeCalls(latMs: readonly number[], totalS: number): CallSummary {
  const s = [...latMs].sort((a, b) => a - b);
  return {
    n: s.length,
    calls_per_s: round(s.length / totalS, 1),
    p50_ms: round(pct(s, 50)),
    p90_ms: round(pct(s, 90)),
    p99_ms: round(pct(s, 99)),
    max_ms: round(s.at(-1)!),
    mean_ms: round(s.reduce((a, b) => a + b, 0) / s.length),
  };
}

/** CPU seconds (user+system) of a pid from /proc, null when unreadable. */
function procCpuS(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').at(-1)!.trim().split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The RabbitMQ Erlang VM (beam.smp), whose CPU is part of every round trip. */
export function brokerPid(): number | undefined {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'beam.smp') return Number(d);
    } catch {
      // raced with an exiting process
    }
  }
  return undefined;
}

/** Client (this process), server (a child, or this process when in-process) and broker CPU. */
export class CpuMeter {
  constructor(private readonly serverPid: number | undefined, private readonly brokerPid: number | undefined) {}

  snap(): Record<keyof CpuPerOp, number | null> {
    const u = process.cpuUsage();
    return { client: (u.user + u.system) / 1e6, server: procCpuS(this.serverPid), broker: procCpuS(this.brokerPid) };
  }

  perOp(a: Record<keyof CpuPerOp, number | null>, b: Record<keyof CpuPerOp, number | null>, n: number): CpuPerOp {
    const d = (k: keyof CpuPerOp) => (a[k] === null || b[k] === null ? null : round(((b[k]! - a[k]!) * 1e3) / n));
    return { client: d('client'), server: d('server'), broker: d('broker') };
  }
}
