// Typed driver errors (Nova's nova.exception, the part drivers raise). Each has a stable name
// that survives RPC. InstanceNotFound is the domain error of @novakit/objects, re-exported.
import { InstanceNotFound } from '@novakit/objects';
import { NovakitError, type NovakitErrorClass } from '@novakit/versioned-objects';

export { InstanceNotFound };

/** The driver does not implement this method; see its capabilities record. */
export class NotSupportedError extends NovakitError<{ driver: string; method: string }> {
  static override readonly category = 'NotSupported';
  static override readonly msgFmt = 'Driver {driver} does not support {method}';
}

export class DriverNotFound extends NovakitError<{ name: string; known: string }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'Unknown compute driver {name}; known drivers: {known}';
}

export class InstanceNotRunning extends NovakitError<{ instance_id: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Instance {instance_id} is not running';
}

export class InstanceExistsOnHypervisor extends NovakitError<{ name: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Instance {name} already exists on this hypervisor';
}

export class InstancePowerOffFailure extends NovakitError<{ reason: string }> {
  static override readonly category = 'Internal';
  static override readonly msgFmt = 'Failed to power off instance: {reason}';
}

export class InstanceDeployFailure extends NovakitError<{ reason: string }> {
  static override readonly category = 'Internal';
  static override readonly msgFmt = 'Failed to deploy instance: {reason}';
}

export class VolumeNotFound extends NovakitError<{ volume_id: string }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'Volume {volume_id} could not be found';
}

export class DeviceDetachFailed extends NovakitError<{ device: string; reason: string }> {
  static override readonly category = 'Internal';
  static override readonly msgFmt = 'Device detach failed for {device}: {reason}';
}

export class DeviceIsBusy extends NovakitError<{ device: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'The supplied device ({device}) is busy';
}

export class InvalidConnectionInfo extends NovakitError<{ reason: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Invalid volume connection info: {reason}';
}

export class MigrationError extends NovakitError<{ reason: string }> {
  static override readonly category = 'Internal';
  static override readonly msgFmt = 'Migration error: {reason}';
}

/**
 * Drivers cannot import the conductor, so they have their own class of the conductor's name,
 * kwargs and message: errors travel by name, and an API client rebuilds a relayed one as the
 * conductor's MigrationPreCheckError.
 */
export class MigrationPreCheckError extends NovakitError<{ reason: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Migration pre-check error: {reason}';
}

export class InvalidSharedStorage extends NovakitError<{ path: string; reason: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = '{path} is not on shared storage: {reason}';
}

/**
 * Block migration was asked of a host whose driver does not copy local disks
 * (capability supportsBlockMigration false). The message keeps the words release-1 API
 * servers look for, so they still retry such a migration without block migration.
 */
export class BlockMigrationDisabled extends NovakitError<{ host: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Migration pre-check error: block migration is disabled on {host}';
}

export class InvalidLocalStorage extends NovakitError<{ path: string; reason: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = '{path} is not on local storage: {reason}';
}

export class HypervisorUnavailable extends NovakitError<{ host: string; reason: string }> {
  static override readonly category = 'Unavailable';
  static override readonly msgFmt = 'Connection to the hypervisor on {host} is broken: {reason}';
}

/** A failure injected by a driver's scenario options (the fake driver's), named by method. */
export class InjectedFailure extends NovakitError<{ method: string; stage: string }> {
  static override readonly category = 'Internal';
  static override readonly msgFmt = 'Injected failure in {method} at {stage}';
}

/** Every error class of this lib, for RPC error allow-lists. */
export const VIRT_DRIVER_ERRORS: readonly NovakitErrorClass[] = [
  NotSupportedError,
  DriverNotFound,
  InstanceNotRunning,
  InstanceExistsOnHypervisor,
  InstancePowerOffFailure,
  InstanceDeployFailure,
  VolumeNotFound,
  DeviceDetachFailed,
  DeviceIsBusy,
  InvalidConnectionInfo,
  MigrationError,
  MigrationPreCheckError,
  InvalidSharedStorage,
  BlockMigrationDisabled,
  InvalidLocalStorage,
  HypervisorUnavailable,
  InjectedFailure,
];
