import { describe, expect, it } from 'vitest';
import { connectionState } from './auth-types';

const now = Date.UTC(2026, 9, 1);
const day = 24 * 3600_000;

describe('connectionState', () => {
  it('says Expired once the token has expired, whatever the last sync called it', () => {
    expect(connectionState({ status: 'active', expiresAt: now - 1 }, now)).toMatchObject({ label: 'Expired', tone: 'bad' });
  });

  it('says Expires soon within seven days, and the status after that', () => {
    expect(connectionState({ status: 'active', expiresAt: now + 3 * day }, now)).toMatchObject({ label: 'Expires soon', tone: 'warn' });
    expect(connectionState({ status: 'active', expiresAt: now + 8 * day }, now)).toMatchObject({ label: 'Active', tone: 'ok' });
    expect(connectionState({ status: 'active', expiresAt: null }, now)).toMatchObject({ label: 'Active' });
  });

  it('keeps a worse status than an expiry', () => {
    expect(connectionState({ status: 'credential_invalid', expiresAt: now - day }, now)).toMatchObject({ label: 'Credential invalid' });
    expect(connectionState({ status: 'revoked', expiresAt: now - day }, now)).toMatchObject({ label: 'Revoked' });
  });
});
