/**
 * Errors of the QEMU building blocks. Every class has a stable `name` (the class name, set
 * explicitly so it survives bundling), structured `kwargs` and a Nova-like `category`, so the
 * driver can map them onto the contract's errors by name without parsing messages.
 */

export type ErrorCategory = 'NotFound' | 'Invalid' | 'Conflict' | 'NotSupported' | 'Timeout' | 'Internal';

export abstract class VirtQemuError<K extends object = Record<string, unknown>> extends Error {
  abstract readonly category: ErrorCategory;
  readonly kwargs: K;
  constructor(message: string, kwargs: K, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.kwargs = kwargs;
  }
}

/** True when `err` is one of ours with the given name (works across duplicated module copies). */
export function isVirtQemuError(err: unknown, name?: string): err is VirtQemuError {
  if (!(err instanceof Error) || !('kwargs' in err) || !('category' in err)) return false;
  return name === undefined || err.name === name;
}

// ---- QMP --------------------------------------------------------------------------------

/** The QMP socket could not be reached (no socket file, nobody listening, path too long). */
export class QmpConnectFailed extends VirtQemuError<{ path: string; reason: string }> {
  override readonly name = 'QmpConnectFailed';
  readonly category = 'Internal';
  constructor(kwargs: { path: string; reason: string }, cause?: unknown) {
    super(`cannot connect to QMP socket ${kwargs.path}: ${kwargs.reason}`, kwargs, cause);
  }
}

/** The peer went away: QEMU exited, was killed, or closed the monitor. */
export class QmpConnectionClosed extends VirtQemuError<{ label: string; during?: string; reason: string }> {
  override readonly name = 'QmpConnectionClosed';
  readonly category = 'Internal';
  constructor(kwargs: { label: string; during?: string; reason: string }) {
    const during = kwargs.during ? ` during ${kwargs.during}` : '';
    super(`QMP connection to ${kwargs.label} closed${during}: ${kwargs.reason}`, kwargs);
  }
}

/** The byte stream is not QMP (not JSON, not an object, greeting missing, reply for no command). */
export class QmpProtocolError extends VirtQemuError<{ label: string; reason: string; line: string }> {
  override readonly name = 'QmpProtocolError';
  readonly category = 'Internal';
  constructor(kwargs: { label: string; reason: string; line: string }) {
    super(`QMP protocol error from ${kwargs.label}: ${kwargs.reason}`, kwargs);
  }
}

/** A well-formed reply whose `return` does not have the shape this command documents. */
export class QmpReplyInvalid extends VirtQemuError<{ label: string; command: string; issues: string }> {
  override readonly name = 'QmpReplyInvalid';
  readonly category = 'Internal';
  constructor(kwargs: { label: string; command: string; issues: string }) {
    super(`unexpected reply to ${kwargs.command} from ${kwargs.label}: ${kwargs.issues}`, kwargs);
  }
}

/** QEMU answered the command with `{"error": {class, desc}}`. */
export class QmpCommandFailed extends VirtQemuError<{ label: string; command: string; errorClass: string; desc: string }> {
  override readonly name = 'QmpCommandFailed';
  readonly category = 'Internal';
  constructor(kwargs: { label: string; command: string; errorClass: string; desc: string }) {
    super(`${kwargs.command} failed on ${kwargs.label}: ${kwargs.errorClass}: ${kwargs.desc}`, kwargs);
  }
}

/** No reply (or no awaited event) within the deadline. The connection stays usable. */
export class QmpTimeout extends VirtQemuError<{ label: string; waitingFor: string; timeoutMs: number }> {
  override readonly name = 'QmpTimeout';
  readonly category = 'Timeout';
  constructor(kwargs: { label: string; waitingFor: string; timeoutMs: number }) {
    super(`${kwargs.label}: no ${kwargs.waitingFor} within ${kwargs.timeoutMs} ms`, kwargs);
  }
}

// ---- host -------------------------------------------------------------------------------

/** A host binary (qemu-system-x86_64, qemu-img, nft) is missing or unusable. */
export class HostToolUnavailable extends VirtQemuError<{ tool: string; reason: string }> {
  override readonly name = 'HostToolUnavailable';
  readonly category = 'NotSupported';
  constructor(kwargs: { tool: string; reason: string }) {
    super(`${kwargs.tool} is not available: ${kwargs.reason}`, kwargs);
  }
}

/** A host command ran and failed (qemu-img, nft). */
export class HostCommandFailed extends VirtQemuError<{ command: string; exitCode: number | null; stderr: string }> {
  override readonly name = 'HostCommandFailed';
  readonly category = 'Internal';
  constructor(kwargs: { command: string; exitCode: number | null; stderr: string }) {
    super(`${kwargs.command} exited with ${kwargs.exitCode}: ${kwargs.stderr.trim()}`, kwargs);
  }
}

/** The state path cannot hold instances (e.g. a socket path longer than the kernel's 107 bytes). */
export class InvalidStatePath extends VirtQemuError<{ path: string; reason: string }> {
  override readonly name = 'InvalidStatePath';
  readonly category = 'Invalid';
  constructor(kwargs: { path: string; reason: string }) {
    super(`invalid state path ${kwargs.path}: ${kwargs.reason}`, kwargs);
  }
}

// ---- guests -----------------------------------------------------------------------------

export class InvalidGuestConfig extends VirtQemuError<{ issues: string }> {
  override readonly name = 'InvalidGuestConfig';
  readonly category = 'Invalid';
  constructor(kwargs: { issues: string }) {
    super(`invalid guest configuration: ${kwargs.issues}`, kwargs);
  }
}

export class GuestNotFound extends VirtQemuError<{ uuid: string }> {
  override readonly name = 'GuestNotFound';
  readonly category = 'NotFound';
  constructor(kwargs: { uuid: string }) {
    super(`no guest ${kwargs.uuid} under the state path`, kwargs);
  }
}

export class GuestAlreadyExists extends VirtQemuError<{ uuid: string }> {
  override readonly name = 'GuestAlreadyExists';
  readonly category = 'Conflict';
  constructor(kwargs: { uuid: string }) {
    super(`guest ${kwargs.uuid} already has a directory under the state path`, kwargs);
  }
}

/** The operation does not fit the guest's current state (e.g. pause a guest that is off). */
export class GuestStateConflict extends VirtQemuError<{ uuid: string; operation: string; state: string }> {
  override readonly name = 'GuestStateConflict';
  readonly category = 'Conflict';
  constructor(kwargs: { uuid: string; operation: string; state: string }) {
    super(`cannot ${kwargs.operation} guest ${kwargs.uuid} while it is ${kwargs.state}`, kwargs);
  }
}

/** QEMU exited or never opened its QMP socket while starting. */
export class GuestSpawnFailed extends VirtQemuError<{ uuid: string; exitCode: number | null; stderr: string }> {
  override readonly name = 'GuestSpawnFailed';
  readonly category = 'Internal';
  constructor(kwargs: { uuid: string; exitCode: number | null; stderr: string }) {
    super(`QEMU for ${kwargs.uuid} failed to start (exit ${kwargs.exitCode}): ${kwargs.stderr.trim()}`, kwargs);
  }
}

// ---- volumes ----------------------------------------------------------------------------

export class DeviceNameInvalid extends VirtQemuError<{ device: string }> {
  override readonly name = 'DeviceNameInvalid';
  readonly category = 'Invalid';
  constructor(kwargs: { device: string }) {
    super(`${kwargs.device} is not a device name on the guest's SCSI bus (/dev/sdb … /dev/sdz)`, kwargs);
  }
}

export class DeviceBusy extends VirtQemuError<{ uuid: string; device: string }> {
  override readonly name = 'DeviceBusy';
  readonly category = 'Conflict';
  constructor(kwargs: { uuid: string; device: string }) {
    super(`${kwargs.device} is already in use on guest ${kwargs.uuid}`, kwargs);
  }
}

export class VolumeNotAttached extends VirtQemuError<{ uuid: string; device: string }> {
  override readonly name = 'VolumeNotAttached';
  readonly category = 'NotFound';
  constructor(kwargs: { uuid: string; device: string }) {
    super(`no volume at ${kwargs.device} on guest ${kwargs.uuid}`, kwargs);
  }
}

/** connection_info this driver cannot attach (only `file` volumes in release 1). */
export class VolumeDriverNotSupported extends VirtQemuError<{ driverVolumeType: string }> {
  override readonly name = 'VolumeDriverNotSupported';
  readonly category = 'NotSupported';
  constructor(kwargs: { driverVolumeType: string }) {
    super(`volume driver type ${kwargs.driverVolumeType} is not supported (only "file")`, kwargs);
  }
}

export class InvalidConnectionInfo extends VirtQemuError<{ reason: string }> {
  override readonly name = 'InvalidConnectionInfo';
  readonly category = 'Invalid';
  constructor(kwargs: { reason: string }) {
    super(`invalid connection_info: ${kwargs.reason}`, kwargs);
  }
}

// ---- migration --------------------------------------------------------------------------

export class MigrationFailed extends VirtQemuError<{ uuid: string; status: string; reason: string }> {
  override readonly name = 'MigrationFailed';
  readonly category = 'Internal';
  constructor(kwargs: { uuid: string; status: string; reason: string }) {
    super(`migration of ${kwargs.uuid} failed (${kwargs.status}): ${kwargs.reason}`, kwargs);
  }
}

// ---- firewall ---------------------------------------------------------------------------

export class InvalidSecurityGroupRule extends VirtQemuError<{ rule: string; reason: string }> {
  override readonly name = 'InvalidSecurityGroupRule';
  readonly category = 'Invalid';
  constructor(kwargs: { rule: string; reason: string }) {
    super(`invalid security group rule ${kwargs.rule}: ${kwargs.reason}`, kwargs);
  }
}

// ---- driver -----------------------------------------------------------------------------

/** The `qemu` section of a compute's configuration names an unknown key or a bad value. */
export class QemuDriverConfigInvalid extends VirtQemuError<{ key: string; reason: string }> {
  override readonly name = 'QemuDriverConfigInvalid';
  readonly category = 'Invalid';
  constructor(kwargs: { key: string; reason: string }) {
    super(`invalid qemu driver option ${kwargs.key}: ${kwargs.reason}`, kwargs);
  }
}
