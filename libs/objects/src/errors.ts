// The domain errors of the compute objects, with Nova's names, kwargs and categories. They
// cross RPC by name (docs/conventions.md); libs/db throws its own errors of the same names,
// which `translateDbError` turns into these when an object method runs locally.
import { NovakitError, type ErrorKwargs, type NovakitErrorClass } from '@novakit/versioned-objects';

type Expected = { instance_uuid: string; expected: readonly (string | null)[]; actual: string | null };

const show = (v: unknown): string => (Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : JSON.stringify(v));

// --- instances -------------------------------------------------------------------------

export class InstanceNotFound extends NovakitError<{ instance_id: string | number }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'Instance {instance_id} could not be found.';
}

export class InstanceExists extends NovakitError<{ name: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Instance {name} already exists.';
}

/** An atomic save found another task state than the caller expected (someone else won). */
export class UnexpectedTaskStateError extends NovakitError<Expected> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Unexpected task state: expecting {expected} but the actual state is {actual}';
  constructor(kwargs: Expected, message?: string) {
    super(kwargs, message ?? `Unexpected task state: expecting ${show(kwargs.expected)} but the actual state is ${show(kwargs.actual)}`);
  }
}

/** The instance is being deleted: callers usually stop quietly instead of failing. */
export class UnexpectedDeletingTaskStateError extends UnexpectedTaskStateError {}

export class UnexpectedVMStateError extends NovakitError<Expected> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Unexpected VM state: expecting {expected} but the actual state is {actual}';
  constructor(kwargs: Expected, message?: string) {
    super(kwargs, message ?? `Unexpected VM state: expecting ${show(kwargs.expected)} but the actual state is ${show(kwargs.actual)}`);
  }
}

export class InstanceInvalidState extends NovakitError<{ instance_uuid: string; attr: string; state: string | null; method: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Instance {instance_uuid} in {attr} {state}. Cannot {method} while the instance is in this state.';
}

export class InstanceInfoCacheNotFound extends NovakitError<{ instance_uuid: string }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'Info cache for instance {instance_uuid} could not be found.';
}

export class InvalidSortKey extends NovakitError<{ sort_key: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Sort key supplied was not valid: {sort_key}';
}

export class MarkerNotFound extends NovakitError<{ marker: string }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'Marker {marker} could not be found.';
}

// --- block devices -----------------------------------------------------------------------

export class BDMNotFound extends NovakitError<{ id: number }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'No Block Device Mapping with id {id}.';
}

export class VolumeBDMNotFound extends NovakitError<{ volume_id: string }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'No volume Block Device Mapping with id {volume_id}.';
}

// --- compute nodes and services ------------------------------------------------------------

export class ComputeHostNotFound extends NovakitError<{ host: string | number }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'Compute host {host} could not be found.';
}

export class ServiceNotFound extends NovakitError<{ service_id: string | number }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'Service {service_id} could not be found.';
}

export class HostBinaryNotFound extends NovakitError<{ host: string; binary: string }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'Could not find binary {binary} on host {host}.';
}

export class ServiceBinaryExists extends NovakitError<{ host: string; binary: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Service with host {host} binary {binary} exists.';
}

export class ServiceTopicExists extends NovakitError<{ host: string; topic: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Service with host {host} topic {topic} exists.';
}

// --- flavors -------------------------------------------------------------------------------

export class FlavorNotFound<K extends ErrorKwargs = { flavor_id: string | number }> extends NovakitError<K> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt: string = 'Flavor {flavor_id} could not be found.';
}

export class FlavorNotFoundByName extends FlavorNotFound<{ flavor_name: string }> {
  static override readonly msgFmt = 'Flavor with name {flavor_name} could not be found.';
}

export class FlavorExists extends NovakitError<{ name: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Flavor with name {name} already exists.';
}

export class FlavorIdExists extends NovakitError<{ flavor_id: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Flavor with ID {flavor_id} already exists.';
}

export class FlavorAccessNotFound extends NovakitError<{ flavor_id: string; project_id: string }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'Flavor access not found for {flavor_id} / {project_id} combination.';
}

export class FlavorAccessExists extends NovakitError<{ flavor_id: string; project_id: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Flavor access already exists for flavor {flavor_id} and project {project_id} combination.';
}

export class FlavorExtraSpecsNotFound extends NovakitError<{ flavor_id: string; extra_specs_key: string }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'Flavor {flavor_id} has no extra specs with key {extra_specs_key}.';
}

// --- security groups ----------------------------------------------------------------------

export class SecurityGroupNotFound<K extends ErrorKwargs = { security_group_id: string | number }> extends NovakitError<K> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt: string = 'Security group {security_group_id} not found.';
}

export class SecurityGroupNotFoundForProject extends SecurityGroupNotFound<{ security_group_id: string | number; project_id: string }> {
  static override readonly msgFmt = 'Security group {security_group_id} not found for project {project_id}.';
}

export class SecurityGroupNotFoundForRule extends SecurityGroupNotFound<{ rule_id: number }> {
  static override readonly msgFmt = 'Security group with rule {rule_id} not found.';
}

export class SecurityGroupExists extends NovakitError<{ project_id: string; security_group_name: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Security group {security_group_name} already exists for project {project_id}.';
}

// --- migrations, faults, actions -------------------------------------------------------------

export class MigrationNotFound<K extends ErrorKwargs = { migration_id: string | number }> extends NovakitError<K> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt: string = 'Migration {migration_id} could not be found.';
}

export class MigrationNotFoundByStatus extends MigrationNotFound<{ instance_id: string; status: string }> {
  static override readonly msgFmt = 'Migration not found for instance {instance_id} with status {status}.';
}

export class InstanceActionNotFound extends NovakitError<{ request_id: string; instance_uuid: string }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'Action for request_id {request_id} on instance {instance_uuid} not found';
}

export class InstanceActionEventNotFound extends NovakitError<{ action_id: number; event: string }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'Event {event} not found for action id {action_id}';
}

// --- key pairs, fixed IPs, agents ------------------------------------------------------------

export class KeypairNotFound extends NovakitError<{ user_id: string; name: string }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'Keypair {name} not found for user {user_id}';
}

export class KeyPairExists extends NovakitError<{ key_name: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = "Key pair '{key_name}' already exists.";
}

export class FixedIpNotFound<K extends ErrorKwargs = { id: number | string }> extends NovakitError<K> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt: string = 'No fixed IP associated with id {id}.';
}

export class FixedIpNotFoundForAddress extends FixedIpNotFound<{ address: string }> {
  static override readonly msgFmt = 'Fixed ip not found for address {address}.';
}

export class FixedIpNotFoundForInstance extends FixedIpNotFound<{ instance_uuid: string }> {
  static override readonly msgFmt = 'Instance {instance_uuid} has zero fixed ips.';
}

export class FixedIpAlreadyInUse extends NovakitError<{ address: string; instance_uuid: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Fixed IP address {address} is already in use on instance {instance_uuid}.';
}

export class NoMoreFixedIps extends NovakitError<{ net: number | string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'No fixed IP addresses available for network: {net}';
}

export class AgentBuildNotFound extends NovakitError<{ id: number }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'No agent-build associated with id {id}.';
}

export class AgentBuildExists extends NovakitError<{ hypervisor: string; os: string; architecture: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Agent-build with hypervisor {hypervisor} os {os} architecture {architecture} exists.';
}

// --- the local/remote boundary ----------------------------------------------------------------

/**
 * A remotable method ran locally (the context has no indirection API) but the context carries
 * no database either: a compute must set an indirection API, a conductor a DB API.
 */
export class DBNotAllowed extends NovakitError<{ method: string }> {
  static override readonly category = 'Internal';
  static override readonly msgFmt = '{method} needs the database, but this context carries neither a DB API nor an indirection API';
}

/** Every error class of this lib, for RPC error allow-lists. */
export const OBJECTS_ERRORS: readonly NovakitErrorClass[] = [
  InstanceNotFound,
  InstanceExists,
  UnexpectedTaskStateError,
  UnexpectedDeletingTaskStateError,
  UnexpectedVMStateError,
  InstanceInvalidState,
  InstanceInfoCacheNotFound,
  InvalidSortKey,
  MarkerNotFound,
  BDMNotFound,
  VolumeBDMNotFound,
  ComputeHostNotFound,
  ServiceNotFound,
  HostBinaryNotFound,
  ServiceBinaryExists,
  ServiceTopicExists,
  FlavorNotFound,
  FlavorNotFoundByName,
  FlavorExists,
  FlavorIdExists,
  FlavorAccessNotFound,
  FlavorAccessExists,
  FlavorExtraSpecsNotFound,
  SecurityGroupNotFound,
  SecurityGroupNotFoundForProject,
  SecurityGroupNotFoundForRule,
  SecurityGroupExists,
  MigrationNotFound,
  MigrationNotFoundByStatus,
  InstanceActionNotFound,
  InstanceActionEventNotFound,
  KeypairNotFound,
  KeyPairExists,
  FixedIpNotFound,
  FixedIpNotFoundForAddress,
  FixedIpNotFoundForInstance,
  FixedIpAlreadyInUse,
  NoMoreFixedIps,
  AgentBuildNotFound,
  AgentBuildExists,
  DBNotAllowed,
];

const BY_NAME: ReadonlyMap<string, NovakitErrorClass> = new Map(OBJECTS_ERRORS.map((cls) => [cls.name, cls]));

/**
 * A database error with one of our names becomes our class (same kwargs and message);
 * anything else is returned unchanged.
 */
export function translateDbError(e: unknown): unknown {
  if (!(e instanceof Error) || e instanceof NovakitError) return e;
  const cls = BY_NAME.get(e.name);
  if (!cls) return e;
  const kwargs = (e as { kwargs?: unknown }).kwargs;
  const out = new cls(kwargs && typeof kwargs === 'object' ? kwargs : {}, e.message);
  if (e.stack) out.stack = e.stack;
  return out;
}
