/**
 * Building-block errors onto the contract's: a driver method throws only the typed errors of
 * @novakit/virt-driver. Failures of the monitor or of host tools become HypervisorUnavailable
 * unless the method has its own failure error (spawn, power off, migration, detach).
 */
import {
  DeviceIsBusy,
  HypervisorUnavailable,
  InstanceExistsOnHypervisor,
  InstanceNotFound,
  InstanceNotRunning,
  InvalidConnectionInfo,
  MigrationError,
} from '@novakit/virt-driver';
import { NovakitError } from '@novakit/versioned-objects';
import { isVirtQemuError } from '../errors.js';

export interface Subject {
  readonly uuid: string;
  readonly name?: string;
}

/** The contract error for `err`; `failure` wraps what has no closer meaning. */
export function toDriverError(err: unknown, host: string, subject: Subject, failure?: (reason: string) => Error): Error {
  if (err instanceof NovakitError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  const fallback = () => failure?.(reason) ?? new HypervisorUnavailable({ host, reason });
  if (!isVirtQemuError(err)) return fallback();
  switch (err.name) {
    case 'GuestNotFound':
      return new InstanceNotFound({ instance_id: subject.uuid });
    case 'GuestAlreadyExists':
      return new InstanceExistsOnHypervisor({ name: subject.name ?? subject.uuid });
    case 'GuestStateConflict':
      return new InstanceNotRunning({ instance_id: subject.uuid });
    case 'DeviceBusy':
      return new DeviceIsBusy({ device: String(err.kwargs.device) });
    case 'InvalidConnectionInfo':
    case 'VolumeDriverNotSupported':
      return new InvalidConnectionInfo({ reason });
    case 'MigrationFailed':
      return failure?.(reason) ?? new MigrationError({ reason });
    default:
      return fallback();
  }
}
