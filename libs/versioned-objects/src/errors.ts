/**
 * Typed errors of the framework, and the base class every novakit lib above the framework
 * uses for its own errors. An error has a stable `name` (its class name), structured
 * `kwargs`, a Nova-style category, and a message rendered from a `{key}` template, so it can
 * cross RPC by name and be rebuilt on the other side (`fromWire`).
 */

export type ErrorCategory =
  | 'NotFound'
  | 'Invalid'
  | 'Conflict'
  | 'NotSupported'
  | 'Forbidden'
  | 'Unavailable'
  | 'Internal';

export type ErrorKwargs = Record<string, unknown>;

export interface NovakitErrorClass<E extends NovakitError = NovakitError> {
  new (kwargs?: any, message?: string): E;
  readonly category: ErrorCategory;
  readonly msgFmt: string;
  readonly name: string;
}

export abstract class NovakitError<K extends ErrorKwargs = ErrorKwargs> extends Error {
  static readonly category: ErrorCategory = 'Internal';
  static readonly msgFmt: string = 'An unknown error occurred';
  readonly kwargs: K;
  readonly category: ErrorCategory;

  constructor(kwargs?: K, message?: string) {
    const cls = new.target as unknown as NovakitErrorClass;
    const args = (kwargs ?? {}) as K;
    super(message ?? formatMessage(cls.msgFmt, args));
    this.name = cls.name;
    this.kwargs = args;
    this.category = cls.category;
  }

  /** Rebuild an error received over RPC: the remote message wins over the local template. */
  static fromWire<E extends NovakitError>(this: new (k?: any, m?: string) => E, message: string, kwargs: ErrorKwargs): E {
    return new this(kwargs, message);
  }
}

function formatMessage(template: string, kwargs: ErrorKwargs): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(kwargs, key) ? String(kwargs[key]) : whole,
  );
}

export function isNovakitError(e: unknown): e is NovakitError {
  return e instanceof NovakitError;
}

export class ObjectActionError extends NovakitError<{ action: string; reason: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Object action {action} failed because: {reason}';
}

export class OrphanedObjectError extends NovakitError<{ method: string; objtype: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Cannot call {method} on orphaned {objtype} object';
}

export class IncompatibleObjectVersion extends NovakitError<{ objname: string; objver: string; supported: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Version {objver} of {objname} is not supported, supported version is {supported}';
}

export class ReadOnlyFieldError extends NovakitError<{ field: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Cannot modify readonly field {field}';
}

export class UnsupportedObjectError extends NovakitError<{ objtype: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Unsupported object type {objtype}';
}

export class InvalidTargetVersion extends NovakitError<{ version: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Invalid target version {version}';
}

export class TargetBeforeSubobjectExistedException extends NovakitError<{ target_version: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'No subobject existed at version {target_version}';
}

export class UnregisteredSubobject extends NovakitError<{ child_objname: string; parent_objname: string }> {
  static override readonly category = 'Internal';
  static override readonly msgFmt = '{child_objname} is referenced by {parent_objname} but is not registered';
}

export class InvalidVersionError extends NovakitError<{ version: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Invalid version string {version}: expected X.Y or X.Y.Z';
}

/** oslo's ValueError from field coercion, naming the object and field. */
export class FieldValueError extends NovakitError<{ objname: string; field: string; reason: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Invalid value for field {field} of {objname}: {reason}';
}

/** Reading a field that is not set. Lazy fields are loaded with `await obj.obj_load_attr(name)`. */
export class FieldNotLoadedError extends NovakitError<{ objname: string; field: string; lazy: boolean }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Field {field} of {objname} is not set';
  constructor(kwargs: { objname: string; field: string; lazy: boolean }, message?: string) {
    super(
      kwargs,
      message ??
        (kwargs.lazy
          ? `Field ${kwargs.field} of ${kwargs.objname} is not loaded: call await obj.obj_load_attr('${kwargs.field}') or ask for it in expectedAttrs`
          : undefined),
    );
  }
}

/** A primitive that is not a well-formed object envelope; `path` says where in the payload. */
export class MalformedPrimitiveError extends NovakitError<{ path: string; reason: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Malformed object primitive at {path}: {reason}';
}

export class ForeignNamespaceError extends NovakitError<{ objtype: string; namespace: string; expected: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Unsupported object type {objtype}: namespace {namespace} is not {expected}';
}

/** A mistake in an object definition, found when the class is defined or registered. */
export class ObjectDefinitionError extends NovakitError<{ objname: string; reason: string }> {
  static override readonly category = 'Internal';
  static override readonly msgFmt = 'Bad definition of {objname}: {reason}';
}

export class NotRemotableError extends NovakitError<{ objname: string; method: string }> {
  static override readonly category = 'Forbidden';
  static override readonly msgFmt = '{method} is not a remotable method of {objname}';
}

/** Every error class of this lib, for RPC error allow-lists. */
export const VERSIONED_OBJECTS_ERRORS: readonly NovakitErrorClass[] = [
  ObjectActionError,
  OrphanedObjectError,
  IncompatibleObjectVersion,
  ReadOnlyFieldError,
  UnsupportedObjectError,
  InvalidTargetVersion,
  TargetBeforeSubobjectExistedException,
  UnregisteredSubobject,
  InvalidVersionError,
  FieldValueError,
  FieldNotLoadedError,
  MalformedPrimitiveError,
  ForeignNamespaceError,
  ObjectDefinitionError,
  NotRemotableError,
];
