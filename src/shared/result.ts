/**
 * The envelope every request result crosses a transport in. Thrown errors lose their
 * detail on the way through IPC or HTTP, so failures travel as data.
 */
export type ErrorCode =
  | 'bad_request'
  | 'unknown_request'
  | 'not_found'
  | 'not_a_directory'
  | 'permission_denied'
  | 'invalid_path'
  | 'invalid_regex'
  | 'pool_timeout'
  | 'database_error'
  | 'cancelled'
  | 'timeout'
  | 'unsupported'
  | 'shutting_down'
  | 'internal';

export interface ResultError {
  readonly code: ErrorCode;
  readonly message: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ResultError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}
