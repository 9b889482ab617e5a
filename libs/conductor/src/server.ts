// The conductor's RPC server: one endpoint for the conductor API (object and legacy methods)
// and one for `compute_task`, both on the conductor topic. Incoming contexts are given the DB
// API, so every object method the dispatcher runs executes here against the database.
import {
  COMPUTE_TASK_API,
  COMPUTE_TASK_NAMESPACE,
  CONDUCTOR_API,
  CONDUCTOR_ERROR_NAMES,
  CONDUCTOR_TOPIC,
} from '@novakit/conductor-api';
import type { DbApi } from '@novakit/db';
import { createRequestContextCodec, objectRegistry, type RequestContext } from '@novakit/objects';
import { defineEndpoint, RpcServer, type Transport } from '@novakit/rpc';
import { ObjectSerializer, type ObjectRegistry } from '@novakit/versioned-objects';
import { pino, type Logger } from 'pino';
import type { ComputeRpc } from './compute-task/compute-rpc.js';
import { computeTaskMethods } from './compute-task/methods.js';
import { guarded } from './endpoints/guard.js';
import { legacyMethods } from './endpoints/legacy.js';
import { objectMethods } from './endpoints/objects.js';
import { objectMethodError, translateError } from './errors.js';
import type { SchedulerOptions } from './scheduler/filters.js';
import { Scheduler } from './scheduler/scheduler.js';

export interface ConductorServerOptions {
  readonly transport: Transport;
  readonly db: DbApi;
  /** This worker's host: its `<topic>.<host>` queue, and the host recorded on faults. */
  readonly host: string;
  /** Default `conductor`. */
  readonly topic?: string;
  /** The objects this conductor serves. Default: every object of @novakit/objects. */
  readonly registry?: ObjectRegistry;
  /** How compute_task reaches the computes; without it compute_task refuses (ComputeTaskUnavailable). */
  readonly computeRpc?: ComputeRpc | null;
  readonly scheduler?: Partial<SchedulerOptions>;
  /** Requests handled at once by this worker. Default 64. */
  readonly maxConcurrency?: number;
  readonly logger?: Logger;
}

export interface ConductorServer {
  readonly rpc: RpcServer<RequestContext>;
  readonly scheduler: Scheduler;
  start(): Promise<void>;
  /** Stops consuming, finishes the calls in flight (and answers them), then resolves. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

export function createConductorServer(options: ConductorServerOptions): ConductorServer {
  const log = options.logger ?? pino({ name: 'nova-conductor', level: process.env.NOVAKIT_LOG_LEVEL ?? 'info' });
  const registry = options.registry ?? objectRegistry;
  const scheduler = new Scheduler(options.scheduler);
  const objects = guarded(objectMethods(registry), (err, method, args) => objectMethodError(err, actionName(method, args)), log);
  const legacy = guarded(legacyMethods(options.db), translateError, log);
  const tasks = guarded(computeTaskMethods({ scheduler, computeRpc: options.computeRpc ?? null, host: options.host, log }), translateError, log);
  const serializer = new ObjectSerializer<RequestContext>(registry, createRequestContextCodec({ db: options.db }));
  const rpc = new RpcServer<RequestContext>(
    options.transport,
    { topic: options.topic ?? CONDUCTOR_TOPIC, server: options.host },
    [
      defineEndpoint<RequestContext>({ target: { version: CONDUCTOR_API.latest }, methods: { ...objects, ...legacy } }),
      defineEndpoint<RequestContext>({ target: { namespace: COMPUTE_TASK_NAMESPACE, version: COMPUTE_TASK_API.latest }, methods: tasks }),
    ],
    {
      serializer,
      logger: log,
      expectedErrors: [...CONDUCTOR_ERROR_NAMES],
      ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
    },
  );
  return {
    rpc,
    scheduler,
    start: () => rpc.start(),
    stop: (o) => rpc.stop(o),
  };
}

/** `Instance.save`, for the error an object method's untyped failure becomes. */
function actionName(method: string, args: Record<string, unknown>): string {
  const objinst = args.objinst as { obj_name?: () => string } | undefined;
  const objname = typeof objinst?.obj_name === 'function' ? objinst.obj_name() : args.objname;
  return `${String(objname ?? method)}.${String(args.objmethod ?? method)}`;
}
