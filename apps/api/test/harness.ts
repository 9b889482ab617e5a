// A running embedded node in this process, as `novakit up` wires it: SQLite in a temp
// directory (migrated), one in-process transport, the conductor (with compute_task reaching
// the computes), N fake compute hosts on a hypervisor network of their own, and the API on a
// free port. Tests talk to it over real HTTP.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPUTE_RPC_API, ComputeRpcClient } from '@novakit/compute-api';
import { ConductorClient } from '@novakit/conductor-api';
import { startComputeManager, type ComputeManagerHandle } from '@novakit/compute-manager';
import { computeRpcPort, startConductor, type RunningConductor } from '@novakit/conductor-service';
import { openDbApi, type DbApi } from '@novakit/db';
import { Flavor, NovaObjectSerializer, RequestContext } from '@novakit/objects';
import { createTransport, type Transport } from '@novakit/rpc';
import { FakeDriver, FakeHypervisorNetwork } from '@novakit/virt-fake';
import { pino } from 'pino';
import { vi } from 'vitest';
import { startApi, type ApiHandle } from '../src/index.js';

export const TOKENS = {
  admin: 'admin-token-0123456789',
  member: 'member-token-0123456789',
  other: 'other-project-token-0123456789',
} as const;

export interface TestNode {
  readonly api: ApiHandle;
  readonly url: string;
  readonly dir: string;
  readonly db: DbApi;
  readonly transport: Transport;
  readonly computes: Map<string, ComputeManagerHandle>;
  /** The conductor's view, for checking what landed. */
  readonly admin: RequestContext;
  /** Every log line the node wrote (JSON), for request-id checks. */
  readonly logs: string[];
  driver(host: string): FakeDriver;
  stop(): Promise<void>;
}

export interface NodeOptions {
  readonly hosts?: number;
  readonly bodyLimitBytes?: number;
}

export async function startTestNode(options: NodeOptions = {}): Promise<TestNode> {
  const dir = await mkdtemp(join(tmpdir(), 'novakit-api-'));
  const logs: string[] = [];
  const logger = pino({ level: process.env.NOVAKIT_LOG_LEVEL ?? 'info' }, { write: (line: string) => void logs.push(line) });
  const db = await openDbApi(`sqlite://${join(dir, 'novakit.db')}`, { schema: 'migrate' });
  const bus = `memory://api-test-${randomBytes(4).toString('hex')}`;
  const transport = await createTransport(bus, { logger });
  const computeClient = new ComputeRpcClient(transport, { serializer: new NovaObjectSerializer({ db }), versionCap: COMPUTE_RPC_API.latest, timeoutMs: 10_000 });
  const conductor: RunningConductor = await startConductor({ transport, db, host: 'conductor', logger, computeRpc: computeRpcPort(computeClient) });
  const admin = RequestContext.admin({ db });
  for (const [flavorid, name, memory_mb, vcpus, root_gb] of [
    ['1', 'm1.tiny', 512, 1, 1],
    ['2', 'm1.small', 2048, 1, 20],
  ] as const) {
    await new Flavor({ flavorid, name, memory_mb, vcpus, root_gb, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, disabled: false, extra_specs: {} }, admin).create();
  }
  const network = new FakeHypervisorNetwork();
  const computes = new Map<string, ComputeManagerHandle>();
  for (let i = 1; i <= (options.hosts ?? 2); i++) {
    const host = `compute-${i}`;
    computes.set(
      host,
      await startComputeManager({
        config: { host, transportUrl: bus, driver: { name: 'fake', options: {} }, periodic: { resourceReportSeconds: 0, powerStateSyncSeconds: 0, heartbeatSeconds: 5, orphanCleanupSeconds: 0 }, rpcTimeoutSeconds: 10, shutdownGraceSeconds: 5 },
        transport,
        driverOptions: { network },
        logger,
      }),
    );
  }
  const api = await startApi({
    config: {
      listen: { host: '127.0.0.1', port: 0 },
      transportUrl: bus,
      auth: {
        tokens: {
          [TOKENS.admin]: { project_id: 'proj-a', user_id: 'alice', roles: ['admin'] },
          [TOKENS.member]: { project_id: 'proj-a', user_id: 'bob', roles: ['member'] },
          [TOKENS.other]: { project_id: 'proj-b', user_id: 'carol', roles: ['member'] },
        },
      },
      volumes: { dataDir: join(dir, 'volumes'), maxSizeGb: 100 },
      rpcTimeoutSeconds: 10,
      ...(options.bodyLimitBytes ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
    },
    transport,
    logger,
  });
  return {
    api,
    url: api.url,
    dir,
    db,
    transport,
    computes,
    admin,
    logs,
    driver: (host) => computes.get(host)!.driver as FakeDriver,
    async stop() {
      await api.close();
      for (const c of computes.values()) await c.stop({ graceMs: 2000 }).catch(() => undefined);
      await conductor.stop({ graceMs: 2000 });
      await transport.close();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface HttpResult {
  readonly status: number;
  readonly body: any;
  readonly text: string;
  readonly headers: Headers;
}

/** One HTTP request; `body` a value (sent as JSON) or a string (sent as is). */
export async function http(
  node: { url: string },
  method: string,
  path: string,
  opts: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const token = opts.token === undefined ? TOKENS.admin : opts.token;
  const headers: Record<string, string> = { ...(token ? { 'x-auth-token': token } : {}), ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${node.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** Polls until `check` passes (casts return before the work is done). */
export async function eventually<T>(what: string, probe: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

/** Creates a server and waits until it is ACTIVE; returns its id. */
export async function activeServer(node: { url: string }, name = `vm-${randomBytes(3).toString('hex')}`, extra: Record<string, unknown> = {}, token?: string): Promise<string> {
  const res = await http(node, 'POST', '/v2.1/servers', { body: { server: { name, flavorRef: '1', ...extra } }, ...(token ? { token } : {}) });
  if (res.status !== 202) throw new Error(`create answered ${res.status}: ${res.text}`);
  const id = res.body.server.id as string;
  await eventually(`${name} ACTIVE`, () => http(node, 'GET', `/v2.1/servers/${id}`, token ? { token } : {}), (r) => r.body?.server?.status === 'ACTIVE' || r.body?.server?.status === 'ERROR');
  const show = await http(node, 'GET', `/v2.1/servers/${id}`, token ? { token } : {});
  if (show.body.server.status !== 'ACTIVE') throw new Error(`${name} went ${show.body.server.status}: ${show.text}`);
  return id;
}

export interface ConductorCalls {
  /** The object methods (`Name.method`) asked of the conductor while serving this response, in order. */
  of(res: HttpResult): string[];
  restore(): void;
}

/**
 * Records every object method sent to a conductor from now on. The API's calls and the computes'
 * all go through ConductorClient; the request id tells one response's calls apart.
 */
export function recordConductorCalls(): ConductorCalls {
  const calls: { request: string | null; call: string }[] = [];
  const record = (ctx: unknown, call: string) => calls.push({ request: (ctx as RequestContext).request_id ?? null, call });
  const classAction = ConductorClient.prototype.object_class_action_versions;
  const action = ConductorClient.prototype.object_action;
  const spies = [
    vi.spyOn(ConductorClient.prototype, 'object_class_action_versions').mockImplementation(function (this: ConductorClient, ctx, objname, objmethod, ...rest) {
      record(ctx, `${objname}.${objmethod}`);
      return classAction.call(this, ctx, objname, objmethod, ...rest);
    }),
    vi.spyOn(ConductorClient.prototype, 'object_action').mockImplementation(function (this: ConductorClient, ctx, objinst, objmethod, ...rest) {
      record(ctx, `${objinst.obj_name()}.${objmethod}`);
      return action.call(this, ctx, objinst, objmethod, ...rest);
    }),
  ];
  return {
    of: (res) => {
      const id = res.headers.get('x-openstack-request-id');
      return calls.filter((c) => c.request === id).map((c) => c.call);
    },
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
