// Errors of the HTTP API. Each has Nova's category; the status it answers with comes from
// the category (http/fault.ts), except where Nova's API answers differently (401, 413).
import { NovakitError, type NovakitErrorClass } from '@novakit/versioned-objects';

/** A request field failed validation: `field` is the dotted path, `problem` what was wrong. */
export class InvalidInput extends NovakitError<{ field: string; problem: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Invalid input for field/attribute {field}: {problem}';
}

/** The body is not a JSON document this API reads (syntax, depth, forbidden keys, media type). */
export class MalformedRequestBody extends NovakitError<{ reason: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Malformed request body: {reason}';
}

/** The body is larger than the configured limit (Nova's sizelimit middleware: 413). */
export class RequestTooLarge extends NovakitError<{ limit_bytes: number }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Request is too large: the limit is {limit_bytes} bytes.';
}

/** No token, or one this API does not know (Keystone's 401). */
export class NotAuthenticated extends NovakitError<Record<string, never>> {
  static override readonly category = 'Forbidden';
  static override readonly msgFmt = 'The request you have made requires authentication.';
}

export class PolicyNotAuthorized extends NovakitError<{ action: string }> {
  static override readonly category = 'Forbidden';
  static override readonly msgFmt = 'Policy does not allow {action} to be performed.';
}

/** No route matches the path and method. */
export class ResourceNotFound extends NovakitError<{ method: string; path: string }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'The resource could not be found: {method} {path}';
}

/** The volume is not in a state that allows the operation (Nova's InvalidVolume, answered 409 by the attach API). */
export class VolumeInUse extends NovakitError<{ volume_id: string; status: string; operation: string }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Volume {volume_id} is {status}: cannot {operation} it.';
}

export class VolumeNotAttached extends NovakitError<{ volume_id: string; server_id: string }> {
  static override readonly category = 'NotFound';
  static override readonly msgFmt = 'Volume {volume_id} is not attached to server {server_id}.';
}

/** The volume store (its JSON file or lock) could not be used. */
export class VolumeStoreUnavailable extends NovakitError<{ reason: string }> {
  static override readonly category = 'Unavailable';
  static override readonly msgFmt = 'The volume store is unavailable: {reason}';
}

export class FlavorRefInvalid extends NovakitError<{ flavor_ref: string; reason: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Invalid flavorRef {flavor_ref}: {reason}';
}

export class SecurityGroupInUse extends NovakitError<{ security_group_id: string | number }> {
  static override readonly category = 'Conflict';
  static override readonly msgFmt = 'Security group {security_group_id} is in use by a server.';
}

export class ApiConfigInvalid extends NovakitError<{ source: string; problems: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Invalid API configuration in {source}: {problems}';
}

export const API_ERRORS: readonly NovakitErrorClass[] = [
  InvalidInput,
  MalformedRequestBody,
  RequestTooLarge,
  NotAuthenticated,
  PolicyNotAuthorized,
  ResourceNotFound,
  VolumeInUse,
  VolumeNotAttached,
  VolumeStoreUnavailable,
  FlavorRefInvalid,
  SecurityGroupInUse,
  ApiConfigInvalid,
];
