/**
 * The host's process table, as the building blocks use it: liveness (zombies count as dead,
 * since a reattached QEMU's parent may be an init that does not reap), signals, and /proc
 * accounting for diagnostics. An interface, so the fake QEMU of ./testing can stand in.
 */
import { readFileSync } from 'node:fs';

export interface ProcessStat {
  pid: number;
  /** Kernel state letter: R, S, D, Z, T … */
  state: string;
  /** User and system CPU time, in nanoseconds. */
  cpuTimeNs: number;
  rssBytes: number;
  threads: number;
  /** Seconds since the process started. */
  uptimeS: number;
}

export interface HostProcesses {
  /** Alive and not a zombie; with `marker`, its command line must contain it (guards pid reuse). */
  isAlive(pid: number, marker?: string): boolean;
  /** Send a signal; false when the process is already gone. */
  signal(pid: number, signal: NodeJS.Signals): boolean;
  stat(pid: number): ProcessStat | undefined;
}

/** USER_HZ: /proc times are in these ticks; 100 on every Linux architecture QEMU runs on here. */
const CLOCK_TICKS_PER_SECOND = 100;

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces and parens). */
function statFields(pid: number): string[] | undefined {
  const raw = readProc(pid, 'stat');
  if (raw === undefined) return undefined;
  return raw.slice(raw.lastIndexOf(')') + 2).trim().split(/\s+/);
}

export const procfsProcesses: HostProcesses = {
  isAlive(pid, marker) {
    if (!Number.isInteger(pid) || pid <= 0) return false;
    const fields = statFields(pid);
    if (!fields || fields[0] === 'Z' || fields[0] === 'X') return false;
    if (marker === undefined) return true;
    return (readProc(pid, 'cmdline') ?? '').includes(marker);
  },
  signal(pid, signal) {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  },
  stat(pid) {
    const fields = statFields(pid);
    if (!fields) return undefined;
    // Field numbers of proc(5) minus 3: state is field 3, utime 14, stime 15, num_threads 20,
    // starttime 22 (ticks after boot).
    const ticks = Number(fields[11]) + Number(fields[12]);
    const bootUptimeS = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    const uptimeS = Math.max(0, Math.round(bootUptimeS - Number(fields[19]) / CLOCK_TICKS_PER_SECOND));
    const status = readProc(pid, 'status') ?? '';
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    return {
      pid,
      state: fields[0]!,
      cpuTimeNs: Math.round((ticks / CLOCK_TICKS_PER_SECOND) * 1e9),
      rssBytes: rssKb * 1024,
      threads: Number(fields[17]),
      uptimeS,
    };
  },
};

/** Poll until the process is gone or the deadline passes; true when it is gone. */
export async function waitForExit(processes: HostProcesses, pid: number, timeoutMs: number, marker?: string): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processes.isAlive(pid, marker)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
