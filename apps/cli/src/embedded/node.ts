/**
 * The embedded all-in-one node (`novakit up`): one process, one in-process transport, a SQLite
 * database under the data directory (migrated on first start), the conductor, N compute hosts
 * and the API. Stopping it stops the API first (no new work), then the computes (they finish
 * or abandon what runs; init_host recovers it next start), then the conductor.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startApi, type ApiHandle } from '@novakit/api';
import { COMPUTE_RPC_API } from '@novakit/compute-api';
import { startComputeManager, type ComputeManagerHandle } from '@novakit/compute-manager';
import { computeRpcPort, conductorComputeClient, startConductor, type RunningConductor } from '@novakit/conductor-service';
import { openDbApi, type DbApi } from '@novakit/db';
import { RequestContext } from '@novakit/objects';
import { createTransport, type Transport } from '@novakit/rpc';
import type { Logger } from 'pino';
import { CliError, ExitCode } from '../exit-codes.js';
import { seedFlavors } from './flavors.js';

export interface EmbeddedOptions {
  readonly dataDir: string;
  readonly listenHost: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly hosts: number;
  readonly driver: 'fake' | 'qemu';
  readonly logger: Logger;
  /** Periodic task periods of the computes (tests shorten or disable them). */
  readonly periodic?: { resourceReportSeconds?: number; powerStateSyncSeconds?: number; heartbeatSeconds?: number; orphanCleanupSeconds?: number };
}

export interface EmbeddedNode {
  readonly api: ApiHandle;
  readonly token: string;
  readonly dataDir: string;
  readonly computes: readonly ComputeManagerHandle[];
  readonly flavorsCreated: number;
  stop(): Promise<void>;
}

/** The admin token of this data directory: made once, kept, so configs written earlier stay valid. */
async function adminToken(dataDir: string): Promise<string> {
  const path = join(dataDir, 'admin-token');
  try {
    const token = (await readFile(path, 'utf8')).trim();
    if (token.length >= 16) return token;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const token = randomBytes(24).toString('base64url');
  await writeFile(path, `${token}\n`, { mode: 0o600 });
  return token;
}

function driverConfig(driver: 'fake' | 'qemu', dataDir: string, host: string): { name: 'fake' | 'qemu'; options: Record<string, unknown> } {
  if (driver === 'fake') return { name: 'fake', options: {} };
  // Each host its own instance directory: not shared storage, so live migrations copy the disks.
  return { name: 'qemu', options: { state_path: join(dataDir, 'instances', host), host_ip: '127.0.0.1', migration_bind_address: '127.0.0.1' } };
}

async function stopAll(parts: { api?: ApiHandle; computes: ComputeManagerHandle[]; conductor?: RunningConductor; transport?: Transport; db?: DbApi }, log: Logger): Promise<void> {
  const step = async (what: string, fn: () => Promise<void>) => fn().catch((err: unknown) => log.warn({ err }, `stopping ${what} failed`));
  if (parts.api) await step('the API', () => parts.api!.close());
  for (const c of parts.computes) await step(`compute ${c.host}`, () => c.stop({ graceMs: 10_000 }));
  if (parts.conductor) await step('the conductor', () => parts.conductor!.stop({ graceMs: 5_000 }));
  if (parts.transport) await step('the transport', () => parts.transport!.close());
  if (parts.db) await step('the database', () => parts.db!.close());
}

export async function startEmbeddedNode(options: EmbeddedOptions): Promise<EmbeddedNode> {
  const dataDir = resolve(options.dataDir);
  const log = options.logger;
  try {
    await mkdir(join(dataDir, 'volumes'), { recursive: true });
  } catch (e) {
    throw new CliError(`cannot use the data directory ${dataDir}: ${(e as Error).message}`, ExitCode.START_FAILED);
  }
  const token = await adminToken(dataDir);
  const parts: { api?: ApiHandle; computes: ComputeManagerHandle[]; conductor?: RunningConductor; transport?: Transport; db?: DbApi } = { computes: [] };
  try {
    parts.db = await openDbApi(`sqlite://${join(dataDir, 'novakit.db')}`, { schema: 'migrate' });
    const bus = `memory://novakit-${randomBytes(4).toString('hex')}`;
    parts.transport = await createTransport(bus, { logger: log });
    const db = parts.db;
    // Every compute here runs this same code: cap at the latest version, no service lookup.
    const computeRpc = computeRpcPort(conductorComputeClient(parts.transport, db, COMPUTE_RPC_API.latest));
    parts.conductor = await startConductor({ transport: parts.transport, db, host: 'conductor', logger: log.child({ name: 'nova-conductor' }), computeRpc });
    const flavorsCreated = await seedFlavors(RequestContext.admin({ db }));
    for (let i = 1; i <= options.hosts; i++) {
      const host = `compute-${i}`;
      parts.computes.push(
        await startComputeManager({
          config: { host, transportUrl: bus, driver: driverConfig(options.driver, dataDir, host), periodic: { resourceReportSeconds: 10, powerStateSyncSeconds: 60, heartbeatSeconds: 10, orphanCleanupSeconds: 300, ...options.periodic } },
          transport: parts.transport,
          logger: log.child({ name: 'nova-compute', host }),
        }),
      );
    }
    try {
      parts.api = await startApi({
        config: {
          listen: { host: options.listenHost, port: options.port },
          transportUrl: bus,
          auth: { tokens: { [token]: { project_id: 'admin', user_id: 'admin', roles: ['admin'] } } },
          volumes: { dataDir: join(dataDir, 'volumes') },
        },
        transport: parts.transport,
        logger: log.child({ name: 'nova-api' }),
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CliError(`port ${options.port} on ${options.listenHost} is in use: pass --port`, ExitCode.START_FAILED);
      throw e;
    }
    let stopping: Promise<void> | undefined;
    return { api: parts.api, token, dataDir, computes: parts.computes, flavorsCreated, stop: () => (stopping ??= stopAll(parts, log)) };
  } catch (e) {
    await stopAll(parts, log);
    throw e;
  }
}
