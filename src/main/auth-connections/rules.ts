import { creatableAuthTypes } from '../../shared/schemas/auth-connections';

const creatable = new Set<string>(creatableAuthTypes);

/** Types made in the dashboard or by an integration: the API can list them but not edit them. */
export function isReadOnlyAuthType(authType: string): boolean {
  return !creatable.has(authType);
}

/** When an integration connection's token expires, from its `expiresAt` setting (ISO 8601). */
export function expiresAtOf(details: Record<string, unknown>): number | null {
  const value = details['expiresAt'];
  if (typeof value !== 'string') return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : at;
}
