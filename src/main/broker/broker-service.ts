import { createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrokerPending, BrokerReply, BrokerRequest, BrokerState } from '../../shared/schemas/broker';
import type { IpcReply } from '../../shared/errors';
import type { ActivityLog } from '../activity/activity-log';
import type { Database } from '../db/database';
import type { DemoBackend } from '../demo/demo-backend';
import { residencyBaseUrls } from '../elevenlabs/endpoints';
import { AppError } from '../errors';
import type { EventBus } from '../events/event-bus';
import type { LocalSecretRepository } from '../local-secrets/local-secret-repository';
import type { Logger } from '../logging/logger';
import type { AccountService } from '../oauth/account-service';
import type { Clock } from '../ports/clock';
import type { CredentialStore } from '../vault/credential-store';
import type { WorkspaceRecord, WorkspaceRepository } from '../workspaces/workspace-repository';
import { clientIdOf, fingerprintPhrase, newKeyPair, privateKeyFromPem, publicKeyFromRaw, rawPublicKey } from './identity';

/** A grant ends after this long without use, and after GRANT_MAX_MS whatever happens. */
export const GRANT_IDLE_MS = 10 * 60_000;
export const GRANT_MAX_MS = 12 * 60 * 60_000;
/** A pairing or an approval not answered in this time is refused. */
const ANSWER_TIMEOUT_MS = 5 * 60_000;
const MAX_PENDING_PAIRINGS = 3;

/** Who is on the other end of an authenticated connection. */
export interface BrokerCaller {
  clientId: string;
  /** The process the terminal claims to be, if the OS confirms it holds this connection (Linux); else null. */
  peer(claimedPid: number): Promise<{ pid: number; executable: string | null; session: string } | null>;
  /** Resolves when the connection closes, so an approval nobody waits for is withdrawn. */
  closed: Promise<void>;
}

interface Grant {
  id: string;
  clientId: string;
  session: string;
  workspace: string | null;
  names: Set<string>;
  command: string;
  cwd: string;
  process: { pid: number | null; executable: string | null; verified: boolean };
  grantedAt: number;
  lastUsedAt: number;
}

interface Pending {
  item: BrokerPending;
  settle(approved: boolean): void;
}

export interface BrokerDeps {
  db: Database;
  workspaces: WorkspaceRepository;
  credentials: CredentialStore;
  demo: DemoBackend;
  localRepository: LocalSecretRepository;
  accounts: AccountService;
  activity: ActivityLog;
  events: EventBus;
  clock: Clock;
  log: Logger;
  dataDir: string;
  version: string;
  transport: string;
  /** `workspaces:add` through the dispatcher (its schema and the redactor), for `akr doctor`'s import. */
  addWorkspace(request: { label: string; residency: 'default' | 'custom'; baseUrl?: string; apiKey: string }): Promise<IpcReply<unknown>>;
}

/**
 * The app's side of `akr` (issue 15): pairing, approvals and grants, and the requests a paired
 * terminal may make. The socket server (server.ts) authenticates a connection and hands its
 * requests here; the window sees the same state through the `broker:*` channels. Values are read
 * from the keychain here and go only into the reply to the terminal that was granted them.
 */
export class BrokerService {
  readonly #pending = new Map<string, Pending>();
  readonly #grants = new Map<string, Grant>();
  #socket: BrokerState['socket'] = { path: null, listening: false, problem: null };
  #serverKey: { privateKey: KeyObject; publicKey: string } | null = null;

  constructor(private readonly deps: BrokerDeps) {}

  /** The app's own pairing key (Ed25519), made on first use; its file is readable by this user only. */
  serverKey(): { privateKey: KeyObject; publicKey: string } {
    if (this.#serverKey) return this.#serverKey;
    const file = path.join(this.deps.dataDir, 'akr-broker-key.pem');
    let pem: string;
    if (fs.existsSync(file)) {
      pem = fs.readFileSync(file, 'utf8');
    } else {
      pem = newKeyPair().privateKeyPem;
      fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    }
    const privateKey = privateKeyFromPem(pem);
    this.#serverKey = { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
    return this.#serverKey;
  }

  setSocketStatus(status: BrokerState['socket']): void {
    this.#socket = status;
    this.#changed();
  }

  /** The public key of a paired terminal, or null (never paired, or unpaired in the app). */
  clientKey(clientId: string): KeyObject | null {
    const row = this.deps.db.prepare('SELECT public_key FROM cli_clients WHERE id = ?').get(clientId) as { public_key: string } | undefined;
    return row ? publicKeyFromRaw(row.public_key) : null;
  }

  /** A terminal asks to pair: the app shows the phrase; resolves with its id once the user approves. */
  async requestPairing(publicKey: string, label: string, closed: Promise<void>): Promise<{ clientId: string } | null> {
    publicKeyFromRaw(publicKey);
    // A flood of pairing requests must not bury the window: a few wait at a time, the rest are refused.
    if ([...this.#pending.values()].filter((p) => p.item.kind === 'pair').length >= MAX_PENDING_PAIRINGS) return null;
    const id = randomUUID();
    const phrase = fingerprintPhrase(publicKey);
    const approved = await this.#ask({ kind: 'pair', id, label, phrase, requestedAt: this.deps.clock.now() }, closed);
    if (!approved) {
      this.deps.activity.record({ subject: `terminal “${label}”`, action: 'cli_pair', result: 'failed', detail: 'pairing refused' });
      return null;
    }
    const clientId = clientIdOf(publicKey);
    this.deps.db
      .prepare(
        `INSERT INTO cli_clients (id, label, public_key, phrase, paired_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET label = excluded.label, paired_at = excluded.paired_at`,
      )
      .run(clientId, label, publicKey, phrase, this.deps.clock.now());
    this.deps.activity.record({ subject: `terminal “${label}”`, action: 'cli_pair', detail: phrase });
    this.#changed();
    return { clientId };
  }

  /** One request of an authenticated terminal. */
  async handle(caller: BrokerCaller, request: BrokerRequest): Promise<unknown> {
    this.deps.db.prepare('UPDATE cli_clients SET last_used_at = ? WHERE id = ?').run(this.deps.clock.now(), caller.clientId);
    switch (request.op) {
      case 'status':
        return this.#status(caller.clientId);
      case 'workspaces':
        return this.#workspaceList();
      case 'secrets':
        return this.#secrets(request.workspace);
      case 'resolve':
        return this.#resolve(caller, request);
      case 'vars':
        return this.#vars(caller, request);
      case 'import':
        return this.#import(request);
    }
  }

  /** The user's answer to a pairing or an access request, from the window. */
  answer(id: string, approve: boolean): Record<string, never> {
    const pending = this.#pending.get(id);
    if (!pending) throw new AppError('not_found', 'That request is no longer waiting: the terminal gave up or it was answered.');
    pending.settle(approve);
    return {};
  }

  revokeGrant(grantId: string): Record<string, never> {
    const grant = this.#grants.get(grantId);
    if (!grant) throw new AppError('not_found', 'That grant has already ended.');
    this.#endGrant(grant, 'revoked in the app');
    this.#changed();
    return {};
  }

  /** Forgets a paired terminal and ends its grants: its key opens nothing from now on. */
  unpair(clientId: string): Record<string, never> {
    const row = this.deps.db.prepare('SELECT label FROM cli_clients WHERE id = ?').get(clientId) as { label: string } | undefined;
    if (!row) throw new AppError('not_found', 'That terminal is not paired.');
    this.deps.db.prepare('DELETE FROM cli_clients WHERE id = ?').run(clientId);
    for (const grant of [...this.#grants.values()]) if (grant.clientId === clientId) this.#endGrant(grant, 'terminal unpaired');
    this.deps.activity.record({ subject: `terminal “${row.label}”`, action: 'cli_unpair' });
    this.#changed();
    return {};
  }

  state(): BrokerState {
    this.#expireGrants();
    const clients = this.deps.db.prepare('SELECT * FROM cli_clients ORDER BY paired_at').all() as {
      id: string;
      label: string;
      phrase: string;
      paired_at: number;
      last_used_at: number | null;
    }[];
    return {
      socket: this.#socket,
      pending: [...this.#pending.values()].map((p) => p.item),
      clients: clients.map((c) => ({ id: c.id, label: c.label, phrase: c.phrase, pairedAt: c.paired_at, lastUsedAt: c.last_used_at })),
      grants: [...this.#grants.values()].map((g) => ({
        id: g.id,
        clientLabel: this.#clientLabel(g.clientId),
        command: g.command,
        cwd: g.cwd,
        workspace: g.workspace,
        names: [...g.names],
        process: g.process,
        grantedAt: g.grantedAt,
        lastUsedAt: g.lastUsedAt,
        expiresAt: this.#expiresAt(g),
      })),
    };
  }

  /** The app is closing: every waiting request is refused. */
  close(): void {
    for (const pending of [...this.#pending.values()]) pending.settle(false);
  }

  #status(clientId: string): BrokerReply<'status'> {
    const activeId = this.deps.workspaces.activeWorkspaceId();
    return {
      version: this.deps.version,
      transport: this.deps.transport,
      clientLabel: this.#clientLabel(clientId),
      activeWorkspace: activeId ? (this.deps.workspaces.find(activeId)?.label ?? null) : null,
    };
  }

  #workspaceList(): BrokerReply<'workspaces'> {
    const activeId = this.deps.workspaces.activeWorkspaceId();
    return {
      workspaces: this.deps.workspaces.all().map((w) => ({
        label: w.label,
        residency: w.residency,
        active: w.id === activeId,
        secretCount: w.secretCount,
        keyVerified: w.verification === 'verified',
      })),
    };
  }

  #secrets(label: string | null): BrokerReply<'secrets'> {
    const workspace = this.#workspace(label);
    const { localRepository } = this.deps;
    const byName = new Map<string, BrokerReply<'secrets'>['secrets'][number]>();
    for (const remote of localRepository.remoteSecrets([workspace.id])) {
      if (remote.removed) continue;
      byName.set(remote.name, { name: remote.name, valueHere: false, inElevenLabs: true, usedBy: remote.dependantCount });
    }
    for (const target of localRepository.allTargets().filter((t) => t.workspaceId === workspace.id)) {
      const secret = localRepository.find(target.localSecretId);
      if (!secret) continue;
      const name = target.remoteName ?? secret.name;
      const known = byName.get(name);
      byName.set(name, { name, valueHere: true, inElevenLabs: known?.inElevenLabs ?? false, usedBy: known?.usedBy ?? 0 });
    }
    return { workspace: workspace.label, secrets: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)) };
  }

  async #resolve(caller: BrokerCaller, request: Extract<BrokerRequest, { op: 'resolve' }>): Promise<BrokerReply<'resolve'>> {
    // Everything is found before anyone is asked, so an approval is never spent on a typo.
    const workspace = request.apiKey || request.workspace !== null ? this.#workspace(request.workspace) : null;
    const refs = request.refs.map(({ env, ref }) => {
      const [, wsLabel, name] = /^akr:\/\/([^/]+)\/(.+)$/.exec(ref)!;
      const refWorkspace = this.#workspace(wsLabel!);
      const target = this.deps.localRepository.targetNamed(refWorkspace.id, name!, null);
      const secret = target ? this.deps.localRepository.find(target.localSecretId) : undefined;
      if (!secret) {
        throw new AppError(
          'not_found',
          `${ref}: no value for “${name}” is kept in Agent Keyring for “${refWorkspace.label}”. ElevenLabs never gives a value back; add it under Local secrets with “${refWorkspace.label}” as a target (akr secrets -w "${refWorkspace.label}" lists what can be read).`,
        );
      }
      return { env, label: `${refWorkspace.label}/${name!}`, secret };
    });
    const names = [...(request.apiKey && workspace ? [`${workspace.label}: workspace key`] : []), ...refs.map((r) => r.label)];
    const grant = await this.#grantFor(caller, request.caller, workspace?.label ?? null, names);

    const env: BrokerReply<'resolve'>['env'] = [];
    if (request.apiKey && workspace) {
      const apiKey = await this.deps.credentials.read(workspace.apiKeyRef);
      env.push({ name: 'ELEVENLABS_API_KEY', value: apiKey, secret: true });
      const baseUrl = await this.#baseUrl(workspace, apiKey);
      if (baseUrl) env.push({ name: 'ELEVENLABS_BASE_URL', value: baseUrl, secret: false });
    }
    // Read side by side: each is a round trip to the keychain service.
    const values = await Promise.all(refs.map((ref) => this.deps.credentials.read(ref.secret.valueRef)));
    refs.forEach((ref, index) => env.push({ name: ref.env, value: values[index]!, secret: true }));
    this.deps.activity.record({
      workspaceId: workspace?.id ?? null,
      subject: names.join(', '),
      action: 'cli_use',
      detail: `${programOf(request.caller.command)} in ${request.caller.cwd}`,
    });
    return { workspace: workspace?.label ?? null, env, grantExpiresAt: this.#expiresAt(grant) };
  }

  async #vars(caller: BrokerCaller, request: Extract<BrokerRequest, { op: 'vars' }>): Promise<BrokerReply<'vars'>> {
    const personId = this.deps.accounts.personIdByLabel(request.person);
    if (!personId) {
      throw new AppError('not_found', `Nobody called “${request.person}” has a linked account: link one under Accounts first.`);
    }
    const name = `${request.person}: dynamic variables`;
    await this.#grantFor(caller, request.caller, null, [name]);
    const fresh = await this.deps.accounts.freshVariables(personId, 120);
    this.deps.activity.record({
      subject: name,
      action: 'cli_use',
      detail: `${Object.keys(fresh.variables).join(', ')} for ${programOf(request.caller.command)}`,
    });
    return { person: fresh.person.label, variables: fresh.variables, skipped: fresh.skipped.map((s) => s.reason) };
  }

  async #import(request: Extract<BrokerRequest, { op: 'import' }>): Promise<BrokerReply<'import'>> {
    const reply = await this.deps.addWorkspace({
      label: request.label,
      residency: request.baseUrl ? 'custom' : 'default',
      ...(request.baseUrl ? { baseUrl: request.baseUrl } : {}),
      apiKey: request.apiKey,
    });
    if (!reply.ok) throw new AppError(reply.error.code, reply.error.message);
    const outcome = reply.data as { outcome: string; message?: string; workspace?: { label: string } };
    if (outcome.outcome !== 'saved') {
      return { workspace: request.label, outcome: outcome.outcome, message: outcome.message ?? 'The key was not saved.' };
    }
    this.deps.activity.record({
      subject: request.label,
      action: 'import',
      detail: `workspace key imported by akr doctor from ${request.source}`,
    });
    return { workspace: outcome.workspace?.label ?? request.label, outcome: 'saved', message: 'Saved in the keychain.' };
  }

  /** A live grant covering these names for this terminal session, or a new one the user approves. */
  async #grantFor(
    caller: BrokerCaller,
    claimed: Extract<BrokerRequest, { op: 'resolve' }>['caller'],
    workspace: string | null,
    names: string[],
  ): Promise<Grant> {
    this.#expireGrants();
    const peer = await caller.peer(claimed.pid);
    // The OS's word beats the terminal's where there is one.
    const session = peer?.session ?? claimed.session;
    const now = this.deps.clock.now();
    const existing = [...this.#grants.values()].find(
      (g) => g.clientId === caller.clientId && g.session === session && g.workspace === workspace && names.every((n) => g.names.has(n)),
    );
    if (existing) {
      existing.lastUsedAt = now;
      return existing;
    }
    const who = peer
      ? { pid: peer.pid, executable: peer.executable, verified: true }
      : { pid: claimed.pid, executable: null, verified: false };
    const command = claimed.command.join(' ');
    const id = randomUUID();
    const approved = await this.#ask(
      {
        kind: 'access',
        id,
        clientLabel: this.#clientLabel(caller.clientId),
        command,
        cwd: claimed.cwd,
        workspace,
        names,
        process: who,
        requestedAt: now,
      },
      caller.closed,
    );
    if (!approved) {
      this.deps.activity.record({
        subject: names.join(', '),
        action: 'cli_grant',
        result: 'failed',
        detail: `refused: ${programOf(claimed.command)}`,
      });
      throw new AppError('cancelled', 'Access was refused in Agent Keyring (or nobody answered in time).');
    }
    const grant: Grant = {
      id,
      clientId: caller.clientId,
      session,
      workspace,
      names: new Set(names),
      command,
      cwd: claimed.cwd,
      process: who,
      grantedAt: this.deps.clock.now(),
      lastUsedAt: this.deps.clock.now(),
    };
    this.#grants.set(id, grant);
    this.deps.activity.record({
      subject: names.join(', '),
      action: 'cli_grant',
      detail: `${programOf(claimed.command)} in ${claimed.cwd}`,
    });
    this.#changed();
    return grant;
  }

  #ask(item: BrokerPending, closed: Promise<void>): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let done = false;
      const cancelTimer = this.deps.clock.after(ANSWER_TIMEOUT_MS, () => settle(false));
      const settle = (approved: boolean) => {
        if (done) return;
        done = true;
        cancelTimer();
        this.#pending.delete(item.id);
        this.#changed();
        resolve(approved);
      };
      this.#pending.set(item.id, { item, settle });
      void closed.then(() => settle(false));
      this.deps.events.emit('broker:request', item);
      this.#changed();
    });
  }

  #workspace(label: string | null): WorkspaceRecord {
    const all = this.deps.workspaces.all();
    if (label === null) {
      const activeId = this.deps.workspaces.activeWorkspaceId();
      const active = activeId ? all.find((w) => w.id === activeId) : undefined;
      if (!active)
        throw new AppError(
          'not_found',
          'No workspace was named and none is active in the app: pass -w WORKSPACE (akr workspaces lists them).',
        );
      return active;
    }
    const wanted = label.trim().toLowerCase();
    const found = all.find((w) => w.label.toLowerCase() === wanted);
    if (!found) {
      const known = all.map((w) => `“${w.label}”`).join(', ') || 'none yet';
      throw new AppError('not_found', `No workspace is called “${label}” in Agent Keyring (there are: ${known}).`);
    }
    return found;
  }

  /** The API's address for a workspace that is not ElevenLabs' default one. */
  async #baseUrl(workspace: WorkspaceRecord, apiKey: string): Promise<string | null> {
    if (workspace.residency === 'custom') return workspace.baseUrl;
    if (workspace.residency === 'demo') return this.deps.demo.baseUrlFor(apiKey);
    if (workspace.residency === 'default') return null;
    return residencyBaseUrls[workspace.residency];
  }

  #expiresAt(grant: Grant): number {
    return Math.min(grant.lastUsedAt + GRANT_IDLE_MS, grant.grantedAt + GRANT_MAX_MS);
  }

  #expireGrants(): void {
    const now = this.deps.clock.now();
    for (const grant of [...this.#grants.values()]) if (this.#expiresAt(grant) <= now) this.#endGrant(grant, 'expired');
  }

  #endGrant(grant: Grant, why: string): void {
    this.#grants.delete(grant.id);
    this.deps.activity.record({
      subject: [...grant.names].join(', '),
      action: 'cli_revoke',
      detail: `${why}: ${programOf(grant.command.split(' '))}`,
    });
  }

  #clientLabel(clientId: string): string {
    const row = this.deps.db.prepare('SELECT label FROM cli_clients WHERE id = ?').get(clientId) as { label: string } | undefined;
    return row?.label ?? 'a terminal no longer paired';
  }

  #changed(): void {
    this.deps.events.emit('broker:changed', {});
  }
}

/** The program's name only: arguments may hold anything the user typed. */
function programOf(command: string[]): string {
  return path.basename(command[0] ?? 'akr');
}
