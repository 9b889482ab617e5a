// Errors thrown by the DB API. libs/db sits below libs/objects, so it cannot throw
// the domain errors itself: it throws these, with the same `name` and `kwargs` Nova
// uses, and the objects lib translates them by name (docs/conventions.md, "Errors").

export type ErrorCategory = 'NotFound' | 'Invalid' | 'Conflict' | 'NotSupported' | 'Internal';

// A brand shared by every copy of this module (two installed copies of @novakit/db
// still recognise each other's errors), hence Symbol.for and not a private symbol.
const BRAND = Symbol.for('novakit.db.DbError');

export class DbError<K extends object = Record<string, unknown>> extends Error {
  readonly kwargs: K;
  readonly category: ErrorCategory;
  /** This error's name and its ancestors' names, most specific first. */
  readonly lineage: readonly string[];

  constructor(lineage: readonly string[], category: ErrorCategory, kwargs: K, message: string) {
    super(message);
    this.name = lineage[0];
    this.lineage = lineage;
    this.category = category;
    this.kwargs = kwargs;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isDbError(value);
  }
}

export function isDbError(value: unknown): value is DbError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

export interface DbErrorClass<N extends string, K extends object> {
  new (kwargs: K, message?: string): DbError<K> & { readonly name: N };
  readonly errorName: N;
  readonly category: ErrorCategory;
  readonly lineage: readonly string[];
}

/**
 * Declares one error class. `instanceof` compares names along the lineage, so it
 * holds across module copies and for subclasses (UnexpectedDeletingTaskStateError
 * is an UnexpectedTaskStateError, as in Nova).
 */
function defineError<N extends string, K extends object>(
  name: N,
  category: ErrorCategory,
  template: (kwargs: K) => string,
  parent?: { readonly lineage: readonly string[] },
): DbErrorClass<N, K> {
  const lineage = [name, ...(parent?.lineage ?? [])];
  const cls = class extends DbError<K> {
    static readonly errorName = name;
    static readonly category = category;
    static readonly lineage = lineage;
    constructor(kwargs: K, message?: string) {
      super(lineage, category, kwargs, message ?? template(kwargs));
    }
    static override [Symbol.hasInstance](value: unknown): boolean {
      return isDbError(value) && value.lineage.includes(name);
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls as unknown as DbErrorClass<N, K>;
}

const show = (v: unknown): string => (Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : JSON.stringify(v));

// --- generic (oslo.db and the DB API itself) ---
export const DBDuplicateEntry = defineError('DBDuplicateEntry', 'Conflict', (k: { table: string; columns: string[]; value?: unknown }) =>
  `Duplicate entry in ${k.table} for (${k.columns.join(', ')})`);
export type DBDuplicateEntry = InstanceType<typeof DBDuplicateEntry>;
export const DBDeadlock = defineError('DBDeadlock', 'Conflict', (k: { attempts: number }) =>
  `Database deadlock or lock timeout persisted after ${k.attempts} attempts`);
export type DBDeadlock = InstanceType<typeof DBDeadlock>;
export const InvalidDatabaseUrl = defineError('InvalidDatabaseUrl', 'Invalid', (k: { url: string; reason: string }) =>
  `Invalid database URL ${k.url}: ${k.reason}`);
export type InvalidDatabaseUrl = InstanceType<typeof InvalidDatabaseUrl>;
export const DBSchemaOutdated = defineError('DBSchemaOutdated', 'Invalid', (k: { current: number; target: number; command: string }) =>
  `Database schema is at version ${k.current} but this code needs version ${k.target}; run: ${k.command}`);
export type DBSchemaOutdated = InstanceType<typeof DBSchemaOutdated>;
export const InvalidColumn = defineError('InvalidColumn', 'Invalid', (k: { table: string; column: string }) =>
  `${k.table} has no writable field ${k.column}`);
export type InvalidColumn = InstanceType<typeof InvalidColumn>;
export const InvalidSortKey = defineError('InvalidSortKey', 'Invalid', (k: { sort_key: string }) => `Sort key supplied was not valid: ${k.sort_key}`);
export type InvalidSortKey = InstanceType<typeof InvalidSortKey>;
export const MarkerNotFound = defineError('MarkerNotFound', 'NotFound', (k: { marker: string }) => `Marker ${k.marker} could not be found.`);
export type MarkerNotFound = InstanceType<typeof MarkerNotFound>;
export const ConstraintNotMet = defineError('ConstraintNotMet', 'Conflict', (k: { table: string; constraint: Record<string, unknown> }) =>
  `Constraint not met on ${k.table}: ${JSON.stringify(k.constraint)}`);
export type ConstraintNotMet = InstanceType<typeof ConstraintNotMet>;

// --- instances ---
export const InstanceNotFound = defineError('InstanceNotFound', 'NotFound', (k: { instance_id: string | number }) =>
  `Instance ${k.instance_id} could not be found.`);
export type InstanceNotFound = InstanceType<typeof InstanceNotFound>;
export const InstanceExists = defineError('InstanceExists', 'Conflict', (k: { name: string }) => `Instance ${k.name} already exists.`);
export type InstanceExists = InstanceType<typeof InstanceExists>;
/** The legacy `instance_update` got a key outside Nova's conductor whitelist (Nova raises KeyError). */
export const InstanceUpdateKeyNotAllowed = defineError('InstanceUpdateKeyNotAllowed', 'Invalid', (k: { key: string; instance_uuid: string }) =>
  `unexpected update keyword '${k.key}' for instance ${k.instance_uuid}`);
export type InstanceUpdateKeyNotAllowed = InstanceType<typeof InstanceUpdateKeyNotAllowed>;
type Expected = { expected: (string | null)[]; actual: string | null; instance_uuid: string };
export const UnexpectedTaskStateError = defineError('UnexpectedTaskStateError', 'Conflict', (k: Expected) =>
  `Unexpected task state: expecting ${show(k.expected)} but the actual state is ${show(k.actual)}`);
export type UnexpectedTaskStateError = InstanceType<typeof UnexpectedTaskStateError>;
export const UnexpectedDeletingTaskStateError = defineError('UnexpectedDeletingTaskStateError', 'Conflict', (k: Expected) =>
  `Unexpected task state: expecting ${show(k.expected)} but the actual state is ${show(k.actual)}`, UnexpectedTaskStateError);
export type UnexpectedDeletingTaskStateError = InstanceType<typeof UnexpectedDeletingTaskStateError>;
export const UnexpectedVMStateError = defineError('UnexpectedVMStateError', 'Conflict', (k: Expected) =>
  `Unexpected VM state: expecting ${show(k.expected)} but the actual state is ${show(k.actual)}`);
export type UnexpectedVMStateError = InstanceType<typeof UnexpectedVMStateError>;
export const InstanceInfoCacheNotFound = defineError('InstanceInfoCacheNotFound', 'NotFound', (k: { instance_uuid: string }) =>
  `Info cache for instance ${k.instance_uuid} could not be found.`);
export type InstanceInfoCacheNotFound = InstanceType<typeof InstanceInfoCacheNotFound>;

// --- block devices ---
export const BDMNotFound = defineError('BDMNotFound', 'NotFound', (k: { id: number }) => `No Block Device Mapping with id ${k.id}.`);
export type BDMNotFound = InstanceType<typeof BDMNotFound>;
export const VolumeBDMNotFound = defineError('VolumeBDMNotFound', 'NotFound', (k: { volume_id: string }) =>
  `No volume Block Device Mapping with id ${k.volume_id}.`);
export type VolumeBDMNotFound = InstanceType<typeof VolumeBDMNotFound>;

// --- compute nodes and services ---
export const ComputeHostNotFound = defineError('ComputeHostNotFound', 'NotFound', (k: { host: string | number }) =>
  `Compute host ${k.host} could not be found.`);
export type ComputeHostNotFound = InstanceType<typeof ComputeHostNotFound>;
export const ServiceNotFound = defineError('ServiceNotFound', 'NotFound', (k: { service_id: number | string }) =>
  `Service ${k.service_id} could not be found.`);
export type ServiceNotFound = InstanceType<typeof ServiceNotFound>;
export const HostBinaryNotFound = defineError('HostBinaryNotFound', 'NotFound', (k: { host: string; binary: string }) =>
  `Could not find binary ${k.binary} on host ${k.host}.`);
export type HostBinaryNotFound = InstanceType<typeof HostBinaryNotFound>;
export const ServiceBinaryExists = defineError('ServiceBinaryExists', 'Conflict', (k: { host: string; binary: string }) =>
  `Service with host ${k.host} binary ${k.binary} exists.`);
export type ServiceBinaryExists = InstanceType<typeof ServiceBinaryExists>;
export const ServiceTopicExists = defineError('ServiceTopicExists', 'Conflict', (k: { host: string; topic: string }) =>
  `Service with host ${k.host} topic ${k.topic} exists.`);
export type ServiceTopicExists = InstanceType<typeof ServiceTopicExists>;

// --- flavors ---
export const FlavorNotFound = defineError('FlavorNotFound', 'NotFound', (k: { flavor_id: string | number }) => `Flavor ${k.flavor_id} could not be found.`);
export type FlavorNotFound = InstanceType<typeof FlavorNotFound>;
export const FlavorNotFoundByName = defineError('FlavorNotFoundByName', 'NotFound', (k: { flavor_name: string }) =>
  `Flavor with name ${k.flavor_name} could not be found.`);
export type FlavorNotFoundByName = InstanceType<typeof FlavorNotFoundByName>;
export const FlavorExists = defineError('FlavorExists', 'Conflict', (k: { name: string }) => `Flavor with name ${k.name} already exists.`);
export type FlavorExists = InstanceType<typeof FlavorExists>;
export const FlavorIdExists = defineError('FlavorIdExists', 'Conflict', (k: { flavor_id: string }) => `Flavor with ID ${k.flavor_id} already exists.`);
export type FlavorIdExists = InstanceType<typeof FlavorIdExists>;
export const FlavorExtraSpecsNotFound = defineError('FlavorExtraSpecsNotFound', 'NotFound', (k: { flavor_id: string; extra_specs_key: string }) =>
  `Flavor ${k.flavor_id} has no extra specs with key ${k.extra_specs_key}.`);
export type FlavorExtraSpecsNotFound = InstanceType<typeof FlavorExtraSpecsNotFound>;
export const FlavorAccessNotFound = defineError('FlavorAccessNotFound', 'NotFound', (k: { flavor_id: string; project_id: string }) =>
  `Flavor access not found for ${k.flavor_id} / ${k.project_id} combination.`);
export type FlavorAccessNotFound = InstanceType<typeof FlavorAccessNotFound>;
export const FlavorAccessExists = defineError('FlavorAccessExists', 'Conflict', (k: { flavor_id: string; project_id: string }) =>
  `Flavor access already exists for flavor ${k.flavor_id} and project ${k.project_id} combination.`);
export type FlavorAccessExists = InstanceType<typeof FlavorAccessExists>;

// --- security groups and firewall rules ---
export const SecurityGroupNotFound = defineError('SecurityGroupNotFound', 'NotFound', (k: { security_group_id: number | string }) =>
  `Security group ${k.security_group_id} not found.`);
export type SecurityGroupNotFound = InstanceType<typeof SecurityGroupNotFound>;
export const SecurityGroupNotFoundForProject = defineError('SecurityGroupNotFoundForProject', 'NotFound', (k: { security_group_id: number | string; project_id: string }) =>
  `Security group ${k.security_group_id} not found for project ${k.project_id}.`, SecurityGroupNotFound);
export type SecurityGroupNotFoundForProject = InstanceType<typeof SecurityGroupNotFoundForProject>;
export const SecurityGroupNotFoundForRule = defineError('SecurityGroupNotFoundForRule', 'NotFound', (k: { rule_id: number }) =>
  `Security group with rule ${k.rule_id} not found.`, SecurityGroupNotFound);
export type SecurityGroupNotFoundForRule = InstanceType<typeof SecurityGroupNotFoundForRule>;
export const SecurityGroupExists = defineError('SecurityGroupExists', 'Conflict', (k: { project_id: string; security_group_name: string }) =>
  `Security group ${k.security_group_name} already exists for project ${k.project_id}.`);
export type SecurityGroupExists = InstanceType<typeof SecurityGroupExists>;
export const ProviderFwRuleNotFound = defineError('ProviderFwRuleNotFound', 'NotFound', (k: { rule_id: number }) =>
  `Provider firewall rule ${k.rule_id} could not be found.`);
export type ProviderFwRuleNotFound = InstanceType<typeof ProviderFwRuleNotFound>;

// --- migrations, faults, actions ---
export const MigrationNotFound = defineError('MigrationNotFound', 'NotFound', (k: { migration_id: number }) =>
  `Migration ${k.migration_id} could not be found.`);
export type MigrationNotFound = InstanceType<typeof MigrationNotFound>;
export const MigrationNotFoundByStatus = defineError('MigrationNotFoundByStatus', 'NotFound', (k: { instance_id: string; status: string }) =>
  `Migration not found for instance ${k.instance_id} with status ${k.status}.`, MigrationNotFound);
export type MigrationNotFoundByStatus = InstanceType<typeof MigrationNotFoundByStatus>;
export const InstanceActionNotFound = defineError('InstanceActionNotFound', 'NotFound', (k: { request_id: string; instance_uuid: string }) =>
  `Action for request_id ${k.request_id} on instance ${k.instance_uuid} not found`);
export type InstanceActionNotFound = InstanceType<typeof InstanceActionNotFound>;
export const InstanceActionEventNotFound = defineError('InstanceActionEventNotFound', 'NotFound', (k: { action_id: number; event: string }) =>
  `Event ${k.event} not found for action id ${k.action_id}`);
export type InstanceActionEventNotFound = InstanceType<typeof InstanceActionEventNotFound>;

// --- key pairs, networks, agents, volumes ---
export const KeypairNotFound = defineError('KeypairNotFound', 'NotFound', (k: { user_id: string; name: string }) =>
  `Keypair ${k.name} not found for user ${k.user_id}`);
export type KeypairNotFound = InstanceType<typeof KeypairNotFound>;
export const KeyPairExists = defineError('KeyPairExists', 'Conflict', (k: { key_name: string }) => `Key pair '${k.key_name}' already exists.`);
export type KeyPairExists = InstanceType<typeof KeyPairExists>;
export const NetworkNotFound = defineError('NetworkNotFound', 'NotFound', (k: { network_id: number | string }) => `Network ${k.network_id} could not be found.`);
export type NetworkNotFound = InstanceType<typeof NetworkNotFound>;
export const FixedIpNotFound = defineError('FixedIpNotFound', 'NotFound', (k: { id: number }) => `No fixed IP associated with id ${k.id}.`);
export type FixedIpNotFound = InstanceType<typeof FixedIpNotFound>;
export const FixedIpNotFoundForAddress = defineError('FixedIpNotFoundForAddress', 'NotFound', (k: { address: string }) =>
  `Fixed ip not found for address ${k.address}.`, FixedIpNotFound);
export type FixedIpNotFoundForAddress = InstanceType<typeof FixedIpNotFoundForAddress>;
export const FixedIpNotFoundForInstance = defineError('FixedIpNotFoundForInstance', 'NotFound', (k: { instance_uuid: string }) =>
  `Instance ${k.instance_uuid} has zero fixed ips.`, FixedIpNotFound);
export type FixedIpNotFoundForInstance = InstanceType<typeof FixedIpNotFoundForInstance>;
export const FixedIpAlreadyInUse = defineError('FixedIpAlreadyInUse', 'Conflict', (k: { address: string; instance_uuid: string }) =>
  `Fixed IP address ${k.address} is already in use on instance ${k.instance_uuid}.`);
export type FixedIpAlreadyInUse = InstanceType<typeof FixedIpAlreadyInUse>;
export const NoMoreFixedIps = defineError('NoMoreFixedIps', 'Conflict', (k: { net: number }) => `No fixed IP addresses available for network: ${k.net}`);
export type NoMoreFixedIps = InstanceType<typeof NoMoreFixedIps>;
export const AgentBuildNotFound = defineError('AgentBuildNotFound', 'NotFound', (k: { id: number }) => `No agent-build associated with id ${k.id}.`);
export type AgentBuildNotFound = InstanceType<typeof AgentBuildNotFound>;
export const AgentBuildExists = defineError('AgentBuildExists', 'Conflict', (k: { hypervisor: string; os: string; architecture: string }) =>
  `Agent-build with hypervisor ${k.hypervisor} os ${k.os} architecture ${k.architecture} exists.`);
export type AgentBuildExists = InstanceType<typeof AgentBuildExists>;
export const VolumeNotFound = defineError('VolumeNotFound', 'NotFound', (k: { volume_id: string }) => `Volume ${k.volume_id} could not be found.`);
export type VolumeNotFound = InstanceType<typeof VolumeNotFound>;
export const UnexpectedVolumeStatusError = defineError('UnexpectedVolumeStatusError', 'Conflict', (k: { volume_id: string; expected: string[]; actual: string }) =>
  `Volume ${k.volume_id}: expecting status ${show(k.expected)} but the actual status is ${show(k.actual)}`);
export type UnexpectedVolumeStatusError = InstanceType<typeof UnexpectedVolumeStatusError>;
