/**
 * A fake `qemu-system-x86_64` for unit tests of the guest layer: `launch` reads the argv the
 * real one would get (QMP socket, pidfile, -incoming, -smp, -blockdev, -device) and starts a
 * FakeQmpServer there; the process table answers for the fake pids. Killing a fake pid kills
 * its server, as SIGKILL would the real QEMU.
 */
import { writeFileSync } from 'node:fs';
import type { LaunchedProcess, LaunchSpec, QemuLauncher } from '../guest/launcher.js';
import type { HostProcesses, ProcessStat } from '../host/processes.js';
import { FakeQmpServer, type FakeQmpServerOptions } from './fake-qmp-server.js';

/** Above the kernel's pid_max (2^22), so a fake pid never names a real process. */
const FIRST_FAKE_PID = 5_000_000;

interface FakeProcess {
  server: FakeQmpServer;
  argv: string[];
}

function optionValue(argv: string[], flag: string): string[] {
  return argv.flatMap((a, i) => (argv[i - 1] === flag ? [a] : []));
}

function keyValues(spec: string): Record<string, string> {
  return Object.fromEntries(spec.split(',').flatMap((kv) => (kv.includes('=') ? [kv.split('=') as [string, string]] : [])));
}

export class FakeQemu implements QemuLauncher, HostProcesses {
  readonly processes = new Map<number, FakeProcess>();
  /** Options for the next launches' fake VMs (e.g. guestOs, unplugDelayMs). */
  vmOptions: FakeQmpServerOptions = {};
  /** Make the next launch fail like a bad command line. */
  failNextLaunch: string | undefined;
  private nextPid = FIRST_FAKE_PID;

  async launch(spec: LaunchSpec): Promise<LaunchedProcess> {
    const pid = this.nextPid++;
    if (this.failNextLaunch) {
      writeFileSync(spec.logFile, `qemu-system-x86_64: ${this.failNextLaunch}\n`, { flag: 'a' });
      this.failNextLaunch = undefined;
      return { pid, exited: Promise.resolve(1) };
    }
    const chardev = optionValue(spec.argv, '-chardev').find((c) => c.startsWith('socket,'))!;
    const socketPath = keyValues(chardev.replaceAll(',,', '\u0000')).path!.replaceAll('\u0000', ',');
    const nodes = optionValue(spec.argv, '-blockdev').map((j) => JSON.parse(j));
    const devices = optionValue(spec.argv, '-device').map((d) => {
      const kv = keyValues(d);
      return { id: kv.id ?? d, driver: d.split(',')[0]!, drive: kv.drive };
    });
    const server = await FakeQmpServer.listen(socketPath, {
      ...this.vmOptions,
      status: spec.argv.includes('-incoming') ? 'inmigrate' : 'running',
      cpus: Number(optionValue(spec.argv, '-smp')[0] ?? 1),
      ramBytes: Number(optionValue(spec.argv, '-m')[0] ?? 64) << 20,
      nodes,
      devices,
    });
    writeFileSync(optionValue(spec.argv, '-pidfile')[0]!, `${pid}\n`);
    this.processes.set(pid, { server, argv: spec.argv });
    const exited = new Promise<number | null>((resolve) => server.onExit(() => resolve(0)));
    return { pid, exited };
  }

  /** The fake QEMU of a pid, to inject faults or inspect its state. */
  server(pid: number): FakeQmpServer {
    const p = this.processes.get(pid);
    if (!p) throw new Error(`no fake QEMU with pid ${pid}`);
    return p.server;
  }

  isAlive(pid: number, marker?: string): boolean {
    const p = this.processes.get(pid);
    if (!p || !p.server.alive) return false;
    return marker === undefined || p.argv.some((a) => a.includes(marker));
  }

  signal(pid: number, _signal: NodeJS.Signals): boolean {
    const p = this.processes.get(pid);
    if (!p || !p.server.alive) return false;
    p.server.kill();
    return true;
  }

  stat(pid: number): ProcessStat | undefined {
    if (!this.isAlive(pid)) return undefined;
    return { pid, state: 'S', cpuTimeNs: 250_000_000, rssBytes: 43 << 20, threads: 4, uptimeS: 1 };
  }

  /** Kill every fake QEMU (afterEach). */
  killAll(): void {
    for (const p of this.processes.values()) p.server.kill();
  }
}
