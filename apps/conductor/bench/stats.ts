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
