import { spawn, spawnSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Decrypter, Encrypter } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from '../app/composition';
import {
  buildDomain,
  call,
  clearKeychainService,
  databaseSnapshot,
  keychainAccounts,
  removeTempDirs,
  tempDir,
  testKeychainService,
} from '../../../test/support/harness';
import { AppError } from '../errors';
import { generatePassphrase, generateRecoveryKey, recoverySheet } from './passphrase';
import { WORDS } from './wordlist';
import { refsIn, restorableTables, tableShapes } from './records';

// Backup files as they are on disk: the reference `age` tool opens them (with the passphrase,
// through a terminal that util-linux's `script` provides, and with a recovery key), and every
// kind of hostile file is refused with its own error before anything is written.

const PASSPHRASE = 'quartz-lemur-tango-vinyl-waltz-zinc';
const canary = (what: string) => `canary-${what}-${randomUUID()}`;
const VALUES = { alpha: canary('alpha'), beta: canary('beta') };
const services: string[] = [];
const domains: Domain[] = [];
const dir = tempDir('agent-keyring-backup-files-');
let source: Domain;
let target: Domain;
let targetService: string;
/** A backup at the test work factor (2^10), opened with PASSPHRASE. */
let file: string;
let fileBytes: Buffer;

function open(factor: number | null = 10): { domain: Domain; service: string } {
  const service = testKeychainService();
  services.push(service);
  const domain = buildDomain({ keychainService: service, ...(factor === null ? {} : { testOnlyBackupWorkFactor: factor }) });
  domains.push(domain);
  return { domain, service };
}

async function stateOf(domain: Domain, service: string) {
  return { tables: databaseSnapshot(domain.db), keychain: await keychainAccounts(service) };
}

/** The decrypted JSON of a backup (in memory), through age-encryption's own passphrase identity. */
async function decryptJson(bytes: Uint8Array): Promise<Record<string, unknown>> {
  const decrypter = new Decrypter();
  decrypter.addPassphrase(PASSPHRASE);
  return JSON.parse(await decrypter.decrypt(bytes, 'text')) as Record<string, unknown>;
}

/** Encrypts as a hostile or foreign writer would: age-encryption's own scrypt recipient. */
async function encryptForTest(plaintext: string): Promise<Uint8Array> {
  const encrypter = new Encrypter();
  encrypter.setScryptWorkFactor(10);
  encrypter.setPassphrase(PASSPHRASE);
  return encrypter.encrypt(plaintext);
}

function write(name: string, bytes: Uint8Array): string {
  const hostile = path.join(dir, name);
  fs.writeFileSync(hostile, bytes);
  return hostile;
}

async function refused(hostile: string, code: string, message: RegExp, key: { passphrase: string } = { passphrase: PASSPHRASE }) {
  const before = await stateOf(target, targetService);
  const error = await target.backup.readAndPlan(hostile, key).then(
    () => new Error('restore planned a hostile file'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect({ code: (error as AppError).code, message: (error as AppError).message }).toEqual({
    code,
    message: expect.stringMatching(message),
  });
  expect((error as AppError).message).toMatch(/Nothing was changed\.$/);
  // Nothing written: not a row (not even an activity entry), not a keychain entry.
  expect(await stateOf(target, targetService)).toEqual(before);
}

beforeAll(async () => {
  ({ domain: source } = open());
  await call(source, 'localSecrets:create', { name: 'ALPHA', value: VALUES.alpha, targets: [] });
  await call(source, 'localSecrets:create', { name: 'BETA', value: VALUES.beta, targets: [] });
  file = path.join(dir, 'backup.age');
  await source.backup.backup({ passphrase: PASSPHRASE }, { file, includeRefreshTokens: false });
  fileBytes = fs.readFileSync(file);
  ({ domain: target, service: targetService } = open());
});

afterAll(async () => {
  for (const domain of domains.splice(0)) await domain.close();
  for (const service of services) await clearKeychainService(service);
  removeTempDirs();
});

describe('the reference age tool', () => {
  it('opens a passphrase backup (the standard scrypt stanza at 2^18) and the JSON inside has the documented shape', async () => {
    const { domain } = open(null);
    await call(domain, 'localSecrets:create', { name: 'GAMMA', value: canary('gamma'), targets: [] });
    const product = path.join(dir, 'product.age');
    // Two derivations at 2^18 (encrypt, then the read-back check) take seconds, off the main thread:
    // the event loop that answers every IPC call never stalls for one.
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const phases: string[] = [];
    const receipt = await domain.backup.backup({ passphrase: PASSPHRASE }, { file: product, includeRefreshTokens: false }, (p) =>
      phases.push(p.phase),
    );
    delay.disable();
    expect(delay.max / 1e6).toBeLessThan(300);
    expect(phases).toContain('deriving_key');
    expect(receipt).toMatchObject({ mode: 'passphrase', workFactor: 18, warnings: [] });
    const lines = fs.readFileSync(product).subarray(0, 200).toString('latin1').split('\n');
    expect(lines[0]).toBe('age-encryption.org/v1');
    expect(lines[1]).toMatch(/^-> scrypt [A-Za-z0-9+/]{22} 18$/);
    expect(lines[3]).toMatch(/^--- [A-Za-z0-9+/]{43}$/);

    // age asks for the passphrase on a terminal: `script` gives it one; the passphrase is typed when it asks.
    const out = path.join(dir, 'product.json');
    const age = spawn('script', ['-qec', `age -d -o ${out} ${product}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let said = '';
    age.stdout.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (/Enter passphrase/.test(said) && !age.stdin.writableEnded) age.stdin.end(`${PASSPHRASE}\n`);
    });
    const code = await new Promise<number | null>((resolve) => age.on('exit', resolve));
    expect(code).toBe(0);
    const json = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>;
    fs.rmSync(out);
    expect(json).toMatchObject({
      format: 'agent-keyring-backup',
      formatVersion: 1,
      minReaderVersion: 1,
      appVersion: '0.0.0-test',
      schemaVersion: expect.any(Number),
      createdOn: { hostname: expect.any(String), platform: process.platform },
      options: { refreshTokens: false },
      counts: { credentials: 2, byKind: { 'local-secret-value': 1, 'fingerprint-key': 1 }, leftOut: {}, records: { local_secrets: 1 } },
      credentials: expect.arrayContaining([
        { ref: expect.stringMatching(/^local-secret-value\//), kind: 'local-secret-value', value: expect.stringMatching(/^canary-gamma-/) },
      ]),
      database: {
        encoding: 'base64',
        bytes: expect.any(Number),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        data: expect.any(String),
      },
    });
    expect(Date.parse(json['createdAt'] as string)).toBeGreaterThan(0);
    const database = json['database'] as { data: string; sha256: string };
    expect(createHash('sha256').update(Buffer.from(database.data, 'base64')).digest('hex')).toBe(database.sha256);
    // age-encryption's own scrypt identity opens it too.
    expect(await decryptJson(fs.readFileSync(product))).toEqual(json);
  }, 30_000);

  it('opens a recovery-key backup with the identity from the sheet', async () => {
    const key = await generateRecoveryKey();
    const keyed = path.join(dir, 'recovery.age');
    const receipt = await source.backup.backup({ recipient: key.recipient }, { file: keyed, includeRefreshTokens: false });
    expect(receipt).toMatchObject({ mode: 'recovery_key', workFactor: null });
    const identityFile = path.join(dir, 'identity.txt');
    fs.writeFileSync(identityFile, `${key.identity}\n`, { mode: 0o600 });
    const result = spawnSync('/usr/bin/age', ['-d', '-i', identityFile, keyed], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as { credentials: { value: string }[] };
    expect(json.credentials.map((c) => c.value)).toEqual(expect.arrayContaining([VALUES.alpha, VALUES.beta]));
    // The app opens it with the identity, and not with a passphrase.
    const plan = await target.backup.readAndPlan(keyed, { identity: key.identity });
    expect(plan).toMatchObject({ mode: 'recovery_key', actions: { add: 2 } });
    await refused(keyed, 'backup_wrong_passphrase', /opens with its recovery key/);
    const sheet = recoverySheet({
      secret: { identity: key.identity },
      file: keyed,
      createdAt: receipt.createdAt,
      hostname: receipt.hostname,
    });
    expect(sheet.text).toContain(key.identity);
    expect(sheet.html).toContain(key.identity);
    expect(sheet.text).toContain('age -d -i');
  });
});

describe('hostile files', () => {
  it('a wrong passphrase', async () => {
    await refused(file, 'backup_wrong_passphrase', /does not open this backup/, { passphrase: 'wrong-words-entirely-here-now-six' });
  });

  it('a truncated file', async () => {
    await refused(write('truncated.age', fileBytes.subarray(0, fileBytes.length - 300)), 'backup_damaged', /damaged or incomplete/);
    await refused(write('header-only.age', fileBytes.subarray(0, 60)), 'backup_damaged', /header ends too early/);
  });

  it('one byte flipped in the header, and one in the payload', async () => {
    const headerFlip = Buffer.from(fileBytes);
    const mac = headerFlip.indexOf('\n--- ') + 10;
    headerFlip[mac] = headerFlip[mac] === 0x41 ? 0x42 : 0x41;
    await refused(write('header-flip.age', headerFlip), 'backup_damaged', /header was altered/);
    const payloadFlip = Buffer.from(fileBytes);
    payloadFlip[payloadFlip.length - 40]! ^= 0x01;
    await refused(write('payload-flip.age', payloadFlip), 'backup_damaged', /contents do not authenticate/);
  });

  it('a backup from a newer version', async () => {
    const json = await decryptJson(fileBytes);
    const future = await encryptForTest(JSON.stringify({ ...json, formatVersion: 7, minReaderVersion: 2 }));
    await refused(write('future.age', future), 'backup_too_new', /newer version of Agent Keyring \(format 7/);
    const newerSchema = await encryptForTest(JSON.stringify({ ...json, schemaVersion: 99_990 }));
    await refused(write('future-schema.age', newerSchema), 'backup_too_new', /schema 99990/);
  });

  it('a work factor of 2^30 is refused before deriving anything', async () => {
    const text = fileBytes.toString('latin1');
    const stanza = /\n-> scrypt (\S+) 10\n/.exec(text)!;
    const hostile = write('factor-30.age', Buffer.from(text.replace(stanza[0], `\n-> scrypt ${stanza[1]} 30\n`), 'latin1'));
    const started = performance.now();
    await refused(hostile, 'backup_work_factor', /2\^30.*at most 2\^20/);
    // Deriving at 2^30 would take minutes and a gigabyte: refusing takes milliseconds.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a valid age file that is not a backup, and a file that is not age at all', async () => {
    await refused(
      write('not-a-backup.age', await encryptForTest('{"hello":"world"}')),
      'backup_not_a_backup',
      /not in the agent-keyring-backup format/,
    );
    await refused(write('text.age', await encryptForTest('just some text')), 'backup_not_a_backup', /not JSON/);
    await refused(write('plain.txt', Buffer.from('STRIPE_KEY=sk_live_123\n')), 'backup_not_a_backup', /not an age-encrypted file/);
  });

  it('a snapshot that fails the integrity check', async () => {
    const json = (await decryptJson(fileBytes)) as { database: { data: string; bytes: number; sha256: string } };
    const bytes = Buffer.from(json.database.data, 'base64');
    bytes.fill(1, 18, 20); // out of WAL mode, to open in memory
    const db = new BetterSqlite3(bytes);
    // An index whose definition no longer matches its entries: integrity_check reports it.
    // better-sqlite3 is defensive by default; corrupting a file on purpose needs that off.
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_master SET sql = 'CREATE INDEX local_secrets_by_fingerprint ON local_secrets(name)' WHERE name = ?").run(
      'local_secrets_by_fingerprint',
    );
    db.pragma('writable_schema = OFF');
    const corrupt = db.serialize();
    db.close();
    const hostile = await encryptForTest(
      JSON.stringify({
        ...json,
        database: {
          ...json.database,
          data: corrupt.toString('base64'),
          bytes: corrupt.length,
          sha256: createHash('sha256').update(corrupt).digest('hex'),
        },
      }),
    );
    await refused(write('corrupt-snapshot.age', hostile), 'backup_damaged', /fails its integrity check/);
  });

  it('refuses a record pointing at a credential the file does not hold', async () => {
    const json = (await decryptJson(fileBytes)) as { credentials: { kind: string }[] };
    const missing = await encryptForTest(
      JSON.stringify({
        ...json,
        credentials: json.credentials
          .filter((c) => c.kind !== 'local-secret-value')
          .concat(json.credentials.filter((c) => c.kind === 'local-secret-value').slice(1)),
      }),
    );
    await refused(write('missing-credential.age', missing), 'backup_damaged', /points at a credential the file does not hold/);
  });
});

describe('what a backup holds', () => {
  it('is found from the schema: every table with a *_ref column, the tables they point at, and their own children', () => {
    const shapes = tableShapes(source.db);
    expect(restorableTables(shapes).map((t) => t.name)).toEqual([
      'kept_connections',
      'oauth_providers',
      'people',
      'workspaces',
      'kept_connection_credentials',
      'kept_connection_targets',
      'linked_accounts',
      'local_secrets',
      'local_secret_targets',
    ]);
    // Every ref the database points at is of a known kind, and the fingerprint key's settings row is one of them.
    const kinds = new Set(refsIn(source.db, shapes).map((r) => r.kind));
    expect(kinds).toEqual(new Set(['local-secret-value', 'fingerprint-key']));
  });
});

describe('generated passphrases', () => {
  it('are six or more words from a list of at least 1,296, drawn at random', () => {
    expect(new Set(WORDS).size).toBe(WORDS.length);
    expect(WORDS.length).toBeGreaterThanOrEqual(1296);
    const generated = generatePassphrase();
    expect(generated.passphrase.split('-')).toHaveLength(6);
    expect(generated.bits).toBeGreaterThanOrEqual(62);
    expect(generated.passphrase.split('-').every((word) => WORDS.includes(word))).toBe(true);
    expect(generatePassphrase().passphrase).not.toBe(generated.passphrase);
    expect(() => generatePassphrase(5)).toThrow(RangeError);
    const sheet = recoverySheet({ secret: { passphrase: generated.passphrase }, file: '/b/x.age', createdAt: 0, hostname: 'laptop' });
    expect(sheet.text).toContain(generated.passphrase);
    expect(sheet.html).toContain('<h2>Passphrase</h2>');
  });
});
