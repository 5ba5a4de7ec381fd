import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import type { Identity, Recipient } from 'age-encryption';
import { AppError } from '../errors';

// The age file format (age-encryption.org/v1) through `age-encryption`, with one part of our own:
// the scrypt stanza's key derivation runs in Node's crypto.scrypt, which works on libuv's thread
// pool. The main process (which serves every IPC call) never blocks for the second or so a work
// factor of 2^18 costs, with no worker file for electron-vite to bundle and locate. The stanza is
// the standard one (age's spec, "scrypt recipient stanza"), so `age -d` and age-encryption's own
// Decrypter open what this writes; tests check both directions.

/** The product's work factor: age's own default, and what the issue asks as the minimum. */
export const SCRYPT_WORK_FACTOR = 18;
/** Refused above this before anything is derived: 2^30 would take minutes and a gigabyte per try. */
export const MAX_READ_WORK_FACTOR = 20;
/** The lowest a writer may be told to use, and only by tests (the reader warns below 18). */
export const MIN_TEST_WORK_FACTOR = 10;

const SCRYPT_LABEL = 'age-encryption.org/v1/scrypt';
const VERSION_LINE = 'age-encryption.org/v1';
const ZERO_NONCE = Buffer.alloc(12);

export type AgeMode = 'passphrase' | 'recovery_key';

/** What the header of an age file says, read before any key is derived. */
export interface AgeHeader {
  mode: AgeMode | 'other';
  /** log2 of the scrypt work factor, for passphrase files. */
  workFactor: number | null;
}

type Age = typeof import('age-encryption');
let ageModule: Promise<Age> | undefined;
/** age-encryption is an ES module: loaded on first use, so the CommonJS main bundle can require it lazily. */
function age(): Promise<Age> {
  ageModule ??= import('age-encryption');
  return ageModule;
}

/** age's scrypt key derivation (label + salt, r = 8, p = 1), on libuv's thread pool. Exported for the benchmark's kdf_ms. */
export function deriveKey(passphrase: string, salt: Buffer, logN: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) =>
    scrypt(
      Buffer.from(passphrase, 'utf8'),
      Buffer.concat([Buffer.from(SCRYPT_LABEL, 'ascii'), salt]),
      32,
      // scrypt needs 128 * N * r bytes; Node's default cap (32 MiB) is below 2^18's 256 MiB.
      { N, r: 8, p: 1, maxmem: 128 * N * 8 + 16 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

const base64NoPad = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '');

/** age's scrypt recipient: a passphrase, stretched with scrypt off the main thread. */
class PassphraseRecipient implements Recipient {
  constructor(
    private readonly passphrase: string,
    private readonly logN: number,
    private readonly stanzaClass: Age['Stanza'],
    private readonly onDerive: () => void,
  ) {}

  async wrapFileKey(fileKey: Uint8Array) {
    const salt = randomBytes(16);
    this.onDerive();
    const key = await deriveKey(this.passphrase, salt, this.logN);
    const cipher = createCipheriv('chacha20-poly1305', key, ZERO_NONCE, { authTagLength: 16 });
    const body = Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
    return [new this.stanzaClass(['scrypt', base64NoPad(salt), String(this.logN)], body)];
  }
}

/** The matching identity: refuses an out-of-bounds work factor before deriving anything. */
class PassphraseIdentity implements Identity {
  constructor(
    private readonly passphrase: string,
    private readonly onDerive: () => void,
  ) {}

  async unwrapFileKey(stanzas: InstanceType<Age['Stanza']>[]): Promise<Uint8Array | null> {
    const stanza = stanzas.find((s) => s.args[0] === 'scrypt');
    if (!stanza) return null;
    if (stanzas.length !== 1 || stanza.args.length !== 3 || stanza.body.length !== 32) throw damaged('its passphrase stanza is malformed');
    const logN = parseWorkFactor(stanza.args[2]!);
    const salt = Buffer.from(stanza.args[1]!, 'base64');
    if (salt.length !== 16) throw damaged('its passphrase stanza is malformed');
    this.onDerive();
    const key = await deriveKey(this.passphrase, salt, logN);
    const decipher = createDecipheriv('chacha20-poly1305', key, ZERO_NONCE, { authTagLength: 16 });
    decipher.setAuthTag(stanza.body.subarray(16));
    try {
      return Buffer.concat([decipher.update(stanza.body.subarray(0, 16)), decipher.final()]);
    } catch {
      // The wrapped key does not open with this passphrase: the identity does not match.
      return null;
    }
  }
}

/** A work factor the reader accepts, or the error saying why not. Never derives anything. */
function parseWorkFactor(text: string): number {
  if (!/^[1-9][0-9]?$/.test(text)) {
    if (/^[1-9][0-9]*$/.test(text)) throw workFactorError(Number(text));
    throw damaged('its passphrase stanza is malformed');
  }
  const logN = Number(text);
  if (logN > MAX_READ_WORK_FACTOR) throw workFactorError(logN);
  return logN;
}

function workFactorError(logN: number): AppError {
  return new AppError(
    'backup_work_factor',
    `This backup asks for a key-derivation work factor of 2^${logN}; Agent Keyring accepts at most 2^${MAX_READ_WORK_FACTOR}, so it did not try (a larger one could take minutes and gigabytes of memory, a sign the file was not made by Agent Keyring). Nothing was changed.`,
  );
}

export function damaged(why: string): AppError {
  return new AppError(
    'backup_damaged',
    `This backup is damaged or incomplete (${why}). Use another copy of it, or make a new backup. Nothing was changed.`,
  );
}

export function notABackup(why: string): AppError {
  return new AppError('backup_not_a_backup', `This file is not an Agent Keyring backup (${why}). Nothing was changed.`);
}

/**
 * Reads the header without deriving anything: whether this is an age file at all, whether it
 * opens with a passphrase or a recovery key, and the work factor (refused when too high).
 */
export async function readAgeHeader(file: Uint8Array): Promise<{ header: AgeHeader; binary: Uint8Array }> {
  let binary = file;
  const start = Buffer.from(file.subarray(0, 64)).toString('latin1');
  if (start.startsWith('-----BEGIN AGE ENCRYPTED FILE-----')) {
    try {
      binary = (await age()).armor.decode(Buffer.from(file).toString('utf8'));
    } catch {
      throw damaged('its text armor does not decode');
    }
  } else if (!start.startsWith('age-encryption.org/')) {
    throw notABackup('it is not an age-encrypted file');
  }
  const headerEnd = Buffer.from(binary).indexOf('\n--- ');
  if (headerEnd < 0) throw damaged('its header ends too early');
  const lines = Buffer.from(binary.subarray(0, headerEnd)).toString('latin1').split('\n');
  if (lines[0] !== VERSION_LINE) throw damaged(`its first line is not ${VERSION_LINE}`);
  const stanzas = lines.filter((line) => line.startsWith('-> ')).map((line) => line.slice(3).split(' '));
  if (stanzas.length === 0) throw damaged('its header names no recipient');
  const scryptStanza = stanzas.find((args) => args[0] === 'scrypt');
  if (scryptStanza) {
    if (stanzas.length !== 1 || scryptStanza.length !== 3) throw damaged('its passphrase stanza is malformed');
    return { header: { mode: 'passphrase', workFactor: parseWorkFactor(scryptStanza[2]!) }, binary };
  }
  return { header: { mode: stanzas.some((args) => args[0] === 'X25519') ? 'recovery_key' : 'other', workFactor: null }, binary };
}

export type EncryptKey = { passphrase: string; workFactor: number } | { recipient: string };
export type DecryptKey = { passphrase: string } | { identity: string };

/** Encrypts in memory; `onDerive` is called when the (slow) key derivation starts. */
export async function encryptAge(plaintext: Uint8Array, key: EncryptKey, onDerive: () => void = () => {}): Promise<Uint8Array> {
  const { Encrypter, Stanza } = await age();
  const encrypter = new Encrypter();
  if ('passphrase' in key) {
    encrypter.addRecipient(new PassphraseRecipient(key.passphrase, key.workFactor, Stanza, onDerive));
  } else {
    encrypter.addRecipient(key.recipient);
  }
  return encrypter.encrypt(plaintext);
}

/**
 * Decrypts in memory, after checking the header (the work factor is refused before deriving).
 * Each failure is its own error: wrong passphrase or key, damaged, not an age file.
 */
export async function decryptAge(
  file: Uint8Array,
  key: DecryptKey,
  onDerive: () => void = () => {},
): Promise<{ plaintext: Uint8Array; header: AgeHeader }> {
  const { header, binary } = await readAgeHeader(file);
  const { Decrypter } = await age();
  if ('passphrase' in key && header.mode === 'recovery_key') {
    throw new AppError(
      'backup_wrong_passphrase',
      'This backup opens with its recovery key (AGE-SECRET-KEY-1...), not a passphrase. Enter the recovery key from its sheet. Nothing was changed.',
    );
  }
  if ('identity' in key && header.mode === 'passphrase') {
    throw new AppError(
      'backup_wrong_passphrase',
      'This backup opens with its passphrase, not a recovery key. Enter the passphrase from its sheet. Nothing was changed.',
    );
  }
  if (header.mode === 'other') throw notABackup('it is an age file encrypted to a kind of key Agent Keyring does not use');
  const decrypter = new Decrypter();
  if ('passphrase' in key) decrypter.addIdentity(new PassphraseIdentity(key.passphrase, onDerive));
  else decrypter.addIdentity(key.identity);
  try {
    return { plaintext: await decrypter.decrypt(binary), header };
  } catch (error) {
    if (error instanceof AppError) throw error;
    const message = error instanceof Error ? error.message : '';
    if (/no identity matched/.test(message)) {
      throw new AppError(
        'backup_wrong_passphrase',
        header.mode === 'passphrase'
          ? 'This passphrase does not open this backup. Check it against the recovery sheet (words separated by hyphens). Nothing was changed.'
          : 'This recovery key does not open this backup. Check it against the recovery sheet. Nothing was changed.',
      );
    }
    if (/HMAC/.test(message)) throw damaged('its header was altered');
    if (/too small|size is invalid|last chunk|empty/i.test(message)) throw damaged('it is truncated');
    // Any other failure past the header is a payload that does not authenticate.
    throw damaged('its contents do not authenticate');
  }
}
