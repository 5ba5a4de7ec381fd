import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { WORDS } from '../backup/wordlist';

/**
 * The keys of a pairing (Ed25519, node:crypto) and what each side signs. Both `akr` and the app
 * use these functions, so a transcript is declared once. Every signed text names its role and
 * both nonces, so a signature from one step or one connection is worth nothing in another.
 */

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface KeyPair {
  publicKey: string;
  privateKeyPem: string;
}

export function newKeyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: rawPublicKey(publicKey), privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** The 32 raw bytes of an Ed25519 public key, base64. */
export function rawPublicKey(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).subarray(ED25519_SPKI_PREFIX.length).toString('base64');
}

export function publicKeyFromRaw(raw: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(raw, 'base64')]), format: 'der', type: 'spki' });
}

export function privateKeyFromPem(pem: string): KeyObject {
  return createPrivateKey(pem);
}

export function clientIdOf(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, 32);
}

/** Five words from the EFF list for a public key: what the app and the terminal both show. */
export function fingerprintPhrase(publicKey: string): string {
  const digest = createHash('sha256').update('akr-pairing-phrase\n').update(Buffer.from(publicKey, 'base64')).digest();
  const words: string[] = [];
  for (let i = 0; i < 5; i++) words.push(WORDS[digest.readUInt16BE(i * 2) % WORDS.length]!);
  return words.join(' ');
}

export function newNonce(): string {
  return randomBytes(32).toString('base64');
}

/** What the terminal signs to open a connection. */
export function helloTranscript(clientId: string, nonce: string, time: number): Buffer {
  return Buffer.from(`akr-hello\n${clientId}\n${nonce}\n${time}`);
}
/** What the app signs in answer: the terminal's nonce and its own, so a recorded answer fits no other connection. */
export function welcomeTranscript(clientId: string, clientNonce: string, serverNonce: string): Buffer {
  return Buffer.from(`akr-welcome\n${clientId}\n${clientNonce}\n${serverNonce}`);
}
/** What the terminal signs last: the app's fresh nonce, bound to this connection's two nonces. */
export function proveTranscript(clientId: string, clientNonce: string, serverNonce: string): Buffer {
  return Buffer.from(`akr-prove\n${clientId}\n${clientNonce}\n${serverNonce}`);
}

export function signWith(key: KeyObject, data: Buffer): string {
  return sign(null, data, key).toString('base64');
}

export function verifyWith(key: KeyObject, data: Buffer, signature: string): boolean {
  try {
    return verify(null, data, key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
