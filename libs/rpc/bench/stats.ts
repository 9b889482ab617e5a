import { readdirSync, readFileSync } from 'node:fs';

/** The same percentile and summary as msg_bench.py, so numbers line up column for column. */
export function pct(sorted: number[], p: number): number {
  const k = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(k);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (k - lo);
}

const r = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;

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

export interface CastSummary {
  n: number;
  received: number;
  send_per_s: number;
  end_to_end_per_s: number;
  cpu_ms_per_op?: CpuPerOp;
}

export function summarizeCalls(latMs: number[], totalS: number): CallSummary {
  const s = [...latMs].sort((a, b) => a - b);
  return {
    n: s.length,
    calls_per_s: r(s.length / totalS, 1),
    p50_ms: r(pct(s, 50)),
    p90_ms: r(pct(s, 90)),
    p99_ms: r(pct(s, 99)),
    max_ms: r(s.at(-1)!),
    mean_ms: r(s.reduce((a, b) => a + b, 0) / s.length),
  };
}

export type CpuPerOp = Record<'client' | 'server' | 'broker', number | null>;

/** CPU seconds (user+system) of a pid from /proc, null when unreadable. */
export function procCpuS(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').at(-1)!.trim().split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

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
    const d = (k: keyof CpuPerOp) => (a[k] === null || b[k] === null ? null : r(((b[k]! - a[k]!) * 1e3) / n));
    return { client: d('client'), server: d('server'), broker: d('broker') };
  }
}
