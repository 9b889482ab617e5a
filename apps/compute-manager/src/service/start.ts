/**
 * The composition root of one compute: transport, conductor client, driver, manager, RPC
 * server, periodic tasks. `startComputeManager` is what the bin runs and what the embedded
 * all-in-one calls N times in one process with a shared transport.
 */
import { COMPUTE_RPC_API, COMPUTE_TOPIC, ComputeRpcClient, computeRpcVersionForService, createComputeEndpoint } from '@novakit/compute-api';
import { ConductorClient } from '@novakit/conductor-api';
import { NovaObjectSerializer, RequestContext, Service, type ComputeNode } from '@novakit/objects';
import { createTransport, RpcServer, type Transport } from '@novakit/rpc';
import { loadComputeDriver, type ComputeDriver, type ComputeDriverFactory } from '@novakit/virt-driver';
import type { Logger } from 'pino';
import { parseConfig, type ComputeManagerConfig, type ComputeManagerConfigInput } from '../config.js';
import { ComputeVirtAPI } from '../legacy/virtapi.js';
import { InFlight, type ManagerEnv } from '../manager/env.js';
import { computeHandlers } from '../manager/handlers.js';
import { COMPUTE_BINARY, markServiceDown } from '../periodic/heartbeat.js';
import { lifecycleEventListener } from '../periodic/power-sync.js';
import { PeriodicRunner } from '../periodic/runner.js';
import type { ComputeConductor } from '../ports.js';
import { initHost } from '../startup/init-host.js';
import { defaultDriverFactories } from './drivers.js';
import { createLogger } from './logger.js';
import { periodicTasks, type PeriodicTaskName } from './periodic-tasks.js';

/** Errors a well-formed request may end with: logged at debug by the RPC server, not as failures of this service. */
const EXPECTED_ERRORS = ['InstanceNotFound', 'InstanceNotOnHost', 'UnexpectedTaskStateError', 'UnexpectedDeletingTaskStateError', 'InvalidArguments', 'InstanceInvalidState', 'ComputeShuttingDown'];

export interface StartComputeManagerOptions {
  /** The configuration (validated here; a parsed file or an object built in code). */
  readonly config: ComputeManagerConfig | ComputeManagerConfigInput;
  /** A transport to share (embedded mode); default: one opened from `config.transportUrl`, closed on stop. */
  readonly transport?: Transport;
  /** Driver factories by name; default `{ fake, qemu }`. */
  readonly driverFactories?: Readonly<Record<string, ComputeDriverFactory>>;
  /** Driver options that cannot come from a file (a shared FakeHypervisorNetwork), merged over `config.driver.options`. */
  readonly driverOptions?: Readonly<Record<string, unknown>>;
  /** The conductor to use; default: a ConductorClient on the transport (`config.conductorTopic`). */
  readonly conductor?: ComputeConductor;
  readonly logger?: Logger;
}

export interface StopOptions {
  /** How long to wait for operations in flight; default `config.shutdownGraceSeconds`. */
  readonly graceMs?: number;
}

export interface ComputeManagerHandle {
  readonly host: string;
  readonly config: ComputeManagerConfig;
  readonly driver: ComputeDriver;
  readonly logger: Logger;
  /** Runs one periodic task now (tests; an operator's nudge). */
  runPeriodicTask(name: PeriodicTaskName): Promise<void>;
  /** Graceful shutdown: stop taking work, finish or abandon what runs, mark the service down. */
  stop(options?: StopOptions): Promise<void>;
}

export async function startComputeManager(options: StartComputeManagerOptions): Promise<ComputeManagerHandle> {
  const config = parseConfig(options.config);
  const logger = options.logger ?? createLogger(config.host, config.logLevel);
  const transport = options.transport ?? (await createTransport(config.transportUrl, { ...(config.exchange ? { exchange: config.exchange } : {}), logger }));
  const ownsTransport = options.transport === undefined;
  const timeoutMs = Math.round(config.rpcTimeoutSeconds * 1000);
  try {
    const conductor = options.conductor ?? new ConductorClient(transport, { topic: config.conductorTopic, versionCap: config.upgradeLevels.conductor, timeoutMs, logger });
    const serializer = new NovaObjectSerializer({ indirection: conductor });
    const admin = RequestContext.admin({ indirection: conductor });
    const compute = new ComputeRpcClient(transport, {
      serializer,
      timeoutMs,
      versionCap: COMPUTE_RPC_API.versionCap(config.upgradeLevels.compute, async () =>
        computeRpcVersionForService(await Service.getMinimumVersion(RequestContext.create({ ...admin, request_id: undefined }), COMPUTE_BINARY)),
      ),
    });
    const virtapi = new ComputeVirtAPI(conductor);
    const driver = loadComputeDriver(config.driver.name, options.driverFactories ?? defaultDriverFactories(), {
      host: config.host,
      virtapi,
      config: { ...config.driver.options, ...options.driverOptions },
    });
    // The periodic runner needs the records init_host makes with this env; a change of usage
    // during init_host (a delete it finishes) is reported once the runner exists.
    let usageChangedAtStart = false;
    let reportUsage = (): void => void (usageChangedAtStart = true);
    const env: ManagerEnv = { host: config.host, nodename: config.host, driver, conductor, compute, log: logger, inflight: new InFlight(config.host), usageChanged: () => reportUsage() };

    const records = await initHost(env, admin);
    const periodic = new PeriodicRunner(periodicTasks(env, admin, records, config), logger);
    reportUsage = () => periodic.runSoon('resource_report');
    if (usageChangedAtStart) reportUsage();
    const server = new RpcServer(transport, { topic: COMPUTE_TOPIC, server: config.host }, [createComputeEndpoint(computeHandlers(env))], {
      serializer,
      logger,
      expectedErrors: EXPECTED_ERRORS,
    });
    await server.start();
    periodic.start();
    if (driver.capabilities.supportsLifecycleEvents) driver.registerEventListener(lifecycleEventListener(env, () => RequestContext.create({ ...admin, request_id: undefined, timestamp: new Date() })));
    logger.info({ driver: driver.name, node: env.nodename, transport: config.transportUrl.replace(/\/\/[^@/]*@/, '//***@') }, 'compute manager started');
    return handle(config, env, { transport, ownsTransport, server, periodic, service: records.service, node: records.node });
  } catch (err) {
    if (ownsTransport) await transport.close().catch(() => undefined);
    throw err;
  }
}

interface Running {
  readonly transport: Transport;
  readonly ownsTransport: boolean;
  readonly server: RpcServer<RequestContext>;
  readonly periodic: PeriodicRunner;
  readonly service: Service;
  readonly node: ComputeNode;
}

function handle(config: ComputeManagerConfig, env: ManagerEnv, r: Running): ComputeManagerHandle {
  let stopping: Promise<void> | undefined;
  const stop = async (graceMs: number): Promise<void> => {
    const started = Date.now();
    // Stop taking messages; what was received finishes (its replies go out) within the grace period.
    env.driver.registerEventListener(null);
    await r.server.stop({ graceMs });
    const abandoned = await env.inflight.close(Math.max(0, graceMs - (Date.now() - started)));
    if (abandoned > 0) env.log.warn({ abandoned }, 'operations abandoned at shutdown; init_host recovers them at the next start');
    await r.periodic.stop();
    await markServiceDown(r.service).catch((err: unknown) => env.log.warn({ err }, 'could not mark the service down'));
    await env.driver.cleanupHost(env.host).catch((err: unknown) => env.log.warn({ err }, 'driver cleanup failed'));
    if (r.ownsTransport) await r.transport.close();
    env.log.info('compute manager stopped');
  };
  return {
    host: config.host,
    config,
    driver: env.driver,
    logger: env.log,
    runPeriodicTask: (name) => r.periodic.runNow(name),
    stop: (opts = {}) => (stopping ??= stop(opts.graceMs ?? Math.round(config.shutdownGraceSeconds * 1000))),
  };
}
