import { randomUUID } from 'node:crypto';
import type { ParsedRequestOf, ReplyOf } from '../../shared/contract';
import {
  isUpdatableAuthType,
  sensitiveFieldsOf,
  type CheckReport,
  type ConnectionDefinition,
} from '../../shared/schemas/connection-definitions';
import type { KeptConnection, SensitiveField } from '../../shared/schemas/kept-connections';
import { foldForSearch } from '../../shared/search';
import type { ActivityLog } from '../activity/activity-log';
import { KeyedLock } from '../concurrency/keyed-lock';
import type { Database } from '../db/database';
import { AppError } from '../errors';
import { assertTargets } from '../push/targets';
import type { EventBus } from '../events/event-bus';
import type { Fingerprinter } from '../local-secrets/fingerprints';
import type { Logger } from '../logging/logger';
import type { Redactor } from '../logging/redactor';
import type { Clock } from '../ports/clock';
import type { CredentialStore } from '../vault/credential-store';
import type { WorkspaceRepository } from '../workspaces/workspace-repository';
import { checkConnection } from './checks';
import {
  certificateNotAfter,
  credentialKindOf,
  parseDefinition,
  pemFactsOf,
  sensitivePartsText,
  splitDefinition,
  withFilesRead,
} from './kept-connection-definition';
import type {
  KeptConnectionRecord,
  KeptConnectionRepository,
  KeptConnectionTargetRecord,
  RemoteConnectionRecord,
} from './kept-connection-repository';
import { canonicalJson, effectiveConnectionName, keptTargetStanding, SECRETS_CHANGED } from './kept-connection-rules';
import { isReadOnlyAuthType } from './rules';

export interface KeptConnectionServiceDeps {
  db: Database;
  repository: KeptConnectionRepository;
  workspaces: WorkspaceRepository;
  credentials: CredentialStore;
  fingerprints: Fingerprinter;
  activity: ActivityLog;
  events: EventBus;
  clock: Clock;
  redactor: Redactor;
  log: Logger;
}

/** One change to kept connections at a time: names, targets and keychain entries stay consistent. */
const KEPT_CONNECTIONS = 'kept connections';

type Target = { workspaceId: string; remoteName: string | null };

/** A definition parsed and ready to keep: its two halves, its fingerprint and its PEM facts. */
interface Prepared {
  definition: ConnectionDefinition;
  publicFields: KeptConnectionRecord['publicFields'];
  sensitive: Partial<Record<SensitiveField, string>>;
  fingerprint: string;
  pem: KeptConnectionRecord['pem'];
}

/**
 * Connections kept here: definitions of auth connections the builder pushes to workspaces.
 * Public fields, PEM facts and a fingerprint in SQLite; each sensitive part in the keychain under
 * its own credential kind, written intent-first and read only when a check or a push needs it.
 */
export class KeptConnectionService {
  readonly #lock = new KeyedLock();

  constructor(private readonly deps: KeptConnectionServiceDeps) {}

  list(request: ParsedRequestOf<'keptConnections:list'>): ReplyOf<'keptConnections:list'> {
    const query = foldForSearch(request.query.trim());
    const targets = this.deps.repository.allTargets();
    const remotes = new Map(this.deps.repository.remoteConnections(null).map((r) => [remoteKey(r.workspaceId, r.connectionId), r]));
    const connections = this.deps.repository
      .all()
      .filter((connection) => query === '' || foldForSearch(connection.name).includes(query))
      .map((connection) =>
        this.#summary(
          connection,
          targets.filter((t) => t.keptConnectionId === connection.id),
          (workspaceId, connectionId) => remotes.get(remoteKey(workspaceId, connectionId)),
        ),
      );
    return { connections };
  }

  get(id: string): KeptConnection {
    const connection = this.#require(id);
    const { repository } = this.deps;
    return this.#summary(connection, repository.targetsOf(id), (workspaceId, connectionId) =>
      repository.remoteConnection(workspaceId, connectionId),
    );
  }

  create(request: ParsedRequestOf<'keptConnections:create'>): Promise<KeptConnection> {
    return this.#lock.run(KEPT_CONNECTIONS, async () => {
      const prepared = await this.#prepare(request.definition as unknown as Record<string, unknown>);
      const name = prepared.definition.name;
      this.#assertNameFree(name, null);
      const targets = request.targets ?? [];
      this.#assertTargets(name, null, targets);
      const id = await this.#insert(prepared, targets);
      this.deps.activity.record({ subject: name, action: 'create', detail: `${prepared.definition.authType} connection kept here` });
      this.#changed();
      return this.get(id);
    });
  }

  /** Saves a new definition over a kept one; a sensitive part left out stays as it is, null removes an optional one. */
  update(request: ParsedRequestOf<'keptConnections:update'>): Promise<KeptConnection> {
    return this.#lock.run(KEPT_CONNECTIONS, async () => {
      const current = this.#require(request.id);
      const refs = this.deps.repository.credentialRefs(current.id);
      const { definition: given, read } = await withFilesRead(request.definition as unknown as Record<string, unknown>);
      for (const text of read) this.deps.redactor.add(text);
      const candidate: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(given)) if (value !== null) candidate[field] = value;
      // A part left out keeps its kept value: read on demand, as the whole definition is checked again.
      const changedParts = new Set<string>();
      for (const field of sensitiveFieldsOf(given.authType as KeptConnectionRecord['authType'])) {
        if (given[field] === undefined && refs[field]) candidate[field] = await this.deps.credentials.read(refs[field]);
        else if (given[field] !== undefined) changedParts.add(field);
      }
      const prepared = await this.#prepareParsed(parseDefinition(candidate));
      const { definition } = prepared;
      if (definition.name !== current.name) {
        this.#assertNameFree(definition.name, current.id);
        this.#assertTargets(definition.name, current.id, this.deps.repository.targetsOf(current.id));
      }
      const stored = await this.#storeParts(
        Object.fromEntries(Object.entries(prepared.sensitive).filter(([field]) => changedParts.has(field))) as Prepared['sensitive'],
      );
      const { credentials, db, repository } = this.deps;
      const dropped: string[] = [];
      const at = this.deps.clock.now();
      try {
        db.transaction(() => {
          // Re-read under the transaction: the rows are the truth about which entries they own.
          if (!repository.find(current.id)) throw new AppError('not_found', 'That connection was deleted meanwhile. Nothing was saved.');
          const owned = repository.credentialRefs(current.id);
          repository.update({
            ...current,
            name: definition.name,
            authType: definition.authType,
            publicFields: prepared.publicFields,
            fingerprint: prepared.fingerprint,
            pem: prepared.pem,
            certificateNotAfter: certificateNotAfter(prepared.pem),
            updatedAt: at,
            secretsChangedAt: prepared.fingerprint === current.fingerprint ? current.secretsChangedAt : at,
          });
          for (const [field, ref] of Object.entries(stored)) {
            if (owned[field]) dropped.push(owned[field]);
            repository.setCredentialRef(current.id, field, ref);
            credentials.settle(ref);
          }
          // Parts the new definition no longer has (removed, or the type changed).
          for (const [field, ref] of Object.entries(owned)) {
            if (prepared.sensitive[field as SensitiveField] === undefined) {
              repository.removeCredentialRef(current.id, field);
              dropped.push(ref);
            }
          }
          for (const ref of dropped) credentials.markForDiscard(ref);
        })();
      } catch (error) {
        for (const ref of Object.values(stored)) await credentials.discard(ref);
        throw storageFailed(error);
      }
      await credentials.flushDiscards(dropped);
      const changes = changedFields(current, prepared);
      this.deps.activity.record({
        subject: definition.name,
        action: definition.name === current.name ? 'update' : 'rename',
        detail: changes.length > 0 ? `changed: ${changes.join(', ')}` : 'nothing changed',
      });
      this.#changed();
      return this.get(current.id);
    });
  }

  /** Deletes the definition and its keychain entries; connections in workspaces stay (deleting them is a plan). */
  delete(id: string): Promise<ReplyOf<'keptConnections:delete'>> {
    return this.#lock.run(KEPT_CONNECTIONS, async () => {
      const connection = this.#require(id);
      const refs = Object.values(this.deps.repository.credentialRefs(id));
      this.deps.db.transaction(() => {
        this.deps.repository.delete(id);
        for (const ref of refs) this.deps.credentials.markForDiscard(ref);
      })();
      await this.deps.credentials.flushDiscards(refs);
      this.deps.activity.record({
        subject: connection.name,
        action: 'delete',
        detail: 'definition and its keychain entries deleted here; connections in workspaces kept',
      });
      this.#changed();
      return { deletedId: id };
    });
  }

  setTargets(request: ParsedRequestOf<'keptConnections:setTargets'>): Promise<KeptConnection> {
    return this.#lock.run(KEPT_CONNECTIONS, async () => {
      const connection = this.#require(request.id);
      this.#assertTargets(connection.name, connection.id, request.targets);
      this.deps.repository.replaceTargets(connection.id, request.targets);
      this.deps.activity.record({ subject: connection.name, action: 'update', detail: `targets ${request.targets.length} workspace(s)` });
      this.#changed();
      return this.get(connection.id);
    });
  }

  /**
   * Takes over a connection made in the dashboard by giving its sensitive parts here (a new kept
   * connection), or by linking it to a kept one of the same type. The target is marked as not
   * pushed, so the next plan updates (or, for the types the API cannot update, replaces) it.
   */
  adopt(request: ParsedRequestOf<'keptConnections:adopt'>): Promise<KeptConnection> {
    return this.#lock.run(KEPT_CONNECTIONS, async () => {
      const workspace = this.#requireWorkspace(request.workspaceId);
      const remote = this.deps.repository.remoteConnection(request.workspaceId, request.remoteConnectionId);
      if (!remote || remote.removed) {
        throw new AppError('not_found', 'That auth connection is not in the synced inventory. Sync the workspace, then try again.');
      }
      if (isReadOnlyAuthType(remote.authType)) {
        throw new AppError('conflict', `“${remote.name}” is a ${remote.authType} connection: it is managed where it was made, not here.`);
      }
      const owner = this.deps.repository.ownerOfRemote(remote.workspaceId, remote.connectionId);
      if (owner) throw new AppError('conflict', `“${remote.name}” in “${workspace.label}” is already kept here as “${owner.name}”.`);
      let id: string;
      if (request.keptConnectionId !== undefined) {
        const connection = this.#require(request.keptConnectionId);
        if (connection.authType !== remote.authType) {
          throw new AppError(
            'conflict',
            `“${remote.name}” is a ${remote.authType} connection and “${connection.name}” a ${connection.authType} one: a connection's type cannot change.`,
            { field: 'keptConnectionId' },
          );
        }
        const existing = this.deps.repository.targetsOf(connection.id).find((t) => t.workspaceId === remote.workspaceId);
        if (existing?.remoteConnectionId) {
          throw new AppError('conflict', `“${connection.name}” already goes to another connection in “${workspace.label}”.`, {
            field: 'keptConnectionId',
          });
        }
        const remoteName = remote.name === connection.name ? null : remote.name;
        this.#assertTargets(connection.name, connection.id, [
          ...this.deps.repository.targetsOf(connection.id).filter((t) => t.workspaceId !== remote.workspaceId),
          { workspaceId: remote.workspaceId, remoteName },
        ]);
        this.deps.repository.linkRemote(connection.id, remote.workspaceId, remote.connectionId, remoteName);
        id = connection.id;
      } else {
        const prepared = await this.#prepare(request.definition as unknown as Record<string, unknown>);
        if (prepared.definition.authType !== remote.authType) {
          throw new AppError(
            'invalid_request',
            `Invalid request: definition.authType must be ${remote.authType}, the type of “${remote.name}” in “${workspace.label}”: a connection's type cannot change.`,
            { field: 'definition.authType' },
          );
        }
        const name = prepared.definition.name;
        const remoteName = remote.name === name ? null : remote.name;
        this.#assertNameFree(name, null);
        this.#assertTargets(name, null, [{ workspaceId: remote.workspaceId, remoteName }]);
        id = await this.#insert(prepared, [], { workspaceId: remote.workspaceId, remoteConnectionId: remote.connectionId, remoteName });
      }
      this.deps.activity.record({ workspaceId: remote.workspaceId, subject: remote.name, action: 'adopt', detail: 'auth connection' });
      this.#changed();
      return this.get(id);
    });
  }

  /** Targets another workspace under the name the connection has in the first (staging → production); the plan sends it. */
  copyTarget(request: ParsedRequestOf<'keptConnections:copyTarget'>): Promise<KeptConnection> {
    return this.#lock.run(KEPT_CONNECTIONS, async () => {
      const connection = this.#require(request.id);
      const from = this.#requireWorkspace(request.fromWorkspaceId);
      const to = this.#requireWorkspace(request.toWorkspaceId);
      const targets = this.deps.repository.targetsOf(connection.id);
      const source = targets.find((t) => t.workspaceId === from.id);
      if (!source) throw new AppError('not_found', `“${connection.name}” does not go to “${from.label}”.`, { field: 'fromWorkspaceId' });
      if (targets.some((t) => t.workspaceId === to.id)) {
        throw new AppError('conflict', `“${connection.name}” already goes to “${to.label}”.`, { field: 'toWorkspaceId' });
      }
      const next = [
        ...targets.map((t) => ({ workspaceId: t.workspaceId, remoteName: t.remoteName })),
        { workspaceId: to.id, remoteName: source.remoteName },
      ];
      this.#assertTargets(connection.name, connection.id, next);
      this.deps.repository.replaceTargets(connection.id, next);
      this.deps.activity.record({
        workspaceId: to.id,
        subject: connection.name,
        action: 'update',
        detail: `target copied from “${from.label}”`,
      });
      this.#changed();
      return this.get(connection.id);
    });
  }

  /** Checks a kept connection before it is sent, its sensitive parts read from the keychain now. */
  async check(request: ParsedRequestOf<'keptConnections:check'>): Promise<CheckReport> {
    const { definition } = await this.currentDefinition(request.id);
    return checkConnection(definition, { ...(request.probeUrl ? { probeUrl: request.probeUrl } : {}), logger: this.deps.log });
  }

  /**
   * The whole definition, sensitive parts read from the keychain, for a check or a push, with the
   * fingerprint of exactly what was read (to record as pushed).
   */
  async currentDefinition(
    id: string,
  ): Promise<{ connection: KeptConnectionRecord; definition: ConnectionDefinition; fingerprint: string }> {
    const connection = this.#require(id);
    const refs = this.deps.repository.credentialRefs(id);
    const sensitive: Record<string, string> = {};
    for (const [field, ref] of Object.entries(refs)) sensitive[field] = await this.deps.credentials.read(ref);
    const definition = parseDefinition({ authType: connection.authType, name: connection.name, ...connection.publicFields, ...sensitive });
    return { connection, definition, fingerprint: await this.deps.fingerprints.of(sensitivePartsText(sensitive)) };
  }

  /** Tells the renderer kept connections changed (after a push recorded what it sent). */
  changed(): void {
    this.#changed();
  }

  async #prepare(request: Record<string, unknown>): Promise<Prepared> {
    const { definition, read } = await withFilesRead(request);
    for (const text of read) this.deps.redactor.add(text);
    return this.#prepareParsed(parseDefinition(definition));
  }

  async #prepareParsed(definition: ConnectionDefinition): Promise<Prepared> {
    for (const value of Object.values(splitDefinition(definition).sensitive)) this.deps.redactor.add(value);
    const pem = pemFactsOf(definition);
    const { publicFields, sensitive } = splitDefinition(definition);
    return { definition, publicFields, sensitive, pem, fingerprint: await this.deps.fingerprints.of(sensitivePartsText(sensitive)) };
  }

  /** Writes each part to the keychain (intent first); on a failure, the parts already written are discarded. */
  async #storeParts(parts: Prepared['sensitive']): Promise<Record<string, string>> {
    const stored: Record<string, string> = {};
    try {
      for (const [field, value] of Object.entries(parts) as [SensitiveField, string][]) {
        stored[field] = await this.deps.credentials.store(credentialKindOf[field], value);
      }
    } catch (error) {
      for (const ref of Object.values(stored)) await this.deps.credentials.discard(ref);
      throw error;
    }
    return stored;
  }

  /** Creates the row, its credential refs and targets in one transaction, after the keychain writes. */
  async #insert(
    prepared: Prepared,
    targets: Target[],
    linked?: { workspaceId: string; remoteConnectionId: string; remoteName: string | null },
  ): Promise<string> {
    const { credentials, db, repository } = this.deps;
    const stored = await this.#storeParts(prepared.sensitive);
    const id = randomUUID();
    const at = this.deps.clock.now();
    try {
      db.transaction(() => {
        repository.insert({
          id,
          name: prepared.definition.name,
          authType: prepared.definition.authType,
          publicFields: prepared.publicFields,
          fingerprint: prepared.fingerprint,
          pem: prepared.pem,
          certificateNotAfter: certificateNotAfter(prepared.pem),
          createdAt: at,
          updatedAt: at,
          secretsChangedAt: at,
        });
        for (const [field, ref] of Object.entries(stored)) {
          repository.setCredentialRef(id, field, ref);
          credentials.settle(ref);
        }
        repository.replaceTargets(id, targets);
        if (linked) repository.linkRemote(id, linked.workspaceId, linked.remoteConnectionId, linked.remoteName);
      })();
    } catch (error) {
      for (const ref of Object.values(stored)) await credentials.discard(ref);
      throw storageFailed(error);
    }
    return id;
  }

  #summary(
    connection: KeptConnectionRecord,
    targets: KeptConnectionTargetRecord[],
    remoteOf: (workspaceId: string, connectionId: string) => RemoteConnectionRecord | undefined,
  ): KeptConnection {
    return {
      id: connection.id,
      name: connection.name,
      authType: connection.authType,
      fields: connection.publicFields,
      kept: Object.keys(this.deps.repository.credentialRefs(connection.id)).sort(),
      fingerprint: connection.fingerprint,
      pem: connection.pem,
      updatable: isUpdatableAuthType(connection.authType),
      createdAt: connection.createdAt,
      updatedAt: connection.updatedAt,
      secretsChangedAt: connection.secretsChangedAt,
      targets: targets.map((target) => {
        const remote = target.remoteConnectionId ? remoteOf(target.workspaceId, target.remoteConnectionId) : undefined;
        const standing = keptTargetStanding(connection, target, remote);
        return {
          workspaceId: target.workspaceId,
          remoteName: effectiveConnectionName(connection, target),
          followsName: target.remoteName === null,
          remoteConnectionId: target.remoteConnectionId,
          state: standing.state,
          changes: standing.changes,
          replaceNeeded: standing.replaceNeeded,
          usedBy: { tools: remote?.usedBy.tools ?? [], mcpServers: remote?.usedBy.mcpServers ?? [] },
          pushedAt: target.pushedAt,
        };
      }),
    };
  }

  #assertNameFree(name: string, exceptId: string | null): void {
    const existing = this.deps.repository.findByName(name);
    if (existing && existing.id !== exceptId) {
      throw new AppError('conflict', `A connection named “${name}” is already kept here. Choose another name.`, {
        field: 'definition.name',
      });
    }
  }

  /** Targets name real workspaces, once each, and no other kept connection goes to the same name there. */
  #assertTargets(name: string, selfId: string | null, targets: Target[]): void {
    assertTargets(
      name,
      targets,
      (id) => this.#requireWorkspace(id),
      (workspaceId, remoteName, label) => {
        const clash = this.deps.repository.targetNamed(workspaceId, remoteName, selfId);
        return clash
          ? `“${clash.name}” already goes to “${remoteName}” in “${label}”: two kept connections cannot share one name there.`
          : null;
      },
    );
  }

  #require(id: string): KeptConnectionRecord {
    const connection = this.deps.repository.find(id);
    if (!connection) throw new AppError('not_found', 'That connection is no longer kept here. It may have been deleted.');
    return connection;
  }

  #requireWorkspace(id: string) {
    const workspace = this.deps.workspaces.find(id);
    if (!workspace) throw new AppError('not_found', 'That workspace no longer exists here. It may have been removed.');
    return workspace;
  }

  #changed(): void {
    this.deps.events.emit('keptConnections:changed', {});
  }
}

function remoteKey(workspaceId: string, connectionId: string): string {
  return `${workspaceId}\u0000${connectionId}`;
}

/** Field names an edit changed (`secrets` for the sensitive parts): for the activity log, never a value. */
function changedFields(current: KeptConnectionRecord, next: Prepared): string[] {
  const changes: string[] = [];
  if (next.definition.name !== current.name) changes.push('name');
  if (next.definition.authType !== current.authType) changes.push('authType');
  const fields = new Set([...Object.keys(current.publicFields), ...Object.keys(next.publicFields)]);
  for (const field of [...fields].sort()) {
    if (canonicalJson(current.publicFields[field]) !== canonicalJson(next.publicFields[field])) changes.push(field);
  }
  if (next.fingerprint !== current.fingerprint) changes.push(SECRETS_CHANGED);
  return changes;
}

function storageFailed(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError(
    'storage_failed',
    `The connection could not be saved to the local database: ${(error as Error).message}. Its sensitive parts were not kept.`,
  );
}
