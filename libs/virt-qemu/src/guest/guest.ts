/**
 * One instance on this host (libvirt's guest.py role): its directory and record, and while QEMU
 * runs, the process and one QMP connection. Every operation the driver maps onto a contract
 * method is one method here; none of them knows about Nova objects.
 */
import { readFile, rm } from 'node:fs/promises';
import { buildQemuArgv, type ArgvOptions } from '../config/argv.js';
import type { GuestConfig } from '../config/guest-config.js';
import { GuestSpawnFailed, GuestStateConflict, isVirtQemuError, QmpTimeout } from '../errors.js';
import { waitForExit } from '../host/processes.js';
import type { QmpClient } from '../qmp/client.js';
import type { GuestContext } from './context.js';
import { powerStateFromQemu, powerStateWithoutProcess, type GuestState } from './guest-state.js';
import type { InstanceDir, InstanceRecord } from './instance-dir.js';
import { restoreFromFile, saveToFile } from './save-restore.js';

export type RebootKind = 'soft' | 'hard';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Guest {
  private client: QmpClient | undefined;
  private connecting: Promise<QmpClient> | undefined;

  constructor(
    readonly dir: InstanceDir,
    private current: InstanceRecord,
    private readonly ctx: GuestContext,
  ) {}

  get uuid(): string {
    return this.dir.uuid;
  }

  get record(): InstanceRecord {
    return structuredClone(this.current);
  }

  get config(): GuestConfig {
    return structuredClone(this.current.config);
  }

  async updateRecord(patch: Partial<InstanceRecord>): Promise<void> {
    const next = { ...this.current, ...patch };
    await this.dir.writeRecord(next);
    this.current = next;
  }

  /** The pid of this host's QEMU for the instance, when it is alive. */
  runningPid(): number | undefined {
    const pid = this.dir.readPid();
    return pid !== undefined && this.ctx.processes.isAlive(pid, this.dir.qmpSocket) ? pid : undefined;
  }

  isRunning(): boolean {
    return this.runningPid() !== undefined;
  }

  /** The QMP connection, reconnecting after a manager restart. */
  async qmp(): Promise<QmpClient> {
    if (this.client && !this.client.closed) return this.client;
    if (!this.isRunning()) throw new GuestStateConflict({ uuid: this.uuid, operation: 'talk to', state: 'not running' });
    this.connecting ??= this.ctx
      .connectQmp(this.dir.qmpSocket, this.qmpOptions())
      .finally(() => (this.connecting = undefined));
    this.client = await this.connecting;
    return this.client;
  }

  async state(): Promise<GuestState> {
    const pid = this.runningPid();
    if (pid === undefined) return { power: powerStateWithoutProcess(this.current.powerState) };
    try {
      const { status } = await (await this.qmp()).execute('query-status');
      return { power: powerStateFromQemu(status), qemuStatus: status, pid };
    } catch (err) {
      // It died between the pid check and the query: report it as without a process.
      if (!this.isRunning()) return { power: powerStateWithoutProcess(this.current.powerState) };
      throw err;
    }
  }

  /** Spawn QEMU (detached) and wait until QMP answers. */
  async start(options: ArgvOptions = {}): Promise<void> {
    if (this.isRunning()) throw new GuestStateConflict({ uuid: this.uuid, operation: 'start', state: 'running' });
    this.dropClient();
    await this.dir.removeRuntimeFiles();
    const argv = buildQemuArgv(this.current.config, this.dir.runtimePaths, options);
    const child = await this.ctx.launcher.launch({ binary: this.ctx.qemuBinary, argv, logFile: this.dir.qemuLog });
    let exitCode: number | null | undefined;
    void child.exited.then((code) => (exitCode = code));
    const deadline = Date.now() + this.ctx.timeouts.spawnMs;
    for (;;) {
      if (exitCode !== undefined) throw await this.spawnFailure(exitCode);
      try {
        this.client = await this.ctx.connectQmp(this.dir.qmpSocket, this.qmpOptions());
        break;
      } catch (err) {
        if (Date.now() > deadline) {
          this.ctx.processes.signal(child.pid, 'SIGKILL');
          throw await this.spawnFailure(null, err);
        }
        await sleep(25);
      }
    }
    if (!options.incoming) await this.updateRecord({ powerState: 'running' });
  }

  async pause(): Promise<void> {
    await (await this.requireRunning('pause')).execute('stop');
    await this.updateRecord({ powerState: 'paused' });
  }

  async unpause(): Promise<void> {
    await (await this.requireRunning('unpause')).execute('cont');
    await this.updateRecord({ powerState: 'running' });
  }

  /**
   * Soft: ACPI powerdown, and when the guest has shut down within the timeout, reset and run it
   * again; with no guest OS nothing reacts to ACPI, so it falls back to a reset. Hard: reset
   * at once (or start QEMU if it is not running). Resolves with what was done.
   */
  async reboot(kind: RebootKind, timeoutMs = this.ctx.timeouts.cleanShutdownMs): Promise<'acpi' | 'reset' | 'start'> {
    if (!this.isRunning()) {
      if (kind === 'soft') throw new GuestStateConflict({ uuid: this.uuid, operation: 'soft reboot', state: 'not running' });
      await this.start();
      return 'start';
    }
    const qmp = await this.qmp();
    let how: 'acpi' | 'reset' = 'reset';
    if (kind === 'soft' && (await this.shutdownCleanly(qmp, timeoutMs))) how = 'acpi';
    await qmp.execute('system_reset');
    const { status } = await qmp.execute('query-status');
    if (status !== 'running') await qmp.execute('cont');
    await this.updateRecord({ powerState: 'running' });
    return how;
  }

  /**
   * Power off: with `timeoutMs` > 0, ask the guest first (ACPI) and wait for it; then end QEMU.
   * The directory and record stay (power state shutoff) so power-on boots the same disk.
   */
  async powerOff(timeoutMs = this.ctx.timeouts.cleanShutdownMs): Promise<{ clean: boolean }> {
    let clean = false;
    if (this.isRunning() && timeoutMs > 0) {
      // A monitor that fails here must not keep the guest up: terminate() uses signals then.
      clean = await this.qmp().then((qmp) => this.shutdownCleanly(qmp, timeoutMs)).catch(() => false);
    }
    await this.terminate();
    await this.updateRecord({ powerState: 'shutoff' });
    return { clean };
  }

  /** Boot a shut-off guest, resume a suspended one, or run a stopped-but-alive one. */
  async powerOn(): Promise<void> {
    if (this.current.powerState === 'suspended' && !this.isRunning()) return this.resume();
    if (!this.isRunning()) return this.start();
    const qmp = await this.qmp();
    const { status } = await qmp.execute('query-status');
    if (status === 'shutdown') await qmp.execute('system_reset');
    if (status !== 'running') await qmp.execute('cont');
    await this.updateRecord({ powerState: 'running' });
  }

  /**
   * Suspend to disk: the machine state is migrated into <dir>/suspend.state and QEMU exits,
   * freeing its memory (libvirt's managed save). Resume starts QEMU with -incoming from it.
   */
  async suspend(): Promise<void> {
    const qmp = await this.requireRunning('suspend');
    await saveToFile(qmp, this.uuid, this.dir.savedState, this.ctx.timeouts.commandMs * 4);
    await this.terminate();
    await this.updateRecord({ powerState: 'suspended' });
  }

  async resume(): Promise<void> {
    if (this.current.powerState !== 'suspended' || this.isRunning()) {
      throw new GuestStateConflict({ uuid: this.uuid, operation: 'resume', state: this.current.powerState });
    }
    await this.start({ incoming: 'defer' });
    try {
      await restoreFromFile(await this.qmp(), this.uuid, this.dir.savedState, this.ctx.timeouts.commandMs * 4);
    } catch (err) {
      await this.terminate();
      throw err;
    }
    await this.updateRecord({ powerState: 'running' });
  }

  /**
   * End QEMU: `quit` over QMP, then SIGTERM, then SIGKILL, each with `terminateMs`. Idempotent.
   * Removes this host's runtime files; disks and record stay.
   */
  async terminate(): Promise<void> {
    const pid = this.runningPid();
    const marker = this.dir.qmpSocket;
    const wait = this.ctx.timeouts.terminateMs;
    if (pid !== undefined) {
      let asked = false;
      try {
        await (await this.qmp()).execute('quit', undefined, { timeoutMs: wait });
        asked = true;
      } catch {
        // A wedged or busy monitor, or ECONNRESET after quit: the signals below take over.
      }
      if (!asked || !(await waitForExit(this.ctx.processes, pid, wait, marker))) {
        this.ctx.processes.signal(pid, 'SIGTERM');
        if (!(await waitForExit(this.ctx.processes, pid, wait, marker))) {
          this.ctx.processes.signal(pid, 'SIGKILL');
          await waitForExit(this.ctx.processes, pid, wait, marker);
        }
      }
    }
    this.dropClient();
    await this.dir.removeRuntimeFiles();
  }

  /**
   * Remove what this host keeps for the instance. Without `keepDisks` the whole directory goes
   * (when this host owns it). With `keepDisks`, disks and console log stay; the record is
   * dropped if this host owned it, so the instance is no longer listed here.
   */
  async cleanup(options: { keepDisks?: boolean } = {}): Promise<void> {
    await this.terminate();
    const onDisk = await this.dir.readRecord();
    if (onDisk && onDisk.host !== this.ctx.hostName) return; // another host's now (shared storage)
    if (!options.keepDisks) return this.dir.removeAll();
    await rm(this.dir.savedState, { force: true });
    await rm(this.dir.recordFile, { force: true });
  }

  /** Forget the QMP connection without touching QEMU (manager shutdown). */
  detach(): void {
    this.dropClient();
  }

  private async requireRunning(operation: string): Promise<QmpClient> {
    if (!this.isRunning()) throw new GuestStateConflict({ uuid: this.uuid, operation, state: powerStateWithoutProcess(this.current.powerState) });
    return this.qmp();
  }

  /** ACPI powerdown and wait for the guest's SHUTDOWN; false when nobody reacted in time. */
  private async shutdownCleanly(qmp: QmpClient, timeoutMs: number): Promise<boolean> {
    const shutdown = qmp.waitForEvent('SHUTDOWN', { timeoutMs });
    await qmp.execute('system_powerdown');
    try {
      await shutdown;
      return true;
    } catch (err) {
      if (err instanceof QmpTimeout) return false;
      throw err;
    }
  }

  private qmpOptions() {
    const { commandMs, connectMs } = this.ctx.timeouts;
    return { label: this.current.config.name, commandTimeoutMs: commandMs, greetingTimeoutMs: connectMs };
  }

  private dropClient(): void {
    this.client?.close();
    this.client = undefined;
  }

  private async spawnFailure(exitCode: number | null, cause?: unknown): Promise<GuestSpawnFailed> {
    const log = await readFile(this.dir.qemuLog, 'utf8').catch(() => '');
    const reason = log.trim() ? log.slice(-2000) : isVirtQemuError(cause) ? cause.message : 'QMP socket never answered';
    return new GuestSpawnFailed({ uuid: this.uuid, exitCode, stderr: reason });
  }
}
