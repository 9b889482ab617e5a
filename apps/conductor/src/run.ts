// One standalone conductor worker from its configuration: the configured database (refused
// when its schema is older than the code), AMQP, pino logs, and startConductor on top.
import { openDbApi } from '@novakit/db';
import { createTransport } from '@novakit/rpc';
import { computeRpcPort, conductorComputeClient } from './compute-rpc.js';
import { pino, type Logger } from 'pino';
import { checkStandalone, type ConductorConfig } from './config.js';
import { startConductor } from './start.js';

export interface RunningService {
  /** Graceful: calls in flight finish (up to shutdown_grace_s), then the transport and DB close. */
  stop(): Promise<void>;
}

export function serviceLogger(config: ConductorConfig, extra: Record<string, unknown> = {}): Logger {
  return pino({ name: 'nova-conductor', level: config.log.level, base: { pid: process.pid, host: config.host, ...extra } });
}

export async function runConductor(config: ConductorConfig, log: Logger = serviceLogger(config)): Promise<RunningService> {
  checkStandalone(config);
  const db = await openDbApi(config.database.url);
  let transport;
  try {
    transport = await createTransport(config.transport.url, {
      logger: log,
      connectTimeoutMs: config.transport.connect_timeout_s * 1000,
      connectionName: `nova-conductor:${config.host}:${process.pid}`,
      ...(config.transport.exchange ? { exchange: config.transport.exchange } : {}),
    });
  } catch (err) {
    await db.close();
    throw err;
  }
  const s = config.scheduler;
  let running;
  try {
    running = await startConductor({
      transport,
      db,
      computeRpc: computeRpcPort(conductorComputeClient(transport, db)),
      host: config.host,
      topic: config.topic,
      logger: log,
      reportIntervalMs: config.report_interval_s * 1000,
      maxConcurrency: config.max_concurrency,
      scheduler: {
        ramAllocationRatio: s.ram_allocation_ratio,
        diskAllocationRatio: s.disk_allocation_ratio,
        cpuAllocationRatio: s.cpu_allocation_ratio,
        serviceDownSeconds: s.service_down_time_s,
        maxMigrationAttempts: s.max_migration_attempts,
      },
    });
  } catch (err) {
    await transport.close();
    await db.close();
    throw err;
  }
  return {
    async stop() {
      await running.stop({ graceMs: config.shutdown_grace_s * 1000 });
      await transport.close();
      await db.close();
    },
  };
}
