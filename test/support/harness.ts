import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDomain, type Domain, type DomainOptions } from '../../src/main/app/composition';
import type { ChannelName, ReplyOf, RequestOf } from '../../src/shared/contract';
import type { IpcError } from '../../src/shared/errors';
import type { Database } from '../../src/main/db/database';

// Shared by the integration tests: real SQLite files in temp folders, the real keychain under a
// test-only service name, the real SDK against the emulator.

const created: string[] = [];

export function tempDir(prefix = 'agent-keyring-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A keychain service name of the test's own: tests never see or touch the user's entries. */
export function testKeychainService(): string {
  return `agent-keyring-test-${randomUUID()}`;
}

export function buildDomain(overrides: Partial<DomainOptions> = {}): Domain {
  return createDomain({
    dataDir: overrides.dataDir ?? tempDir(),
    transport: 'preview',
    version: '0.0.0-test',
    keychainService: overrides.keychainService ?? testKeychainService(),
    api: { timeoutSeconds: 5, maxRetries: 0, ...overrides.api },
    ...overrides,
  });
}

export class IpcFailure extends Error {
  constructor(readonly error: IpcError) {
    super(`${error.code}: ${error.message}`);
  }
}

/** Calls a channel through the dispatcher, as the renderer would; throws IpcFailure on an error reply. */
export async function call<C extends ChannelName>(domain: Domain, channel: C, request: RequestOf<C>): Promise<ReplyOf<C>> {
  const reply = await domain.dispatch(channel, request);
  if (!reply.ok) throw new IpcFailure(reply.error);
  return reply.data as ReplyOf<C>;
}

/** The error reply of a call that must fail. */
export async function callError(domain: Domain, channel: string, request: unknown): Promise<IpcError> {
  const reply = await domain.dispatch(channel, request);
  if (reply.ok) throw new Error(`${channel} succeeded but was expected to fail`);
  return reply.error;
}

/** Every file under a folder, recursively. */
export function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every row of every table, for "nothing changed" assertions. */
export function databaseSnapshot(db: Database): Record<string, unknown[]> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all()]));
}

/** The accounts under a keychain service (test-only: reads in bulk, which the app never does). */
export async function keychainAccounts(service: string): Promise<string[]> {
  const keytar = (await import('keytar')).default;
  return (await keytar.findCredentials(service)).map((c) => c.account).sort();
}

export async function clearKeychainService(service: string): Promise<void> {
  const keytar = (await import('keytar')).default;
  for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
}
