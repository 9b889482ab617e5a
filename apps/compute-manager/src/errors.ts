// Errors of the compute manager service itself (the domain errors it raises come from
// @novakit/objects, @novakit/virt-driver and @novakit/compute-api).
import { ComputeShuttingDown } from '@novakit/compute-api';
import { NovakitError, type NovakitErrorClass } from '@novakit/versioned-objects';

/** The configuration file is missing, unreadable or invalid; `problems` names each bad key. */
export class ConfigError extends NovakitError<{ source: string; problems: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Invalid compute manager configuration in {source}: {problems}';
}

// Crosses RPC, so it belongs to the compute API's errors (callers re-raise it by name).
export { ComputeShuttingDown };

/** The driver factory for the configured driver is not linked into this process. */
export class DriverUnavailable extends NovakitError<{ name: string; reason: string }> {
  static override readonly category = 'Unavailable';
  static override readonly msgFmt = 'Compute driver {name} is not available: {reason}';
}

/** Recorded as the fault of an operation a compute restart cut short (init_host). */
export class InterruptedByRestart extends NovakitError<{ host: string; operation: string; outcome: string }> {
  static override readonly category = 'Internal';
  static override readonly msgFmt = 'Operation {operation} was interrupted by a restart of compute {host}: {outcome}';
}
export const COMPUTE_MANAGER_ERRORS: readonly NovakitErrorClass[] = [ConfigError, ComputeShuttingDown, DriverUnavailable, InterruptedByRestart];
