import type { AuthConnectionRow } from '../../../shared/schemas/auth-connections';

const authTypeLabels: Record<string, string> = {
  oauth2_client_credentials: 'OAuth2 client credentials',
  custom_header_auth: 'Custom header',
  basic_auth: 'Basic auth',
  bearer_auth: 'Bearer token',
  oauth2_jwt: 'OAuth2 JWT',
  private_key_jwt: 'Private key JWT',
  mtls: 'mTLS',
  refresh_token_auth: 'OAuth2 refresh token (dashboard)',
  api_integration_oauth2_auth_code: 'Dashboard integration (OAuth2 sign-in)',
  api_integration_oauth2_custom_app: 'Dashboard integration (custom OAuth2 app)',
  whatsapp_auth: 'WhatsApp (dashboard)',
  slack_bot_auth: 'Slack bot (dashboard)',
  url_secret: 'URL secret (dashboard)',
};

export function authTypeLabel(authType: string): string {
  return authTypeLabels[authType] ?? 'Dashboard integration (read-only)';
}

export type StatusTone = 'ok' | 'warn' | 'bad' | 'muted';

/** A token expiring within this long is flagged "Expires soon". */
export const EXPIRES_SOON_MS = 7 * 24 * 3600_000;

/**
 * What a connection's badge says: its status, unless its token has expired or is about to,
 * which matters more than an "active" the API reported at the last sync. Text and a glyph,
 * never colour alone.
 */
export function connectionState(
  connection: Pick<AuthConnectionRow, 'status' | 'expiresAt'>,
  now: number,
): { label: string; tone: StatusTone; glyph: string } {
  const status = connectionStatus(connection.status);
  if (connection.expiresAt === null || status.tone === 'bad' || connection.status === 'revoked') return status;
  if (connection.expiresAt <= now) return { label: 'Expired', tone: 'bad', glyph: '✕' };
  if (connection.expiresAt - now <= EXPIRES_SOON_MS) return { label: 'Expires soon', tone: 'warn', glyph: '▲' };
  return status;
}

export function connectionStatus(status: string | null): { label: string; tone: StatusTone; glyph: string } {
  switch (status) {
    case 'active':
      return { label: 'Active', tone: 'ok', glyph: '●' };
    case 'refresh_failed':
      return { label: 'Refresh failed', tone: 'warn', glyph: '▲' };
    case 'revoked':
      return { label: 'Revoked', tone: 'muted', glyph: '⊘' };
    case 'credential_invalid':
      return { label: 'Credential invalid', tone: 'bad', glyph: '✕' };
    case null:
      return { label: 'Status unknown', tone: 'muted', glyph: '○' };
    default:
      return { label: humanize(status), tone: 'muted', glyph: '○' };
  }
}

const detailLabels: Record<string, string> = {
  clientId: 'Client ID',
  tokenUrl: 'Token URL',
  scopes: 'Scopes',
  basicAuthInHeader: 'Client credentials in header',
  username: 'Username',
  headerName: 'Header name',
  issuer: 'Issuer',
  audience: 'Audience',
  subject: 'Subject',
  algorithm: 'Algorithm',
  keyId: 'Key ID',
  expirationSeconds: 'Token lifetime',
  tokenResponseField: 'Token response field',
  expiresAt: 'Expires',
  integrationId: 'Integration',
  credentialId: 'Credential ID',
  scopeSeparator: 'Scope separator',
  phoneNumberId: 'Phone number ID',
  extraParamNames: 'Extra parameters',
  customHeaderNames: 'Custom headers',
};

/** Details that are identifiers or URLs, shown in monospace. */
const monospaceDetails = new Set([
  'clientId',
  'tokenUrl',
  'headerName',
  'keyId',
  'credentialId',
  'phoneNumberId',
  'customHeaderNames',
  'extraParamNames',
  'scopes',
  'integrationId',
]);

export interface DetailEntry {
  key: string;
  label: string;
  value: string;
  mono: boolean;
}

export function connectionDetails(details: AuthConnectionRow['details']): DetailEntry[] {
  return Object.entries(details).map(([key, raw]) => ({
    key,
    label: detailLabels[key] ?? humanize(key),
    value: detailValue(key, raw),
    mono: monospaceDetails.has(key),
  }));
}

function detailValue(key: string, value: string | number | boolean | string[]): string {
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'none';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (key === 'expirationSeconds' && typeof value === 'number') return `${new Intl.NumberFormat().format(value)} s`;
  if (key === 'scopeSeparator' && typeof value === 'string') return value === ' ' ? 'space' : `“${value}”`;
  if (key === 'expiresAt' && typeof value === 'string') {
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }
  return String(value);
}

/** "tokenUrl" or "token_url" → "Token url". */
export function humanize(key: string): string {
  const words = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
