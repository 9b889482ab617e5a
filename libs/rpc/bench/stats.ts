// The call summary and CPU meter are shared with other packages' benchmarks through
// @novakit/rpc/testing; the cast summary is this bench's own.
import type { CpuPerOp } from '../src/testing.js';

export { brokerPid, CpuMeter, summarizeCalls, type CallSummary } from '../src/testing.js';

export interface CastSummary {
  n: number;
  received: number;
  send_per_s: number;
  end_to_end_per_s: number;
  cpu_ms_per_op?: CpuPerOp;
}
