// Error replies in the shapes the live API uses (README: Error bodies): `detail` is an object
// {status, message} for most errors and a list of pydantic issues for 422.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
    this.name = 'ApiError';
  }

  get body(): { detail: unknown } {
    return { detail: this.detail };
  }
}

export function apiError(httpStatus: number, status: string, message: string): ApiError {
  return new ApiError(httpStatus, { status, message });
}

export function notFound(status: string, message: string): ApiError {
  return apiError(404, status, message);
}

export function invalidApiKey(): ApiError {
  return apiError(401, 'invalid_api_key', 'Invalid API key');
}

export function missingPermission(permission: string): ApiError {
  return apiError(401, 'missing_permissions', `The API key you used is missing the permission ${permission} to execute this operation.`);
}

export function invalidCursor(message: string): ApiError {
  return apiError(400, 'invalid_cursor', message);
}

/** A bad control-endpoint body, CLI argument or option; the message names the field. */
export class InvalidFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'InvalidFieldError';
  }
}
