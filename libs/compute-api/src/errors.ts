// Errors of the compute RPC boundary, and the allow-list a client re-raises by name.
import { ErrorRegistry } from '@novakit/rpc';
import { NovakitError, VERSIONED_OBJECTS_ERRORS, type NovakitErrorClass } from '@novakit/versioned-objects';
import { OBJECTS_ERRORS } from '@novakit/objects';
import { VIRT_DRIVER_ERRORS } from '@novakit/virt-driver';

/** A message for an instance reached a compute that does not host it. */
export class InstanceNotOnHost extends NovakitError<{ instance_uuid: string; host: string; instance_host: string | null }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Instance {instance_uuid} is on host {instance_host}, not on {host}';
}

/** The peer compute speaks too old an RPC version for this operation (Nova's LiveMigrationWithOldNovaNotSafe). */
export class ComputeTooOld extends NovakitError<{ host: string; operation: string; needed: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Compute {host} is too old for {operation} (needs compute RPC {needed})';
}

/** An operation on an instance that is locked, or in a state that forbids it. */
export class InstanceIsLocked extends NovakitError<{ instance_uuid: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Instance {instance_uuid} is locked';
}

/** The compute is shutting down and takes no new operation; the caller may retry once it is back. */
export class ComputeShuttingDown extends NovakitError<{ host: string }> {
  static override readonly category = 'Unavailable';
  static override readonly msgFmt = 'Compute {host} is shutting down';
}

export const COMPUTE_API_ERRORS: readonly NovakitErrorClass[] = [InstanceNotOnHost, ComputeTooOld, InstanceIsLocked, ComputeShuttingDown];

/** Every error a compute RPC may raise, so callers get the same named class back. */
export function computeErrorRegistry(registry: ErrorRegistry = ErrorRegistry.withDefaults()): ErrorRegistry {
  for (const cls of [...VERSIONED_OBJECTS_ERRORS, ...OBJECTS_ERRORS, ...VIRT_DRIVER_ERRORS, ...COMPUTE_API_ERRORS]) {
    // The remote message wins: it may say more than the local template.
    registry.registerFactory(cls.name, (failure) => (cls as unknown as typeof NovakitError).fromWire.call(cls as never, failure.message, failure.kwargs ?? {}));
  }
  return registry;
}
