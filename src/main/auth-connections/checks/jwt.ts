// Signing the JWT of an OAuth2 JWT or private key JWT connection with jose, as ElevenLabs would:
// iss, sub, aud, iat, exp (iat + expiration), a fresh jti, the extra claims, kid when given.
import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { JwtAlgorithm } from '../../../shared/schemas/connection-definitions';
import { AppError } from '../../errors';
import { describeKey, openPrivateKey, publicKeyOf } from '../pem';

export interface JwtSettings {
  algorithm: JwtAlgorithm;
  keyId?: string;
  issuer: string;
  audience: string;
  subject: string;
  expirationSeconds: number;
  extraParams: Record<string, string>;
  secretKey: string;
}

/** The smallest RSA key jose (and RFC 7518 §3.3) accept for RS256/384/512. */
const MIN_RSA_BITS = 2048;

export interface SigningKey {
  sign: KeyObject | Uint8Array;
  verify: KeyObject | Uint8Array;
  /** What the key is, for the report: "RSA 2048-bit key" or "shared secret of 32 bytes". */
  description: string;
}

/** The key for the algorithm, or an error naming `secretKey` when it does not fit. */
export function signingKeyFor(settings: JwtSettings): SigningKey {
  if (settings.algorithm.startsWith('HS')) {
    const secret = new TextEncoder().encode(settings.secretKey);
    return { sign: secret, verify: secret, description: `shared secret of ${secret.byteLength} bytes` };
  }
  if (/ENCRYPTED/.test(settings.secretKey)) {
    throw new AppError('invalid_request', 'secretKey is encrypted, and a JWT connection has no passphrase: give the key unencrypted.', {
      field: 'secretKey',
    });
  }
  const { key } = openPrivateKey(settings.secretKey, undefined, 'secretKey');
  const info = describeKey(key);
  if (info.type !== 'rsa') {
    throw new AppError('invalid_request', `secretKey is a key of type ${info.type}, but ${settings.algorithm} needs an RSA key.`, {
      field: 'secretKey',
    });
  }
  if ((info.bits ?? 0) < MIN_RSA_BITS) {
    throw new AppError(
      'invalid_request',
      `secretKey is a ${info.bits}-bit RSA key; ${settings.algorithm} needs at least ${MIN_RSA_BITS} bits.`,
      {
        field: 'secretKey',
      },
    );
  }
  return { sign: key, verify: publicKeyOf(key), description: `RSA ${info.bits}-bit key` };
}

export async function signJwt(settings: JwtSettings, key: SigningKey, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ ...settings.extraParams })
    .setProtectedHeader({ alg: settings.algorithm, typ: 'JWT', ...(settings.keyId ? { kid: settings.keyId } : {}) })
    .setIssuer(settings.issuer)
    .setSubject(settings.subject)
    .setAudience(settings.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + settings.expirationSeconds)
    .setJti(randomUUID())
    .sign(key.sign);
}

/** Verifies what `signJwt` made, with the public half (RS) or the same secret (HS). */
export async function verifyJwt(jwt: string, settings: JwtSettings, key: SigningKey, now: Date): Promise<void> {
  await jwtVerify(jwt, key.verify, {
    algorithms: [settings.algorithm],
    issuer: settings.issuer,
    audience: settings.audience,
    subject: settings.subject,
    currentDate: now,
  });
}
