// startConductor: one conductor worker on a transport and a database it is given. The
// embedded all-in-one (`novakit up`) calls it in-process with its own transport and DbApi; the
// standalone service (run.ts) calls it with AMQP and the configured database.
import { CONDUCTOR_TOPIC } from '@novakit/conductor-api';
import { createConductorServer, type ConductorServer, type ConductorServerOptions } from '@novakit/conductor';
import { assertSchemaCurrent } from '@novakit/db';
import { RequestContext, type Service } from '@novakit/objects';
import { hostname } from 'node:os';
import { pino } from 'pino';
import { Heartbeat, registerService } from './service-record.js';

/** The conductor server's options (libs/conductor), with the host defaulted and the service's own. */
export interface StartConductorOptions extends Omit<ConductorServerOptions, 'host'> {
  /** Default: the machine's hostname. */
  readonly host?: string;
  /** Service heartbeat period. Default 10 s. */
  readonly reportIntervalMs?: number;
  /** Refuse a database whose schema is older than this code (default true). */
  readonly checkSchema?: boolean;
}

export interface RunningConductor {
  readonly host: string;
  readonly service: Service;
  readonly server: ConductorServer;
  /** Stops heartbeats and consuming, finishes calls in flight; leaves transport and DB open (they are the caller's). */
  stop(options?: { graceMs?: number }): Promise<void>;
}

export async function startConductor(options: StartConductorOptions): Promise<RunningConductor> {
  const host = options.host ?? hostname();
  const topic = options.topic ?? CONDUCTOR_TOPIC;
  const log = options.logger ?? pino({ name: 'nova-conductor', level: process.env.NOVAKIT_LOG_LEVEL ?? 'info' });
  // DBSchemaOutdated says which migrate command to run.
  if (options.checkSchema !== false) await assertSchemaCurrent(options.db.database);
  const service = await registerService(RequestContext.admin({ db: options.db }), host, topic);
  const server = createConductorServer({ ...options, host, topic, logger: log });
  await server.start();
  const heartbeat = new Heartbeat(service, options.reportIntervalMs ?? 10_000, log);
  heartbeat.start();
  log.info({ host, topic, service_id: service.id, version: service.version, compute_task: Boolean(options.computeRpc) }, 'conductor started');
  return {
    host,
    service,
    server,
    async stop({ graceMs = 30_000 } = {}) {
      await heartbeat.stop();
      await server.stop({ graceMs });
      log.info({ host }, 'conductor stopped');
    },
  };
}
