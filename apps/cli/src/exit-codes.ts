/**
 * What `novakit` exits with, so scripts can tell failures apart:
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | unexpected error (a bug: please report it with the output) |
 * | 2 | usage: unknown command, bad flag or argument |
 * | 3 | cannot reach the API, or no URL/token configured |
 * | 4 | authentication or authorization refused (401, 403) |
 * | 5 | not found (404): no such server, volume, flavor … |
 * | 6 | conflict (409): the resource is in a state that forbids the request, or another action runs |
 * | 7 | invalid request (400, 413, 415): the API names the field and the problem |
 * | 8 | the API failed (5xx); its message carries the request id to quote |
 * | 9 | the operation was accepted but did not succeed (server went to ERROR, migration rolled back, wait timed out) |
 * | 10 | `novakit up` could not start (port taken, driver unavailable, data directory unusable) |
 * | 130 | interrupted (Ctrl-C) |
 */
export const ExitCode = {
  OK: 0,
  UNEXPECTED: 1,
  USAGE: 2,
  UNREACHABLE: 3,
  AUTH: 4,
  NOT_FOUND: 5,
  CONFLICT: 6,
  INVALID: 7,
  SERVER_ERROR: 8,
  OPERATION_FAILED: 9,
  START_FAILED: 10,
  INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that ends the command with a given exit code and a message for people. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return ExitCode.AUTH;
  if (status === 404) return ExitCode.NOT_FOUND;
  if (status === 409) return ExitCode.CONFLICT;
  if (status >= 400 && status < 500) return ExitCode.INVALID;
  return ExitCode.SERVER_ERROR;
}
