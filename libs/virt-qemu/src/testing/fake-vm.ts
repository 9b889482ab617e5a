/**
 * The machine behind the fake QMP server: run state, block nodes, devices, block jobs and the
 * outgoing/incoming migration, with QEMU 7.2's answers and events for the commands the
 * building blocks send. Commands return a value or throw FakeQmpError (an `{"error": …}` reply).
 */
import { readFileSync, writeFileSync } from 'node:fs';

export class FakeQmpError extends Error {
  constructor(
    readonly errorClass: string,
    readonly desc: string,
  ) {
    super(desc);
  }
}

export interface FakeVmOptions {
  cpus?: number;
  /** Run state at start: 'running', or 'inmigrate' for `-incoming`, 'paused' for `-S`. */
  status?: string;
  /** A guest OS that honours ACPI powerdown (QEMU then reports SHUTDOWN). Default: none, as in tests. */
  guestOs?: boolean;
  /** Delay before DEVICE_DELETED after device_del; `null` = never (as with ACPI hotplug and no OS). */
  unplugDelayMs?: number | null;
  /** Outgoing migration: number of 'active' polls and bytes of RAM. */
  migrationSteps?: number;
  migrationStepMs?: number;
  ramBytes?: number;
  /** Initial -blockdev nodes and -device entries (the fake launcher parses them from argv). */
  nodes?: { 'node-name': string; driver: string; file?: unknown; filename?: string }[];
  devices?: { id: string; driver: string; drive?: string }[];
}

interface Node { name: string; driver: string; file: string | undefined; filename: string | undefined }
interface Device { id: string; driver: string; drive: string | undefined }
interface Job { id: string; device: string; target: string; ready: boolean; len: number }

type Emit = (event: string, data?: Record<string, unknown>) => void;

/** Incoming fake migrations listen here by URI (one process = one test run). */
const incoming = new Map<string, FakeVm>();
let nextFakePort = 49152;

export class FakeVm {
  status: string;
  readonly nodes = new Map<string, Node>();
  readonly devices = new Map<string, Device>();
  readonly jobs = new Map<string, Job>();
  readonly capabilities = new Map<string, boolean>();
  readonly parameters: Record<string, unknown> = {};
  readonly exports = new Map<string, string>();
  nbdServer: string | undefined;
  migration: Record<string, unknown> = {};
  private incomingUri: string | undefined;
  private migrationTimer: NodeJS.Timeout | undefined;
  private resumeAfterFailure = false;
  /** Set by the server: emits an event to every connection. */
  emit: Emit = () => {};
  /** Set by the server: the process exits (sockets close). */
  exit: () => void = () => {};
  exited = false;

  constructor(readonly options: FakeVmOptions = {}) {
    this.status = options.status ?? 'running';
    for (const n of options.nodes ?? []) this.addNode(n);
    for (const d of options.devices ?? []) this.devices.set(d.id, { id: d.id, driver: d.driver, drive: d.drive });
  }

  handle(command: string, args: Record<string, unknown>): unknown {
    const handler = this.handlers[command];
    if (!handler) throw new FakeQmpError('CommandNotFound', `The command ${command} has not been found`);
    return handler(args) ?? {};
  }

  private readonly handlers: Record<string, (a: Record<string, unknown>) => unknown> = {
    'query-status': () => ({ status: this.status, running: this.status === 'running', singlestep: false }),
    stop: () => this.setStatus('paused', 'STOP'),
    cont: () => {
      if (this.status === 'inmigrate') throw new FakeQmpError('GenericError', 'Migration is not finalized yet');
      this.setStatus('running', 'RESUME');
    },
    system_reset: () => {
      this.emit('RESET', { guest: false, reason: 'host-qmp-system-reset' });
      return {};
    },
    system_powerdown: () => {
      this.emit('POWERDOWN');
      if (this.options.guestOs) setTimeout(() => this.shutdown('guest-shutdown'), 5);
      return {};
    },
    quit: () => {
      this.emit('SHUTDOWN', { guest: false, reason: 'host-qmp-quit' });
      setImmediate(() => this.exit());
      return {};
    },
    'blockdev-add': (a) => {
      const name = String(a['node-name']);
      if (this.nodes.has(name)) throw new FakeQmpError('GenericError', `Duplicate nodes with node-name='${name}'`);
      this.addNode(a as never);
      return {};
    },
    'blockdev-del': (a) => {
      const name = String(a['node-name']);
      if (!this.nodes.has(name)) throw new FakeQmpError('GenericError', `Failed to find node with node-name='${name}'`);
      const users = [...this.devices.values()].some((d) => d.drive === name) || [...this.nodes.values()].some((n) => n.file === name);
      if (users) throw new FakeQmpError('GenericError', `Node ${name} is in use`);
      this.nodes.delete(name);
      return {};
    },
    device_add: (a) => this.deviceAdd(a),
    device_del: (a) => this.deviceDel(String(a.id)),
    'query-block': () =>
      [...this.devices.values()].filter((d) => d.drive).map((d) => {
        const node = this.nodes.get(d.drive!)!;
        return { device: '', qdev: d.id, inserted: { file: this.fileOf(node), 'node-name': node.name, drv: node.driver, ro: false } };
      }),
    'query-blockstats': () =>
      [...this.devices.values()].filter((d) => d.drive).map((d) => ({
        device: '',
        'node-name': d.drive,
        qdev: d.id,
        stats: { rd_bytes: 512, wr_bytes: 0, rd_operations: 1, wr_operations: 0, flush_operations: 0 },
      })),
    'query-named-block-nodes': () => [...this.nodes.values()].map((n) => ({ 'node-name': n.name, drv: n.driver, file: this.fileOf(n) })),
    'query-cpus-fast': () =>
      Array.from({ length: this.options.cpus ?? 1 }, (_, i) => ({
        'cpu-index': i, 'thread-id': 4242 + i, 'qom-path': `/machine/unattached/device[${i}]`, target: 'x86_64',
      })),
    'migrate-set-capabilities': (a) => {
      for (const c of a.capabilities as { capability: string; state: boolean }[]) this.capabilities.set(c.capability, c.state);
      return {};
    },
    'migrate-set-parameters': (a) => {
      Object.assign(this.parameters, a);
      return {};
    },
    'migrate-incoming': (a) => this.migrateIncoming(String(a.uri)),
    migrate: (a) => this.migrateOut(String(a.uri)),
    'migrate-continue': () => {
      if (this.migration.status !== 'pre-switchover') throw new FakeQmpError('GenericError', 'Migration not in expected state');
      this.migration = { ...this.migration, status: 'device' };
      return {};
    },
    migrate_cancel: () => {
      if (this.migrationTimer) this.failMigration('cancelled');
      return {};
    },
    'query-migrate': () => this.migration,
    'nbd-server-start': (a) => {
      if (this.nbdServer) throw new FakeQmpError('GenericError', 'NBD server already running');
      const addr = (a.addr as { data: { host: string; port: string } }).data;
      this.nbdServer = `${addr.host}:${addr.port}`;
      return {};
    },
    'nbd-server-stop': () => {
      this.nbdServer = undefined;
      this.exports.clear();
      return {};
    },
    'block-export-add': (a) => {
      if (!this.nbdServer) throw new FakeQmpError('GenericError', 'NBD server not running');
      if (!this.nodes.has(String(a['node-name']))) throw new FakeQmpError('GenericError', `Cannot find node ${String(a['node-name'])}`);
      this.exports.set(String(a.id), String(a['node-name']));
      return {};
    },
    'block-export-del': (a) => {
      this.exports.delete(String(a.id));
      return {};
    },
    'blockdev-mirror': (a) => this.mirror(a),
    'query-block-jobs': () =>
      [...this.jobs.values()].map((j) => ({ device: j.id, type: 'mirror', len: j.len, offset: j.ready ? j.len : 0, ready: j.ready, status: j.ready ? 'ready' : 'running' })),
    'block-job-complete': (a) => {
      const job = this.jobs.get(String(a.device));
      if (!job) throw new FakeQmpError('DeviceNotActive', `Block job '${String(a.device)}' not found`);
      if (!job.ready) throw new FakeQmpError('GenericError', `The active block job '${job.id}' cannot be completed`);
      this.jobs.delete(job.id);
      // The pivot: devices on the mirrored node now use the target.
      for (const d of this.devices.values()) if (d.drive === job.device) d.drive = job.target;
      setTimeout(() => this.emit('BLOCK_JOB_COMPLETED', { device: job.id, type: 'mirror', len: job.len, offset: job.len, speed: 0 }), 2);
      return {};
    },
    block_resize: (a) => {
      if (!this.nodes.has(String(a['node-name']))) throw new FakeQmpError('GenericError', `Cannot find node ${String(a['node-name'])}`);
      return {};
    },
    'block-job-cancel': (a) => {
      const job = this.jobs.get(String(a.device));
      if (!job) throw new FakeQmpError('DeviceNotActive', `Block job '${String(a.device)}' not found`);
      this.jobs.delete(job.id);
      const event = job.ready ? 'BLOCK_JOB_COMPLETED' : 'BLOCK_JOB_CANCELLED';
      setTimeout(() => this.emit(event, { device: job.id, type: 'mirror', len: job.len, offset: job.len, speed: 0 }), 2);
      return {};
    },
  };

  /** The guest powered itself off (with -no-shutdown QEMU stays, in state 'shutdown'). */
  shutdown(reason: string): void {
    this.emit('SHUTDOWN', { guest: true, reason });
    this.status = 'shutdown';
  }

  private setStatus(status: string, event: string): object {
    if (this.status !== status) this.emit(event);
    this.status = status;
    return {};
  }

  private addNode(a: { 'node-name': string; driver: string; file?: unknown; filename?: string }): void {
    const file = typeof a.file === 'string' ? a.file : undefined;
    this.nodes.set(a['node-name'], { name: a['node-name'], driver: a.driver, file, filename: a.filename });
  }

  private fileOf(node: Node): string {
    if (node.filename) return node.filename;
    const child = node.file ? this.nodes.get(node.file) : undefined;
    return child ? this.fileOf(child) : '';
  }

  private deviceAdd(a: Record<string, unknown>): object {
    const id = String(a.id);
    if (this.devices.has(id)) throw new FakeQmpError('GenericError', `Duplicate device ID '${id}'`);
    const drive = a.drive === undefined ? undefined : String(a.drive);
    if (drive !== undefined && !this.nodes.has(drive)) throw new FakeQmpError('GenericError', `Drive '${drive}' not found`);
    if (drive !== undefined && [...this.devices.values()].some((d) => d.drive === drive)) {
      throw new FakeQmpError('GenericError', `Drive '${drive}' is already in use by another device`);
    }
    this.devices.set(id, { id, driver: String(a.driver), drive });
    return {};
  }

  private deviceDel(id: string): object {
    if (!this.devices.has(id)) throw new FakeQmpError('DeviceNotFound', `Device '${id}' not found`);
    const delay = this.options.unplugDelayMs === undefined ? 5 : this.options.unplugDelayMs;
    if (delay !== null) {
      setTimeout(() => {
        if (!this.devices.delete(id)) return;
        this.emit('DEVICE_DELETED', { device: id, path: `/machine/peripheral/${id}` });
      }, delay);
    }
    return {};
  }

  private mirror(a: Record<string, unknown>): object {
    const id = String(a['job-id']);
    if (!this.nodes.has(String(a.device)) || !this.nodes.has(String(a.target))) {
      throw new FakeQmpError('GenericError', 'Cannot find device or target node');
    }
    const job: Job = { id, device: String(a.device), target: String(a.target), ready: false, len: 1 << 20 };
    this.jobs.set(id, job);
    setTimeout(() => {
      if (!this.jobs.has(id)) return;
      job.ready = true;
      this.emit('BLOCK_JOB_READY', { device: id, type: 'mirror', len: job.len, offset: job.len, speed: 0 });
    }, 10);
    return {};
  }

  private migrateIncoming(uri: string): object {
    if (this.status !== 'inmigrate') throw new FakeQmpError('GenericError', "The command migrate-incoming can only be used with '-incoming defer'");
    if (uri.startsWith('exec:')) return this.restoreFrom(uri);
    // Like QEMU, port 0 means "pick one", reported by query-migrate as socket-address.
    const m = /^tcp:(.+):(\d+)$/.exec(uri);
    if (!m) throw new FakeQmpError('GenericError', `unknown migration protocol: ${uri}`);
    const port = m[2] === '0' ? String(nextFakePort++) : m[2]!;
    this.incomingUri = `tcp:${m[1]}:${port}`;
    incoming.set(this.incomingUri, this);
    this.migration = { 'socket-address': [{ type: 'inet', host: m[1], port }] };
    return {};
  }

  private restoreFrom(uri: string): object {
    const path = uri.replace(/^exec:cat\s+/, '').replace(/^'|'$/g, '');
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { status: string };
    setTimeout(() => this.finishIncoming(saved.status), 5);
    return {};
  }

  private migrateOut(uri: string): object {
    if (this.migrationTimer) throw new FakeQmpError('GenericError', 'There is a migration process in progress');
    const ram = this.options.ramBytes ?? 64 << 20;
    const steps = Math.max(1, this.options.migrationSteps ?? 3);
    const wasRunning = this.status === 'running';
    this.resumeAfterFailure = wasRunning;
    let step = 0;
    this.migration = { status: 'setup' };
    this.migrationTimer = setInterval(() => {
      const dest = uri.startsWith('exec:') ? undefined : incoming.get(uri);
      if (!uri.startsWith('exec:') && (!dest || dest.exited)) return this.failMigration('failed', 'Connection refused');
      step += 1;
      if (dest && dest.migration.status === undefined) dest.migration = { ...dest.migration, status: 'active' };
      const transferred = Math.round((ram * Math.min(step, steps)) / steps);
      const ramInfo = { transferred, remaining: ram - transferred, total: ram };
      if (step < steps) return void (this.migration = { status: 'active', 'total-time': step, ram: ramInfo });
      if (this.capabilities.get('pause-before-switchover') && this.migration.status !== 'device') {
        if (this.migration.status !== 'pre-switchover') this.setStatus('finish-migrate', 'STOP');
        return void (this.migration = { status: 'pre-switchover', ram: ramInfo });
      }
      clearInterval(this.migrationTimer);
      this.migrationTimer = undefined;
      if (this.status === 'running') this.emit('STOP');
      this.status = 'postmigrate';
      this.migration = { status: 'completed', 'total-time': steps * 10, downtime: 3, ram: ramInfo };
      if (dest) dest.finishIncoming(wasRunning ? 'running' : 'paused');
      else this.saveTo(uri, wasRunning ? 'running' : 'paused');
    }, this.options.migrationStepMs ?? 5);
    return {};
  }

  /** As QEMU: a failed or cancelled outgoing migration resumes the source if it was running. */
  private failMigration(status: string, reason?: string): void {
    clearInterval(this.migrationTimer);
    this.migrationTimer = undefined;
    this.migration = { status, ...(reason ? { 'error-desc': reason } : {}) };
    if (this.resumeAfterFailure && this.status !== 'running') this.setStatus('running', 'RESUME');
    else if (!this.resumeAfterFailure && this.status !== 'paused') this.status = 'paused';
  }

  private saveTo(uri: string, status: string): void {
    const path = uri.replace(/^exec:cat\s*>\s*/, '').replace(/^'|'$/g, '');
    writeFileSync(path, JSON.stringify({ fake: 'qemu-state', status }));
  }

  private finishIncoming(status: string): void {
    if (this.incomingUri) incoming.delete(this.incomingUri);
    this.migration = { status: 'completed' };
    this.status = status === 'running' ? 'running' : 'paused';
    if (status === 'running') this.emit('RESUME');
  }

  /** The process is gone: stop timers, leave the incoming registry. */
  dispose(): void {
    this.exited = true;
    clearInterval(this.migrationTimer);
    if (this.incomingUri && incoming.get(this.incomingUri) === this) incoming.delete(this.incomingUri);
  }
}
