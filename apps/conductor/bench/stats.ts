import { readdirSync, readFileSync } from 'node:fs';

// Latency summaries computed as msg_bench.py computes them (same percentile interpolation),
// so the columns compare like with like.

export interface CallSummary {
  readonly n: number;
  readonly calls_per_s: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
}

function pct(sorted: readonly number[], p: number): number {
  const k = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(k);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (k - lo);
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

export function summarize(latenciesMs: readonly number[], totalS: number): CallSummary {
  const s = [...latenciesMs].sort((a, b) => a - b);
  return { n: s.length, calls_per_s: round(s.length / totalS, 1), p50_ms: round(pct(s, 50)), p99_ms: round(pct(s, 99)) };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** CPU seconds (user + system) a process has used, from /proc; null when unreadable. */
export function processCpuS(pid: number | undefined): number | null {
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
      // the process went away
    }
  }
  return undefined;
}

export type CpuPerCall = Record<'client' | 'server' | 'broker', number | null>;

/** CPU ms per call spent by this process, the conductor process and the broker while `run` ran `n` calls. */
export async function cpuPerCall(serverPid: number | undefined, n: number, run: () => Promise<void>): Promise<CpuPerCall> {
  const broker = brokerPid();
  const client0 = process.cpuUsage();
  const server0 = processCpuS(serverPid);
  const broker0 = processCpuS(broker);
  await run();
  const client1 = process.cpuUsage(client0);
  const server1 = processCpuS(serverPid);
  const broker1 = processCpuS(broker);
  const per = (a: number | null, b: number | null) => (a === null || b === null ? null : round(((b - a) * 1000) / n, 2));
  return { client: round((client1.user + client1.system) / 1000 / n, 2), server: per(server0, server1), broker: per(broker0, broker1) };
}
