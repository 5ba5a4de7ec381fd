import type { ErrorCode, IpcError } from '../shared/errors';

/**
 * An error the user should see as it is. Its message is written for people and never contains
 * a secret value, key or token; anything else thrown is a bug and reaches the user as `internal`.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Omit<IpcError, 'code' | 'message'> = {},
  ) {
    super(message);
  }

  toIpcError(): IpcError {
    return { code: this.code, message: this.message, ...this.extra };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
