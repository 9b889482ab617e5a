/**
 * @novakit/db — the database behind the conductor: knex schema and migrations, and the
 * DB API the object methods call when they run locally (and the legacy raw conductor
 * methods release-1 computes use). SQLite (default), PostgreSQL or MariaDB, chosen by
 * one URL:
 *
 * - `sqlite:///abs/path.db` (absolute), `sqlite:rel/path.db` (relative to the cwd),
 *   `sqlite::memory:` (one private in-memory database per open); options
 *   `?busy_timeout=<ms>` (default 5000) and `?synchronous=full|normal` (default full).
 *   Files run in WAL mode; write transactions take the lock up front (BEGIN IMMEDIATE).
 * - `postgres://user[:password]@host[:port]/db[?schema=name]` (also `postgresql://`).
 * - `mysql://user[:password]@host[:port]/db` (also `mariadb://`), through mysql2.
 *
 * ```ts
 * import { openDbApi } from '@novakit/db';
 * const db = await openDbApi('sqlite:///var/lib/novakit/nova.db'); // refuses an old schema
 * const inst = await db.instance_get_by_uuid({}, uuid, { columnsToJoin: ['system_metadata'] });
 * await db.instance_save({}, uuid, { task_state: null, vm_state: 'active' }, { expectedTaskState: 'spawning' });
 * await db.close();
 * ```
 *
 * Schema: `npx novakit-db status|migrate|downgrade --url <url> [--to N]` (or
 * `npx nx run db:migrate -- --url <url>`). Errors are DbError subclasses with a stable
 * `name`, `kwargs` and `category`, named like Nova's exceptions, for the objects lib to
 * translate by name.
 */

// Opening and migrating
export { openDatabase, knexConfigFor, type Database, type OpenOptions } from './connection/open.js';
export { parseDbUrl, redactUrl, type Dialect, type ParsedDbUrl } from './connection/url.js';
export { openDbApi, type OpenDbApiOptions } from './open-db-api.js';
export { assertSchemaCurrent, migrateCommand, migrateLatest, migrateTo, schemaStatus, SCHEMA_VERSION, type SchemaStatus } from './migrate.js';

// The API
export { createDbApi } from './create-db-api.js';
export type {
  BlockDeviceDbApi, ComputeDbApi, DbApi, FlavorDbApi, InstanceDbApi, NetworkDbApi, RecordsDbApi, SecurityDbApi, VolumeDbApi,
} from './db-api.js';
export { ADMIN_CONTEXT, type DbContext } from './context.js';
export type { PersistentFields } from './model/columns.js';

// Rows, values and options, per table family
export {
  DEFAULT_INSTANCE_JOINS, INSTANCE_JOINS, INSTANCE_UPDATE_ALLOWED_KEYS, TASK_STATE_DELETING,
  type InstanceColumns, type InstanceCreateValues, type InstanceJoin, type InstanceRow, type InstanceScalarValues, type InstanceValues,
} from './api/instance-model.js';
export type { InstanceFilters, InstanceGetOptions, InstanceListOptions } from './api/instance-read.js';
export type { ExpectedState, InstanceDestroyOptions, InstanceSaveOptions } from './api/instance-write.js';
export type { InstanceInfoCacheRow } from './api/info-cache-model.js';
export type { InstanceFaultRow } from './api/fault-model.js';
export type { InstanceFaultValues } from './api/faults.js';
export type { BdmGetByVolumeOptions, BlockDeviceMappingColumns, BlockDeviceMappingRow, BlockDeviceMappingValues } from './api/block-devices.js';
export type { ProviderFwRuleRow, SecurityGroupRow, SecurityGroupRuleColumns, SecurityGroupRuleRow } from './api/security-group-model.js';
export type { ProviderFwRuleValues, SecurityGroupRuleValues, SecurityGroupValues } from './api/security-groups.js';
export type { FlavorColumns, FlavorFilters, FlavorListOptions, FlavorRow, FlavorValues } from './api/flavors.js';
export { COMPUTE_TOPIC, type ServiceColumns, type ServiceGetOptions, type ServiceRow, type ServiceValues } from './api/services.js';
export type { ComputeNodeRow, ComputeNodeStatistics, ComputeNodeValues } from './api/compute-nodes.js';
export { MIGRATION_DONE_STATUSES, type MigrationFilters, type MigrationRow, type MigrationValues } from './api/migration-records.js';
export type {
  ActionFinishValues, ActionStartValues, EventFinishValues, EventStartValues, InstanceActionEventRow, InstanceActionRow,
} from './api/actions.js';
export type { KeyPairRow, KeyPairValues } from './api/keypairs.js';
export type { AgentBuildRow, AgentBuildValues } from './api/agents.js';
export type {
  FixedIpColumns, FixedIpJoin, FixedIpRow, FixedIpValues, NetworkRow, NetworkValues, VirtualInterfaceRow, VirtualInterfaceValues,
} from './api/networks.js';
export type { VolumeFilters, VolumeRow, VolumeValues } from './api/volumes.js';

// Errors
export {
  AgentBuildExists, AgentBuildNotFound, BDMNotFound, ComputeHostNotFound, ConstraintNotMet, DBDeadlock, DBDuplicateEntry,
  DbError, DBSchemaOutdated, FixedIpAlreadyInUse, FixedIpNotFound, FixedIpNotFoundForAddress, FixedIpNotFoundForInstance,
  FlavorAccessExists, FlavorAccessNotFound, FlavorExists, FlavorExtraSpecsNotFound, FlavorIdExists, FlavorNotFound,
  FlavorNotFoundByName, HostBinaryNotFound, InstanceActionEventNotFound, InstanceActionNotFound, InstanceExists,
  InstanceInfoCacheNotFound, InstanceNotFound, InstanceUpdateKeyNotAllowed, InvalidColumn, InvalidDatabaseUrl,
  InvalidSortKey, isDbError, KeyPairExists, KeypairNotFound, MarkerNotFound, MigrationNotFound, MigrationNotFoundByStatus,
  NetworkNotFound, NoMoreFixedIps, ProviderFwRuleNotFound, SecurityGroupExists, SecurityGroupNotFound,
  SecurityGroupNotFoundForProject, SecurityGroupNotFoundForRule, ServiceBinaryExists, ServiceNotFound, ServiceTopicExists,
  UnexpectedDeletingTaskStateError, UnexpectedTaskStateError, UnexpectedVMStateError, UnexpectedVolumeStatusError,
  VolumeBDMNotFound, VolumeNotFound,
  type DbErrorClass, type ErrorCategory,
} from './errors.js';
