// Turns any error into Nova's fault body (`{"itemNotFound": {"code": 404, "message": …}}`).
// Only errors this API knows by name answer with their own message: the domain errors of the
// objects, conductor, compute and drivers, and the API's own. Everything else is a 500 whose
// body carries the request id and nothing of the error, so no stack or internal text leaks.
import { COMPUTE_API_ERRORS } from '@novakit/compute-api';
import { CONDUCTOR_ERRORS } from '@novakit/conductor-api';
import { OBJECTS_ERRORS } from '@novakit/objects';
import { RemoteError, RpcError } from '@novakit/rpc';
import { NovakitError, type ErrorCategory } from '@novakit/versioned-objects';
import { VIRT_DRIVER_ERRORS } from '@novakit/virt-driver';
import { API_ERRORS } from '../errors.js';

export interface Fault {
  readonly status: number;
  readonly body: Record<string, { code: number; message: string } & Record<string, unknown>>;
  /** Whether the error is ours to investigate (logged with its stack). */
  readonly unexpected: boolean;
}

const STATUS_BY_CATEGORY: Readonly<Record<ErrorCategory, number>> = {
  NotFound: 404,
  Invalid: 400,
  Conflict: 409,
  NotSupported: 501,
  Forbidden: 403,
  Unavailable: 503,
  Internal: 500,
};

/** Where Nova's API answers otherwise than the category says. */
const STATUS_BY_NAME: Readonly<Record<string, number>> = {
  NotAuthenticated: 401,
  RequestTooLarge: 413,
  // os-migrateLive answers these pre-check failures with 400 (Nova's migrate_server.py).
  NoValidHost: 400,
  ComputeServiceUnavailable: 400,
  HypervisorUnavailable: 400,
  MarkerNotFound: 400,
};

/** Errors that name a programming error of the caller (this API), not of the user. */
const OUR_BUGS = new Set(['InvalidColumn', 'InstanceUpdateKeyNotAllowed', 'DBNotAllowed', 'InjectedFailure']);

const FAULT_NAMES: Readonly<Record<number, string>> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  500: 'computeFault',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

const KNOWN: ReadonlyMap<string, ErrorCategory> = new Map(
  [...OBJECTS_ERRORS, ...CONDUCTOR_ERRORS, ...COMPUTE_API_ERRORS, ...VIRT_DRIVER_ERRORS, ...API_ERRORS]
    .filter((cls) => !OUR_BUGS.has(cls.name))
    .map((cls) => [cls.name, cls.category]),
);

function body(status: number, message: string, extra: Record<string, unknown> = {}): Fault['body'] {
  return { [FAULT_NAMES[status] ?? (status >= 500 ? 'computeFault' : 'badRequest')]: { code: status, message, ...extra } };
}

function known(name: string, message: string, extra?: Record<string, unknown>): Fault | null {
  const category = KNOWN.get(name);
  if (!category) return null;
  const status = STATUS_BY_NAME[name] ?? STATUS_BY_CATEGORY[category];
  if (status >= 500 && status !== 501 && status !== 503) return null;
  return { status, body: body(status, message, extra), unexpected: false };
}

/** Fastify's own refusals (media type, content length …) keep their 4xx status. */
function fastifyFault(err: { code: string; statusCode?: number; message: string }): Fault | null {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return null;
  const status = err.statusCode ?? 500;
  if (status < 400 || status >= 500) return null;
  return { status, body: body(status, err.message.replace(/^FST_\w+:?\s*/, '')), unexpected: false };
}

export function faultOf(err: unknown, requestId: string): Fault {
  if (err instanceof NovakitError) {
    const extra = err.name === 'InvalidInput' ? { field: err.kwargs.field, problem: err.kwargs.problem } : undefined;
    const f = known(err.name, err.message, extra);
    if (f) return f;
  } else if (err instanceof RemoteError) {
    // A peer's error whose class the conductor client does not re-raise (a driver's, by name).
    const f = known(err.kwargs.excType, err.kwargs.value);
    if (f) return f;
  } else if (err instanceof RpcError && err.category === 'Unavailable') {
    return { status: 503, body: body(503, `The service is unavailable (request ${requestId}).`), unexpected: true };
  } else if (typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('FST_')) {
    const f = fastifyFault(err as { code: string; statusCode?: number; message: string });
    if (f) return f;
  }
  const category = err instanceof NovakitError ? err.category : null;
  const status = category === 'Unavailable' ? 503 : 500;
  const message = status === 503 ? `The service is unavailable (request ${requestId}).` : `Unexpected API error. Quote request ${requestId} to the operator.`;
  return { status, body: body(status, message), unexpected: true };
}
