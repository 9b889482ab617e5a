// The whole stack in one process for functional tests: an in-process transport on a bus of
// its own, a real conductor on a private SQLite database, fake hypervisors on a network of
// their own, and compute managers started through startComputeManager.
import { randomBytes } from 'node:crypto';
import { COMPUTE_RPC_API, ComputeRpcClient, computeErrorRegistry } from '@novakit/compute-api';
import { createConductorServer, type ConductorServer } from '@novakit/conductor';
import { computeRpcPort } from '@novakit/conductor-service';
import { ConductorClient } from '@novakit/conductor-api';
import { openDbApi, type DbApi } from '@novakit/db';
import { Instance, NovaObjectSerializer, RequestContext, TaskState, VmState, type InstanceOptionalAttr } from '@novakit/objects';
import { createTransport, RpcClient, type Transport } from '@novakit/rpc';
import { FakeDriver, FakeHypervisorNetwork } from '@novakit/virt-fake';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startComputeManager, type ComputeManagerConfigInput, type ComputeManagerHandle } from '../src/index.js';

export const quietLogger = () => pino({ level: process.env.NOVAKIT_LOG_LEVEL ?? 'silent' }, pino.destination({ fd: 2, sync: true }));

export interface Stack {
  readonly transport: Transport;
  readonly db: DbApi;
  readonly conductor: ConductorServer;
  readonly network: FakeHypervisorNetwork;
  readonly computes: Map<string, ComputeManagerHandle>;
  /** A new admin context (its own request id) that runs objects locally against the database: the test's eyes and hands. */
  readonly ctx: RequestContext;
  /** The compute RPC client a caller (API, conductor) would use. */
  readonly compute: ComputeRpcClient;
  startCompute(host: string, extra?: Partial<ComputeManagerConfigInput>, logger?: import('pino').Logger): Promise<ComputeManagerHandle>;
  driver(host: string): FakeDriver;
  close(): Promise<void>;
}

const NO_PERIODIC = { resourceReportSeconds: 0, powerStateSyncSeconds: 0, heartbeatSeconds: 0, orphanCleanupSeconds: 0 };

export async function startStack(): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'novakit-cm-'));
  const db = await openDbApi(`sqlite://${join(dir, 'nova.db')}`, { schema: 'migrate' });
  const bus = `memory://cm-${randomBytes(4).toString('hex')}`;
  const logger = quietLogger();
  const transport = await createTransport(bus, { logger });
  const toComputes = new ComputeRpcClient(transport, { serializer: new NovaObjectSerializer({ db }), versionCap: COMPUTE_RPC_API.latest, timeoutMs: 10_000 });
  const conductor = createConductorServer({ transport, db, host: 'ctl', logger, computeRpc: computeRpcPort(toComputes) });
  await conductor.start();
  const network = new FakeHypervisorNetwork();
  const computes = new Map<string, ComputeManagerHandle>();
  const compute = new ComputeRpcClient(transport, { serializer: new NovaObjectSerializer({ db }), versionCap: COMPUTE_RPC_API.latest, timeoutMs: 10_000 });
  const stack: Stack = {
    transport,
    db,
    conductor,
    network,
    computes,
    get ctx() {
      return RequestContext.withDb(RequestContext.admin(), db);
    },
    compute,
    async startCompute(host, extra = {}, computeLogger = logger) {
      const handle = await startComputeManager({
        config: { host, transportUrl: bus, driver: { name: 'fake', options: {} }, periodic: NO_PERIODIC, rpcTimeoutSeconds: 10, shutdownGraceSeconds: 5, ...extra },
        transport,
        driverOptions: { network },
        conductor: new ConductorClient(transport, { timeoutMs: 10_000, logger }),
        logger: computeLogger,
      });
      computes.set(host, handle);
      return handle;
    },
    driver(host) {
      return computes.get(host)!.driver as FakeDriver;
    },
    async close() {
      for (const c of computes.values()) await c.stop({ graceMs: 2000 }).catch(() => undefined);
      await conductor.stop({ graceMs: 2000 });
      await transport.close();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** An instance record as the API and scheduler leave it before the build cast. */
export async function newInstance(ctx: RequestContext, fields: Record<string, unknown> = {}): Promise<Instance> {
  const instance = new Instance(
    {
      user_id: 'u1',
      project_id: 'p1',
      image_ref: 'cirros',
      display_name: 'vm',
      memory_mb: 512,
      vcpus: 1,
      root_gb: 1,
      ephemeral_gb: 0,
      vm_state: VmState.BUILDING,
      task_state: TaskState.SCHEDULING,
      power_state: 0,
      host: null,
      node: null,
      ...fields,
    },
    ctx,
  );
  await instance.create();
  return instance;
}

export async function load(ctx: RequestContext, uuid: string, attrs: InstanceOptionalAttr[] = []): Promise<Instance> {
  return Instance.getByUuid(RequestContext.withReadDeleted(ctx, 'yes'), uuid, { expectedAttrs: attrs });
}

/** Polls until `check` passes (casts return before the work is done). */
export async function eventually<T>(what: string, probe: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (check(last)) return last;
    } catch (e) {
      lastErr = e;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(last)}${lastErr ? `; last error ${String(lastErr)}` : ''}`);
}

export async function settled(ctx: RequestContext, uuid: string, vmState: string, timeoutMs?: number): Promise<Instance> {
  return eventually(`instance ${uuid} ${vmState} with no task`, () => load(ctx, uuid), (i) => i.vm_state === vmState && i.task_state === null, timeoutMs);
}

export const IMAGE = { id: 'cirros', properties: {} };

/** A file-backed volume as the API's volume stand-in hands it over: its connection info on the BDM. */
export async function fileVolume(bdm: import('@novakit/objects').BlockDeviceMapping, dir: string): Promise<void> {
  const path = join(dir, `${bdm.volume_id}.img`);
  await writeFile(path, Buffer.alloc(1024));
  bdm.connection_info = JSON.stringify({ driver_volume_type: 'file', data: { path, volume_id: bdm.volume_id }, serial: bdm.volume_id });
  await bdm.save();
}

/** A logger that keeps every line, to count how often something was logged. */
export function capturingLogger(): { logger: import('pino').Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** A raw RPC client to a compute: calls any method by wire name (a cast's errors come back as a call's). */
export function rawComputeClient(stack: Stack, host: string) {
  const client = new RpcClient<RequestContext>(stack.transport, { topic: 'compute', version: '1.0' }, { serializer: new NovaObjectSerializer({ db: stack.db }), errors: computeErrorRegistry(), timeoutMs: 10_000 });
  return (ctx: RequestContext, method: string, args: Record<string, unknown>) => client.prepare({ server: host }).call(ctx, method, args);
}
