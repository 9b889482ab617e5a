/**
 * get_diagnostics / get_instance_diagnostics material: vCPUs from query-cpus-fast (with each
 * vCPU thread's CPU time from /proc), disk I/O from query-blockstats, and the QEMU process's
 * CPU time, RSS and uptime. A guest without a process reports its state and config only.
 */
import { deviceNameForLun } from '../config/device-names.js';
import type { HostProcesses } from '../host/processes.js';
import type { BlockStats } from '../qmp/commands.js';
import type { Guest } from './guest.js';
import type { PowerState } from './guest-state.js';

export interface DiskDiagnostics {
  device: string;
  readBytes: number;
  writeBytes: number;
  readOps: number;
  writeOps: number;
  flushOps: number;
  /** Failed reads, writes and flushes. */
  errors: number;
}

export interface GuestDiagnostics {
  state: PowerState;
  driver: 'qemu';
  uptimeS: number | undefined;
  /** QEMU process total (all threads). */
  cpuTimeNs: number | undefined;
  vcpus: { index: number; threadId: number; timeNs: number | undefined }[];
  memoryMb: number;
  rssBytes: number | undefined;
  disks: DiskDiagnostics[];
  nics: { mac: string }[];
}

/** disk<N> node names and scsi-disk<N> ids carry the LUN, which names the device. */
function deviceOf(stats: BlockStats): string | undefined {
  const m = /disk(\d+)$/.exec(stats['node-name'] ?? stats.qdev ?? stats.device);
  return m ? deviceNameForLun(Number(m[1])) : undefined;
}

export async function collectDiagnostics(guest: Guest, processes: HostProcesses): Promise<GuestDiagnostics> {
  const config = guest.config;
  const state = await guest.state();
  const base: GuestDiagnostics = {
    state: state.power,
    driver: 'qemu',
    uptimeS: undefined,
    cpuTimeNs: undefined,
    vcpus: [],
    memoryMb: config.memoryMb,
    rssBytes: undefined,
    disks: [],
    nics: config.nics.map((n) => ({ mac: n.mac })),
  };
  if (state.pid === undefined) return base;
  const qmp = await guest.qmp();
  const [cpus, blockstats] = await Promise.all([qmp.execute('query-cpus-fast'), qmp.execute('query-blockstats')]);
  const proc = processes.stat(state.pid);
  const disks: DiskDiagnostics[] = [];
  for (const s of blockstats) {
    const device = deviceOf(s);
    if (!device) continue;
    const st = s.stats;
    const failed = ['failed_rd_operations', 'failed_wr_operations', 'failed_flush_operations'].reduce((n, k) => n + (typeof st[k] === 'number' ? (st[k] as number) : 0), 0);
    disks.push({ device, readBytes: st.rd_bytes, writeBytes: st.wr_bytes, readOps: st.rd_operations, writeOps: st.wr_operations, flushOps: st.flush_operations, errors: failed });
  }
  return {
    ...base,
    uptimeS: proc?.uptimeS,
    cpuTimeNs: proc?.cpuTimeNs,
    rssBytes: proc?.rssBytes,
    vcpus: cpus.map((c) => ({ index: c['cpu-index'], threadId: c['thread-id'], timeNs: processes.stat(c['thread-id'])?.cpuTimeNs })),
    disks: disks.sort((a, b) => a.device.localeCompare(b.device)),
  };
}
