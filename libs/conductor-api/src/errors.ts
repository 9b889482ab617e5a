// Errors of the conductor API: the conductor's own (scheduling, live-migration checks), the
// database errors a legacy method may surface whose names libs/objects does not define, and
// the client's own. Together with the framework's and the objects' errors they form the
// allow-list a client re-raises by name (conductorErrorRegistry), so a compute catches the
// same class the conductor raised.
import {
  ErrorRegistry,
  InvalidArguments,
  InvalidMessage,
  MessageDeliveryFailure,
  MessageTooLarge,
  MessagingTimeout,
  NoSuchMethod,
  RPCVersionCapError,
  TransportClosed,
  TransportUnavailable,
  UnsupportedVersion,
} from '@novakit/rpc';
import { OBJECTS_ERRORS } from '@novakit/objects';
import { NovakitError, VERSIONED_OBJECTS_ERRORS, type NovakitErrorClass } from '@novakit/versioned-objects';

// --- scheduling ------------------------------------------------------------------------------

/** No host passed the filters; `reason` names each host and why it was rejected. */
export class NoValidHost extends NovakitError<{ reason: string }> {
  static override readonly category = 'Unavailable';
  static override readonly msgFmt = 'No valid host was found. {reason}';
}

// --- live migration --------------------------------------------------------------------------

export class ComputeServiceUnavailable extends NovakitError<{ host: string }> {
  static override readonly category = 'Unavailable';
  static override readonly msgFmt = 'Compute service of {host} is unavailable at this time.';
}

export class UnableToMigrateToSelf extends NovakitError<{ instance_id: string; host: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Unable to migrate instance ({instance_id}) to current host ({host}).';
}

export class InstanceNotRunning extends NovakitError<{ instance_id: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Instance {instance_id} is not running.';
}

export class InvalidHypervisorType extends NovakitError<{ source: string | null; destination: string | null }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'The supplied hypervisor type is invalid: source {source}, destination {destination}.';
}

/**
 * A live-migration pre-check refused. `cause` (optional; see live_migrate_instance in
 * contract.ts) names the error that made the conductor give up.
 */
export class MigrationPreCheckError extends NovakitError<{ reason: string; cause?: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Migration pre-check error: {reason}';
}

// --- database errors without an objects-lib class (legacy methods surface them by name) -----------

/** The legacy `instance_update` got a key outside Nova's conductor whitelist (Nova raised KeyError). */
export class InstanceUpdateKeyNotAllowed extends NovakitError<{ key: string; instance_uuid: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = "unexpected update keyword '{key}' for instance {instance_uuid}";
}

export class ConstraintNotMet extends NovakitError<{ table: string; constraint: Record<string, unknown> }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Constraint not met on {table}';
}

export class DBDuplicateEntry extends NovakitError<{ table: string; columns: string[] }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Duplicate entry in {table}';
}

export class DBDeadlock extends NovakitError<{ attempts: number }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Database deadlock or lock timeout persisted after {attempts} attempts';
}

export class InvalidColumn extends NovakitError<{ table: string; column: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = '{table} has no writable field {column}';
}

// --- the client -----------------------------------------------------------------------------

/** The client's version cap is below the version a method needs (older conductors in the deployment). */
export class ConductorVersionTooOld extends NovakitError<{ api: string; method: string; version: string; cap: string }> {
  static override readonly category = 'NotSupported';
  static override readonly msgFmt = '{api} RPC method {method} needs version {version}, but the client is capped at {cap}: upgrade the conductors first';
}

/** A call no conductor answered in time: none consumes the topic, or the one that took the call died. */
export class ConductorTimeout extends NovakitError<{ method: string; topic: string; timeout_ms: number; msg_id: string }> {
  static override readonly category = 'Unavailable';
  static override readonly msgFmt =
    'No conductor answered {method} on topic {topic} within {timeout_ms} ms (message {msg_id}): none is running, or the one that took the call stopped';
}

/** compute_task was asked for work but this conductor has no way to reach the computes. */
export class ComputeTaskUnavailable extends NovakitError<{ method: string; reason: string }> {
  static override readonly category = 'Unavailable';
  static override readonly msgFmt = 'compute_task {method} cannot run on this conductor: {reason}';
}

/** Every error class this lib defines. */
export const CONDUCTOR_ERRORS: readonly NovakitErrorClass[] = [
  NoValidHost,
  ComputeServiceUnavailable,
  UnableToMigrateToSelf,
  InstanceNotRunning,
  InvalidHypervisorType,
  MigrationPreCheckError,
  InstanceUpdateKeyNotAllowed,
  ConstraintNotMet,
  DBDuplicateEntry,
  DBDeadlock,
  InvalidColumn,
  ConductorVersionTooOld,
  ConductorTimeout,
  ComputeTaskUnavailable,
];

/** Every typed error a conductor call may raise: the framework's, the objects', the conductor's. */
export const CONDUCTOR_CALL_ERRORS: readonly NovakitErrorClass[] = [...VERSIONED_OBJECTS_ERRORS, ...OBJECTS_ERRORS, ...CONDUCTOR_ERRORS];

/** The rpc errors a conductor may send back (dispatch refusals; a release-1 conductor's compute that did not answer a check). */
const RPC_ERRORS = [
  InvalidArguments,
  InvalidMessage,
  MessageTooLarge,
  MessagingTimeout,
  RPCVersionCapError,
  MessageDeliveryFailure,
  TransportUnavailable,
  TransportClosed,
];

/** Names of every typed error a conductor call may raise (the server logs these as expected). */
export const CONDUCTOR_ERROR_NAMES: readonly string[] = [
  ...CONDUCTOR_CALL_ERRORS.map((cls) => cls.name),
  ...RPC_ERRORS.map((cls) => cls.name),
  NoSuchMethod.name,
  UnsupportedVersion.name,
];

/**
 * The allow-list of a conductor client: each class is rebuilt by name with the remote
 * message and kwargs; anything else arrives as RemoteError.
 */
export function conductorErrorRegistry(): ErrorRegistry {
  const registry = ErrorRegistry.withDefaults();
  for (const cls of CONDUCTOR_CALL_ERRORS) {
    registry.registerFactory(cls.name, (f) => new cls(f.kwargs, f.message));
  }
  return registry.register(...(RPC_ERRORS.filter((cls) => !registry.has(cls.name)) as never[]));
}
