// Separate processes for the multi-process and crash suites: a conductor, compute managers
// (the real bin, or the crash-test runner with the fake's slow options), RabbitMQ probing,
// unique names, and a harness whose eyes are objects on the shared SQLite file.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPUTE_RPC_API, ComputeRpcClient, computeErrorRegistry } from '@novakit/compute-api';
import { openDbApi, type DbApi } from '@novakit/db';
import { NovaObjectSerializer, RequestContext } from '@novakit/objects';
import { createTransport, RpcClient, type Transport } from '@novakit/rpc';
import { deleteBrokerObjects, probeRabbitMq, RABBIT_URL, servicesRequired, uniqueName } from '@novakit/rpc/testing';
import { probeQemu, procfsProcesses } from '@novakit/virt-qemu';

const APP = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Null when RabbitMQ is there; else the reason, printed (and a failure when NOVAKIT_REQUIRE_SERVICES=1). */
export async function rabbitMissing(suite: string): Promise<string | null> {
  const reason = await probeRabbitMq(RABBIT_URL);
  if (reason === null) return null;
  if (servicesRequired()) throw new Error(`${suite} needs RabbitMQ (NOVAKIT_REQUIRE_SERVICES=1): ${reason}`);
  console.warn(`skipping ${suite}: RabbitMQ is not available (${reason})`);
  return reason;
}

/** Null when qemu-system-x86_64 and qemu-img run; else the reason, printed (and a failure when NOVAKIT_REQUIRE_SERVICES=1). */
export async function qemuMissing(suite: string): Promise<string | null> {
  const [system, img] = await Promise.all([probeQemu(), probeQemu('qemu-img')]);
  const reason = !system.available ? `qemu-system-x86_64: ${system.reason ?? 'unavailable'}` : !img.available ? `qemu-img: ${img.reason ?? 'unavailable'}` : null;
  if (reason === null) return null;
  if (servicesRequired()) throw new Error(`${suite} needs QEMU (NOVAKIT_REQUIRE_SERVICES=1): ${reason}`);
  console.warn(`skipping ${suite}: QEMU is not available (${reason})`);
  return reason;
}

/**
 * Pid and command line of every running qemu-system process whose command line mentions
 * `marker`. Liveness (zombies count as gone) and the marker check are the driver's own
 * (`procfsProcesses.isAlive`); only the listing of /proc is done here.
 */
export function qemuProcesses(marker: string): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!procfsProcesses.isAlive(pid, marker)) continue;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (/qemu-system/.test(argv[0] ?? '')) out.push({ pid, cmdline: argv.join(' ') });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** SIGKILL every qemu-system whose command line mentions `marker` (a suite's temp directory); returns how many. */
export function killQemus(marker: string): number {
  return qemuProcesses(marker).filter(({ pid }) => procfsProcesses.signal(pid, 'SIGKILL')).length;
}

export class Proc {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', ...args], {
      cwd: APP,
      env: { ...process.env, NOVAKIT_LOG_LEVEL: process.env.NOVAKIT_LOG_LEVEL ?? 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let rest = '';
      stream.on('data', (chunk: Buffer) => {
        const parts = (rest + chunk.toString()).split('\n');
        rest = parts.pop()!;
        this.lines.push(...parts);
      });
    }
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (!this.lines.some((l) => pattern.test(l))) {
      if (exited || Date.now() > deadline) throw new Error(`process did not print ${pattern} (${exited ? 'exited' : 'timeout'}):\n${this.lines.slice(-30).join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** kill -9: no shutdown code runs. */
  async crash(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export interface Deployment {
  readonly dir: string;
  readonly db: DbApi;
  readonly exchange: string;
  readonly conductorTopic: string;
  readonly transport: Transport;
  readonly compute: ComputeRpcClient;
  readonly procs: Proc[];
  readonly ctx: RequestContext;
  /** Writes a compute configuration file for `host` on this deployment's broker and topics. */
  configFor(host: string, extra?: Record<string, unknown>): Promise<string>;
  /** The real `compute-manager` bin. */
  startBin(configPath: string): Promise<Proc>;
  /** The crash-test runner: computes from config files in one process, fake options by host. */
  startRunner(configPaths: string[], fakeOptions?: Record<string, unknown>): Promise<Proc>;
  call(host: string, method: string, args: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

export async function deploy(): Promise<Deployment> {
  const dir = await mkdtemp(join(tmpdir(), 'novakit-cm-mp-'));
  const dbUrl = `sqlite://${join(dir, 'nova.db')}`;
  const db = await openDbApi(dbUrl, { schema: 'migrate' });
  const exchange = uniqueName('cm');
  const conductorTopic = uniqueName('conductor');
  const transport = await createTransport(RABBIT_URL, { exchange });
  const serializer = new NovaObjectSerializer({ db });
  const compute = new ComputeRpcClient(transport, { serializer, versionCap: COMPUTE_RPC_API.latest, timeoutMs: 20_000 });
  const raw = new RpcClient<RequestContext>(transport, { topic: 'compute', version: '1.0' }, { serializer, errors: computeErrorRegistry(), timeoutMs: 20_000 });
  const procs: Proc[] = [];
  const hosts = new Set<string>();
  const conductor = new Proc(['test/support/conductor-process.ts'], { CM_DB_URL: dbUrl, CM_TRANSPORT_URL: RABBIT_URL, CM_EXCHANGE: exchange, CM_TOPIC: conductorTopic });
  procs.push(conductor);
  await conductor.waitFor(/^ready$/);
  return {
    dir,
    db,
    exchange,
    conductorTopic,
    transport,
    compute,
    procs,
    get ctx() {
      return RequestContext.withDb(RequestContext.admin(), db);
    },
    async configFor(host, extra = {}) {
      hosts.add(host);
      const path = join(dir, `${host}.json`);
      const config = {
        host,
        transportUrl: RABBIT_URL,
        exchange,
        conductorTopic,
        driver: { name: 'fake', options: {} },
        periodic: { resourceReportSeconds: 0, powerStateSyncSeconds: 0, heartbeatSeconds: 2, orphanCleanupSeconds: 0 },
        rpcTimeoutSeconds: 20,
        shutdownGraceSeconds: 5,
        ...extra,
      };
      await writeFile(path, JSON.stringify(config));
      return path;
    },
    async startBin(configPath) {
      const proc = new Proc(['bin/compute-manager.mjs', '-c', configPath]);
      procs.push(proc);
      await proc.waitFor(/compute manager started/);
      return proc;
    },
    async startRunner(configPaths, fakeOptions = {}) {
      const proc = new Proc(['test/support/compute-process.ts', ...configPaths], { CM_FAKE_OPTIONS: JSON.stringify(fakeOptions) });
      procs.push(proc);
      for (const path of configPaths) await proc.waitFor(new RegExp(`^ready ${path.replace(/^.*\//, '').replace(/\.json$/, '')}$`));
      return proc;
    },
    call(host, method, args) {
      return raw.prepare({ server: host }).call(RequestContext.withDb(RequestContext.admin(), db), method, args);
    },
    async close() {
      for (const p of procs.reverse()) await p.stop();
      await transport.close();
      await db.close();
      // Everything this run named uniquely; the shared `compute` topic queue stays for others.
      await deleteBrokerObjects(RABBIT_URL, {
        queues: [conductorTopic, `${conductorTopic}.ctl`, ...[...hosts].map((h) => `compute.${h}`)],
        exchanges: [exchange, `${conductorTopic}_fanout`],
      }).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
