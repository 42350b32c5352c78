import type { ErrorCode, ResultError } from '../../../shared/result';

/** An error meant for the user: its message is shown as is on every surface. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Turns anything thrown into the envelope's error, keeping user-facing messages intact. */
export function toResultError(error: unknown): ResultError {
  if (isAppError(error)) {
    return { code: error.code, message: error.message };
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return { code: 'cancelled', message: 'Cancelled' };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Internal error: ${message}` };
}
