import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { ParsedRequestOf, ReplyOf } from '../../shared/contract';
import {
  providerKinds,
  type LinkedAccount,
  type LinkFlowEvent,
  type Provider,
  type ProviderKind,
  type ProviderProfileSummary,
} from '../../shared/schemas/accounts';
import type { Problem } from '../../shared/schemas/common';
import type { ActivityLog } from '../activity/activity-log';
import type { Database } from '../db/database';
import { AppError, isAppError } from '../errors';
import type { EventBus } from '../events/event-bus';
import type { LocalSecretRepository } from '../local-secrets/local-secret-repository';
import type { LocalSecretService } from '../local-secrets/local-secret-service';
import type { Logger } from '../logging/logger';
import type { Redactor } from '../logging/redactor';
import type { BrowserOpener } from '../ports/browser';
import type { SecretClipboard } from '../clipboard/secret-clipboard';
import type { Clock } from '../ports/clock';
import type { PushService } from '../push/push-service';
import type { CredentialStore } from '../vault/credential-store';
import type { AccountRecord, AccountRepository, ProviderRecord } from './account-repository';
import { formatVariables } from './dynamic-variables-format';
import { listenForCallback, type LoopbackListener } from './loopback-server';
import { builtInProfiles, customProfile, redirectUriFor, type ProviderProfile } from './providers';
import { authorizationUrl, exchangeCode, refreshTokens, revokeToken, TokenError, type OAuthClient, type TokenSet } from './token-client';

export interface AccountServiceDeps {
  db: Database;
  accounts: AccountRepository;
  credentials: CredentialStore;
  localSecrets: LocalSecretService;
  localRepository: LocalSecretRepository;
  push: PushService;
  activity: ActivityLog;
  events: EventBus;
  browser: BrowserOpener;
  clock: Clock;
  redactor: Redactor;
  log: Logger;
  clipboard: SecretClipboard;
  /** How long a sign-in may take before its port closes. */
  flowTimeoutMs?: number;
}

export const FLOW_TIMEOUT_MS = 5 * 60_000;
/** Retries of a refresh that failed for now: 10 s, 20 s, 40 s… up to 10 minutes. */
const BACKOFF_MS = { first: 10_000, max: 10 * 60_000 };

interface PendingFlow {
  id: string;
  listener: LoopbackListener;
}

/**
 * Linked accounts: people's OAuth tokens, obtained through the system browser and a loopback
 * redirect (RFC 8252, PKCE S256, a one-time state), kept in the keychain and fresh: each is
 * refreshed before it expires, one refresh per account at a time, the rotated refresh token
 * written before the new access token is used. Tokens are read when refreshed or used, never
 * in bulk: the schedule comes from SQLite.
 */
export class AccountService {
  #flow: PendingFlow | null = null;
  /** The latest sign-in's listener until its port is closed (it may outlive the flow, to show its page). */
  #listener: LoopbackListener | null = null;
  readonly #refreshing = new Map<string, Promise<void>>();
  readonly #timers = new Map<string, () => void>();
  /**
   * Accounts whose tokens are being replaced (a reconnect) or removed (an unlink): no refresh may
   * start or be scheduled for them meanwhile, or its new tokens would be left in the keychain
   * with no account owning them.
   */
  readonly #settling = new Set<string>();
  #stopped = false;

  constructor(private readonly deps: AccountServiceDeps) {}

  /** Schedules every account's next refresh from SQLite (no token is read here). */
  start(): void {
    for (const account of this.deps.accounts.accounts()) this.#schedule(account);
  }

  /** Schedules the refreshes of accounts written without this service (a restore), as start does; the list is re-read. */
  resume(accountIds: string[]): void {
    for (const id of accountIds) {
      const account = this.deps.accounts.account(id);
      if (account) this.#schedule(account);
    }
    this.#changed();
  }

  stop(): Promise<unknown> {
    this.#stopped = true;
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
    this.#listener?.cancel();
    return Promise.allSettled([...this.#refreshing.values()]);
  }

  list(): ReplyOf<'accounts:list'> {
    const { accounts } = this.deps;
    const providers = accounts.providers();
    return {
      people: accounts.people(),
      accounts: accounts.accounts().map((account) => this.#summary(account, providers)),
      providers: providers.map((provider) => this.#providerSummary(provider)),
      profiles: profileSummaries(),
    };
  }

  async saveProvider(request: ParsedRequestOf<'accounts:saveProvider'>): Promise<Provider> {
    const { accounts, credentials, db, clock } = this.deps;
    const existing = request.id ? accounts.provider(request.id) : undefined;
    if (request.id && !existing) throw new AppError('not_found', 'That provider no longer exists.');
    const builtIn = request.kind === 'custom' ? null : builtInProfiles[request.kind as Exclude<ProviderKind, 'custom'>];
    if (builtIn && typeof request.port === 'number') {
      throw new AppError(
        'invalid_request',
        `${builtIn.displayName} decides its own redirect ports; a fixed port is for custom providers.`,
        {
          field: 'port',
        },
      );
    }
    if (!builtIn && (!request.authorizeUrl || !request.tokenUrl)) {
      throw new AppError('invalid_request', 'A custom provider needs its authorize and token URLs.', {
        field: request.authorizeUrl ? 'tokenUrl' : 'authorizeUrl',
      });
    }
    let secretRef = existing?.clientSecretRef ?? null;
    let discard: string | null = null;
    if (request.clientSecret !== undefined) {
      discard = secretRef;
      secretRef = request.clientSecret === null ? null : await credentials.store('oauth-client-secret', request.clientSecret);
    }
    const record: ProviderRecord = {
      id: existing?.id ?? randomUUID(),
      kind: request.kind,
      name: request.name,
      clientId: request.clientId,
      clientSecretRef: secretRef,
      authorizeUrl: builtIn?.authorizeUrl ?? request.authorizeUrl!,
      tokenUrl: builtIn?.tokenUrl ?? request.tokenUrl!,
      revokeUrl: builtIn ? builtIn.revokeUrl : (request.revokeUrl ?? existing?.revokeUrl ?? null),
      issuer: builtIn ? builtIn.issuer : (request.issuer ?? existing?.issuer ?? null),
      scopes: request.scopes ?? existing?.scopes ?? builtIn?.defaultScopes ?? ['openid', 'offline_access'],
      pkce: builtIn ? builtIn.pkce : (request.pkce ?? existing?.pkce ?? true),
      port: builtIn ? null : request.port === undefined ? (existing?.port ?? null) : request.port,
      createdAt: existing?.createdAt ?? clock.now(),
    };
    try {
      db.transaction(() => {
        accounts.saveProvider(record);
        if (secretRef && secretRef !== existing?.clientSecretRef) credentials.settle(secretRef);
        if (!existing)
          this.deps.activity.record({
            subject: record.name,
            action: 'provider_add',
            detail: `${record.kind === 'custom' ? 'Custom' : 'Built-in'} OAuth provider (${record.kind}).`,
          });
        if (discard) credentials.markForDiscard(discard);
      })();
    } catch (error) {
      if (secretRef && secretRef !== existing?.clientSecretRef) await credentials.discard(secretRef);
      throw error;
    }
    if (discard) await credentials.flushDiscards([discard]);
    this.#changed();
    return this.#providerSummary(record);
  }

  async removeProvider(providerId: string): Promise<{ removedId: string }> {
    const { accounts, credentials, db } = this.deps;
    const provider = this.#provider(providerId);
    const linked = accounts.accounts().filter((account) => account.providerId === providerId);
    if (linked.length > 0) {
      throw new AppError(
        'conflict',
        `${linked.length === 1 ? 'An account is' : `${linked.length} accounts are`} linked through ${provider.name} (${linked
          .map((account) => account.personLabel)
          .join(', ')}): unlink ${linked.length === 1 ? 'it' : 'them'} first.`,
      );
    }
    const secretRef = provider.clientSecretRef;
    db.transaction(() => {
      accounts.deleteProvider(provider.id);
      if (secretRef) credentials.markForDiscard(secretRef);
      this.deps.activity.record({
        subject: provider.name,
        action: 'provider_remove',
        detail: secretRef ? 'Removed from this computer, with its client secret.' : 'Removed from this computer.',
      });
    })();
    if (secretRef) await credentials.flushDiscards([secretRef]);
    this.#changed();
    return { removedId: provider.id };
  }

  /**
   * Starts linking (or reconnecting) an account: a loopback listener on an ephemeral port, the
   * authorization URL opened in the system browser, and shown to copy in case it does not open.
   * A new flow cancels the one pending. The outcome arrives as `accounts:flow` events.
   */
  async startLink(request: ParsedRequestOf<'accounts:startLink'>): Promise<ReplyOf<'accounts:startLink'>> {
    const provider = this.#provider(request.providerId);
    const reconnecting = request.accountId ? this.#account(request.accountId) : null;
    if (reconnecting && reconnecting.providerId !== provider.id)
      throw new AppError('invalid_request', 'That account belongs to another provider.', { field: 'accountId' });
    const client = await this.#client(provider);
    // The sign-in before this one (waiting, or still showing its page) ends, and its port is
    // free again before this one listens: a fixed port would otherwise be taken by it.
    const previous = this.#listener;
    if (previous) {
      previous.cancel();
      await previous.closed;
    }
    const state = oauth.generateRandomState();
    const codeVerifier = provider.pkce ? oauth.generateRandomCodeVerifier() : null;
    const timeoutMs = this.deps.flowTimeoutMs ?? FLOW_TIMEOUT_MS;
    const listener = await listenForCallback({
      providerName: provider.name,
      host: client.profile.loopbackHost,
      ports: client.profile.ports,
      path: new URL(redirectUriFor(client.profile, null)).pathname,
      state,
      timeoutMs,
    });
    const flowId = randomUUID();
    this.#flow = { id: flowId, listener };
    this.#listener = listener;
    void listener.closed.then(() => {
      if (this.#listener === listener) this.#listener = null;
    });
    // The verifier is this flow's secret (the state travels in the URL the user may copy).
    if (codeVerifier) this.deps.redactor.add(codeVerifier);
    const url = await authorizationUrl(client, { redirectUri: listener.redirectUri, state, codeVerifier });
    void this.#complete({
      flowId,
      listener,
      client,
      provider,
      state,
      codeVerifier,
      personLabel: reconnecting?.personLabel ?? request.personLabel,
      reconnecting,
    });
    this.#flowEvent({ flowId, status: 'waiting', accountId: null, problem: null });
    try {
      await this.deps.browser.open(url);
    } catch (error) {
      // The URL is on screen to copy; a browser that did not open is not the end of the flow.
      this.deps.log.warn('browser did not open', { reason: (error as Error).message });
    }
    return { flowId, authorizeUrl: url, redirectUri: listener.redirectUri, expiresAt: this.deps.clock.now() + timeoutMs };
  }

  /** Stops the sign-in waiting for its callback; answers once its port is closed. */
  async cancelLink(): Promise<{ cancelled: number }> {
    const flow = this.#flow;
    if (!flow) return { cancelled: 0 };
    flow.listener.cancel();
    await flow.listener.closed;
    return { cancelled: 1 };
  }

  async #complete(flow: {
    flowId: string;
    listener: LoopbackListener;
    client: OAuthClient;
    provider: ProviderRecord;
    state: string;
    codeVerifier: string | null;
    personLabel: string;
    reconnecting: AccountRecord | null;
  }): Promise<void> {
    const { flowId, listener, client } = flow;
    const result = await listener.result;
    if (this.#flow?.id === flowId) this.#flow = null;
    const fail = (status: LinkFlowEvent['status'], problem: Problem | null) => {
      this.#flowEvent({ flowId, status, accountId: null, problem });
      if (problem)
        this.deps.activity.record({
          subject: `${flow.personLabel} · ${flow.provider.name}`,
          action: 'link',
          result: 'failed',
          detail: problem.message,
        });
    };
    if (result.kind === 'cancelled') return fail('cancelled', null);
    if (result.kind === 'timeout') {
      // "Its port is closed" is said once it is.
      await listener.closed;
      return fail('expired', {
        code: 'timeout',
        message: 'The sign-in took too long and was stopped; its port is closed. Start again when you are ready.',
      });
    }
    if (result.kind === 'error') {
      const code = /^[a-z_]{1,64}$/.test(result.error) ? result.error : 'error';
      const message =
        code === 'access_denied'
          ? `The sign-in was cancelled at ${flow.provider.name} (access_denied). Nothing was linked.`
          : `${flow.provider.name} did not complete the sign-in (${code}). Nothing was linked.`;
      return fail('failed', { code: code === 'access_denied' ? 'cancelled' : 'remote_rejected', message });
    }
    this.#flowEvent({ flowId, status: 'exchanging', accountId: null, problem: null });
    try {
      const code = result.params.get('code');
      if (code) this.deps.redactor.add(code);
      const tokens = await exchangeCode(client, {
        params: result.params,
        state: flow.state,
        redirectUri: listener.redirectUri,
        codeVerifier: flow.codeVerifier,
      });
      const { accountId, reconnected } = await this.#store(flow.provider, flow.personLabel, tokens, flow.reconnecting);
      this.deps.activity.record({ subject: `${flow.personLabel} · ${flow.provider.name}`, action: reconnected ? 'reconnect' : 'link' });
      listener.conclude(true);
      this.#flowEvent({ flowId, status: 'linked', accountId, problem: null });
      this.#changed();
    } catch (error) {
      listener.conclude(false);
      fail('failed', this.#problemOf(error, 'link'));
    }
  }

  /** Keeps the tokens (keychain first, each journaled) and the account's row, in step. */
  async #store(
    provider: ProviderRecord,
    personLabel: string,
    tokens: TokenSet,
    reconnecting: AccountRecord | null,
  ): Promise<{ accountId: string; reconnected: boolean }> {
    const { accounts, credentials, clock } = this.deps;
    const now = clock.now();
    const refreshRef = tokens.refreshToken ? await credentials.store('oauth-refresh-token', tokens.refreshToken) : null;
    const accessRef = await credentials.store('oauth-access-token', tokens.accessToken);
    const person = accounts.personByLabel(personLabel) ?? { id: randomUUID(), label: personLabel };
    const found = reconnecting ?? accounts.accountFor(person.id, provider.id) ?? null;
    if (found) this.#settling.add(found.id);
    try {
      return await this.#storeTokens(provider, person, tokens, found, { accessRef, refreshRef, now });
    } finally {
      if (found) this.#settling.delete(found.id);
    }
  }

  async #storeTokens(
    provider: ProviderRecord,
    person: { id: string; label: string },
    tokens: TokenSet,
    found: AccountRecord | null,
    { accessRef, refreshRef, now }: { accessRef: string; refreshRef: string | null; now: number },
  ): Promise<{ accountId: string; reconnected: boolean }> {
    const { accounts, credentials, db } = this.deps;
    const personLabel = person.label;
    let existing: AccountRecord | null = null;
    if (found) {
      this.#timers.get(found.id)?.();
      this.#timers.delete(found.id);
      // The record read when the sign-in started is stale: refreshes have replaced its tokens since
      // (and one may be running). Let it finish, then replace the tokens it left.
      await this.#refreshing.get(found.id)?.catch(() => undefined);
      existing = accounts.account(found.id) ?? null;
    }
    const id = existing?.id ?? randomUUID();
    const expiresAt = tokens.expiresIn === null ? null : now + tokens.expiresIn * 1000;
    const scopes = tokens.scopes ?? provider.scopes;
    const stale = existing ? [existing.accessTokenRef, ...(existing.refreshTokenRef ? [existing.refreshTokenRef] : [])] : [];
    try {
      db.transaction(() => {
        if (!accounts.personByLabel(personLabel)) accounts.insertPerson({ id: person.id, label: personLabel, createdAt: now });
        if (existing) {
          accounts.setTokens(
            id,
            { accessTokenRef: accessRef, refreshTokenRef: refreshRef, issuedAt: now, expiresAt, scopes, subject: tokens.subject },
            now,
          );
        } else {
          accounts.insertAccount({
            id,
            personId: person.id,
            providerId: provider.id,
            subject: tokens.subject,
            scopes,
            accessTokenRef: accessRef,
            refreshTokenRef: refreshRef,
            issuedAt: now,
            expiresAt,
            status: 'active',
            problem: null,
            failures: 0,
            nextAttemptAt: null,
            linkedAt: now,
            refreshedAt: null,
          });
        }
        credentials.settle(accessRef);
        if (refreshRef) credentials.settle(refreshRef);
        for (const ref of stale) credentials.markForDiscard(ref);
      })();
    } catch (error) {
      await credentials.discard(accessRef);
      if (refreshRef) await credentials.discard(refreshRef);
      throw error;
    }
    await credentials.flushDiscards(stale);
    this.#settling.delete(id);
    this.#schedule(accounts.account(id)!);
    await this.#pushToBound(id, tokens.accessToken);
    // Signing the same person in at the same provider again is a reconnect: same account, same bindings.
    return { accountId: id, reconnected: existing !== null };
  }

  /** Refreshes now (a scheduled refresh, or the user's): one refresh per account at a time. */
  refresh(accountId: string): Promise<void> {
    const running = this.#refreshing.get(accountId);
    if (running) return running;
    if (this.#settling.has(accountId)) {
      return Promise.reject(
        new AppError('conflict', "That account's tokens are being replaced or removed right now; try again in a moment."),
      );
    }
    const refresh = this.#refresh(accountId).finally(() => this.#refreshing.delete(accountId));
    this.#refreshing.set(accountId, refresh);
    return refresh;
  }

  async #refresh(accountId: string): Promise<void> {
    const { accounts, credentials, db, clock, activity } = this.deps;
    const account = this.#account(accountId);
    const provider = this.#provider(account.providerId);
    const subject = `${account.personLabel} · ${provider.name}`;
    if (!account.refreshTokenRef) {
      accounts.setStatus(account.id, {
        status: 'needs_reconnect',
        problem: {
          code: 'key_missing',
          message: `${provider.name} gave no refresh token for this account: reconnect it when its access token expires.`,
        },
        failures: 0,
        nextAttemptAt: null,
      });
      this.#changed();
      return;
    }
    let tokens: TokenSet;
    try {
      const client = await this.#client(provider);
      tokens = await refreshTokens(client, await credentials.read(account.refreshTokenRef));
    } catch (error) {
      const permanent = error instanceof TokenError ? error.permanent : isAppError(error) && error.code === 'key_missing';
      const failures = account.failures + 1;
      const problem = this.#problemOf(error, 'refresh');
      if (permanent) {
        accounts.setStatus(account.id, { status: 'needs_reconnect', problem, failures, nextAttemptAt: null });
      } else {
        const nextAttemptAt = clock.now() + Math.min(BACKOFF_MS.first * 2 ** (failures - 1), BACKOFF_MS.max);
        accounts.setStatus(account.id, { status: 'refresh_failing', problem, failures, nextAttemptAt });
      }
      // A streak of failures is one entry, not one a minute.
      if (account.failures === 0 || permanent) activity.record({ subject, action: 'refresh', result: 'failed', detail: problem.message });
      this.#schedule(this.#account(account.id));
      this.#changed();
      return;
    }
    // The rotated refresh token is kept before the new access token is used anywhere.
    const refreshRef = tokens.refreshToken ? await credentials.store('oauth-refresh-token', tokens.refreshToken) : null;
    const accessRef = await credentials.store('oauth-access-token', tokens.accessToken);
    const now = clock.now();
    const keptRefresh = refreshRef ?? account.refreshTokenRef;
    const stale = [account.accessTokenRef, ...(refreshRef ? [account.refreshTokenRef] : [])];
    try {
      db.transaction(() => {
        accounts.setTokens(
          account.id,
          {
            accessTokenRef: accessRef,
            refreshTokenRef: keptRefresh,
            issuedAt: now,
            expiresAt: tokens.expiresIn === null ? null : now + tokens.expiresIn * 1000,
            scopes: tokens.scopes ?? account.scopes,
            subject: tokens.subject,
          },
          now,
        );
        credentials.settle(accessRef);
        if (refreshRef) credentials.settle(refreshRef);
        for (const ref of stale) credentials.markForDiscard(ref);
      })();
    } catch (error) {
      await credentials.discard(accessRef);
      if (refreshRef) await credentials.discard(refreshRef);
      throw error;
    }
    await credentials.flushDiscards(stale);
    activity.record({ subject, action: 'refresh' });
    this.#schedule(this.#account(account.id));
    this.#changed();
    await this.#pushToBound(account.id, tokens.accessToken);
  }

  /** After new tokens: every bound workspace secret gets the new access token. */
  async #pushToBound(accountId: string, accessToken: string): Promise<void> {
    const bound = this.deps.localRepository.boundTo(accountId);
    if (bound.length === 0) return;
    for (const secret of bound) await this.deps.localSecrets.setBoundValue(secret.id, accessToken);
    try {
      const plan = this.deps.push.plan({ secretIds: bound.map((s) => s.id), workspaceIds: [], force: false, deletions: [] });
      // The refreshed token replaces the one this account pushed there: the user asked for that when binding.
      if (plan.items.some((item) => item.action === 'create' || item.action === 'update'))
        await this.deps.push.apply(plan.id, { confirmed: 'all' });
    } catch (error) {
      // The plan stays on record and the review lists what did not land; the token is fresh either way.
      this.deps.log.warn('bound secrets not pushed after a refresh', { accountId, reason: codeOf(error) });
    }
  }

  /** Binds the account's access token to a workspace secret name in these workspaces, and pushes it. */
  async bind(request: ParsedRequestOf<'accounts:bind'>): Promise<LinkedAccount> {
    const account = this.#account(request.accountId);
    const token = await this.deps.credentials.read(account.accessTokenRef);
    const secretId = await this.deps.localSecrets.createBound({
      name: request.secretName,
      accountId: account.id,
      token,
      workspaceIds: request.workspaceIds,
    });
    const plan = this.deps.push.plan({ secretIds: [secretId], workspaceIds: [], force: false, deletions: [] });
    // Binding names the secret in these workspaces: the user's explicit instruction to give it this token.
    await this.deps.push.apply(plan.id, { confirmed: 'all' });
    this.#changed();
    return this.#summary(this.#account(account.id), this.deps.accounts.providers());
  }

  /** Unlinks: revokes the tokens where the provider allows it, removes them, and the bound local secrets. */
  async unlink(accountId: string): Promise<{ unlinkedId: string; revoked: boolean }> {
    const account = this.#account(accountId);
    const provider = this.#provider(account.providerId);
    this.#settling.add(account.id);
    try {
      return await this.#unlink(account, provider);
    } finally {
      this.#settling.delete(account.id);
    }
  }

  async #unlink(account: AccountRecord, provider: ProviderRecord): Promise<{ unlinkedId: string; revoked: boolean }> {
    const { accounts, credentials, db, localRepository, localSecrets } = this.deps;
    const accountId = account.id;
    this.#timers.get(account.id)?.();
    this.#timers.delete(account.id);
    // A refresh already running finishes first (it schedules no other: see #schedule).
    await this.#refreshing.get(account.id)?.catch(() => undefined);
    let revoked = false;
    const current = this.#account(account.id);
    try {
      const client = await this.#client(provider);
      // Revoking the refresh token ends the grant (and so every access token from it) at most providers.
      if (current.refreshTokenRef) await revokeToken(client, await credentials.read(current.refreshTokenRef), 'refresh_token');
      await revokeToken(client, await credentials.read(current.accessTokenRef), 'access_token');
      revoked = client.profile.revokeUrl !== null;
    } catch (error) {
      this.deps.log.warn('token not revoked at unlink', { accountId, reason: codeOf(error) });
    }
    for (const secret of localRepository.boundTo(account.id)) await localSecrets.delete(secret.id);
    const refs = [current.accessTokenRef, ...(current.refreshTokenRef ? [current.refreshTokenRef] : [])];
    db.transaction(() => {
      accounts.deleteAccount(account.id);
      accounts.deleteUnusedPeople();
      for (const ref of refs) credentials.markForDiscard(ref);
    })();
    await credentials.flushDiscards(refs);
    this.deps.activity.record({
      subject: `${account.personLabel} · ${provider.name}`,
      action: 'unlink',
      detail: revoked ? 'tokens revoked and removed' : 'tokens removed (the provider offers no revocation)',
    });
    this.#changed();
    return { unlinkedId: account.id, revoked };
  }

  /**
   * A person's `secret__…` dynamic variables with fresh tokens (refreshed first when they expire
   * within the margin), as JSON and as a snippet that starts a conversation: an explicit copy.
   */
  /** What a person's dynamic variables will hold, tokens shown as "…" (nothing is read or refreshed). */
  dynamicVariables(personId: string): ReplyOf<'accounts:dynamicVariables'> {
    const { names, skipped } = this.#variablesOf(personId);
    const shown = Object.fromEntries(names.map((entry) => [entry.variable, '…']));
    return { names: names.map((entry) => entry.variable), ...formatVariables(this.#person(personId).label, shown), skipped };
  }

  /**
   * Copies a person's dynamic variables with fresh tokens (refreshed first where one ends within
   * the margin) as JSON or an SDK snippet. Main writes the clipboard, which is cleared later.
   */
  async copyDynamicVariables(request: ParsedRequestOf<'accounts:copyDynamicVariables'>): Promise<ReplyOf<'accounts:copyDynamicVariables'>> {
    const { person, variables, skipped } = await this.freshVariables(request.personId, request.marginSeconds);
    const text = formatVariables(person.label, variables)[request.format];
    const { clearsAt } = this.deps.clipboard.copy(text);
    return { clearsAt, names: Object.keys(variables), skipped };
  }

  /**
   * A person's dynamic variables with fresh tokens (refreshed first where one ends within the
   * margin): for the copy above and for `akr vars`. The caller decides where the tokens go.
   */
  async freshVariables(
    personId: string,
    marginSeconds: number,
  ): Promise<{
    person: { id: string; label: string };
    variables: Record<string, string>;
    skipped: { accountId: string; reason: string }[];
  }> {
    const { clock, credentials } = this.deps;
    const person = this.#person(personId);
    for (const account of this.deps.accounts.accounts().filter((a) => a.personId === person.id)) {
      const endsSoon = account.expiresAt !== null && account.expiresAt - clock.now() < marginSeconds * 1000;
      if (endsSoon && account.status !== 'needs_reconnect' && account.refreshTokenRef) await this.refresh(account.id);
    }
    const { names, skipped } = this.#variablesOf(person.id);
    if (names.length === 0) {
      throw new AppError('invalid_request', `${person.label} has no account that can hand over a token now (${skipped.length} left out).`);
    }
    const variables: Record<string, string> = {};
    for (const entry of names) variables[entry.variable] = await credentials.read(entry.accessTokenRef);
    return { person, variables, skipped };
  }

  /** The person with this label (as `akr vars --person` names them), if any account is linked for them. */
  personIdByLabel(label: string): string | null {
    const wanted = label.trim().toLowerCase();
    return this.deps.accounts.people().find((p) => p.label.toLowerCase() === wanted)?.id ?? null;
  }

  #person(personId: string): { id: string; label: string } {
    const person = this.deps.accounts.people().find((p) => p.id === personId);
    if (!person) throw new AppError('not_found', 'That person has no linked accounts.');
    return person;
  }

  /** Each of a person's accounts that can hand over a token: its variable name and token ref. */
  #variablesOf(personId: string) {
    const { accounts, clock, localRepository } = this.deps;
    const person = this.#person(personId);
    const providers = accounts.providers();
    const names: { variable: string; accessTokenRef: string }[] = [];
    const skipped: { accountId: string; reason: string }[] = [];
    for (const account of accounts.accounts().filter((a) => a.personId === person.id)) {
      const provider = providers.find((p) => p.id === account.providerId)!;
      if (account.status === 'needs_reconnect' || (account.expiresAt !== null && account.expiresAt <= clock.now())) {
        skipped.push({
          accountId: account.id,
          reason: `${provider.name}: ${account.problem?.message ?? 'the token has expired; reconnect the account.'}`,
        });
        continue;
      }
      // The name of the workspace secret it is bound to, so the agent's {{secret__…}} reads the same either way.
      const name = localRepository.boundTo(account.id)[0]?.name ?? `${provider.kind}_token_${slug(person.label)}`;
      names.push({ variable: `secret__${name}`, accessTokenRef: account.accessTokenRef });
    }
    return { names, skipped };
  }

  /** The refresh at expiry minus the larger of 60 s and 10 % of the token's life (see nextRefreshAt). */
  #schedule(account: AccountRecord): void {
    this.#timers.get(account.id)?.();
    this.#timers.delete(account.id);
    const at = nextRefreshAt(account);
    if (at === null || this.#stopped || this.#settling.has(account.id)) return;
    const cancel = this.deps.clock.after(Math.max(0, at - this.deps.clock.now()), () => {
      this.#timers.delete(account.id);
      void this.refresh(account.id).catch((error: unknown) =>
        this.deps.log.warn('scheduled refresh failed', { accountId: account.id, reason: codeOf(error) }),
      );
    });
    this.#timers.set(account.id, cancel);
  }

  async #client(provider: ProviderRecord): Promise<OAuthClient> {
    const profile: ProviderProfile =
      provider.kind === 'custom'
        ? customProfile(provider)
        : {
            ...builtInProfiles[provider.kind],
            defaultScopes: provider.scopes.length ? provider.scopes : builtInProfiles[provider.kind].defaultScopes,
          };
    const clientSecret = provider.clientSecretRef ? await this.deps.credentials.read(provider.clientSecretRef) : null;
    if (profile.clientSecret === 'required' && !clientSecret) {
      throw new AppError(
        'invalid_request',
        `${provider.name} needs the client secret of your OAuth app: enter it in the provider's settings.`,
        { field: 'clientSecret' },
      );
    }
    return { profile, name: provider.name, clientId: provider.clientId, clientSecret };
  }

  #summary(account: AccountRecord, providers: ProviderRecord[]): LinkedAccount {
    const provider = providers.find((p) => p.id === account.providerId);
    return {
      id: account.id,
      personId: account.personId,
      personLabel: account.personLabel,
      providerId: account.providerId,
      providerName: provider?.name ?? 'Removed provider',
      subject: account.subject,
      scopes: account.scopes,
      expiresAt: account.expiresAt,
      hasRefreshToken: account.refreshTokenRef !== null,
      status: account.status,
      problem: account.problem,
      nextRefreshAt: nextRefreshAt(account),
      linkedAt: account.linkedAt,
      refreshedAt: account.refreshedAt,
      bindings: this.deps.localRepository.boundTo(account.id).map((secret) => ({
        localSecretId: secret.id,
        secretName: secret.name,
        workspaceIds: this.deps.localRepository.targetsOf(secret.id).map((t) => t.workspaceId),
      })),
    };
  }

  #providerSummary(provider: ProviderRecord): Provider {
    const profile = provider.kind === 'custom' ? customProfile(provider) : builtInProfiles[provider.kind];
    return {
      id: provider.id,
      kind: provider.kind,
      name: provider.name,
      clientId: provider.clientId,
      hasClientSecret: provider.clientSecretRef !== null,
      clientSecretNeeded: profile.clientSecret,
      authorizeUrl: provider.authorizeUrl,
      tokenUrl: provider.tokenUrl,
      revokeUrl: provider.revokeUrl,
      issuer: provider.issuer,
      scopes: provider.scopes,
      pkce: provider.pkce,
      port: provider.port,
      redirectUri: redirectUriFor(profile, profile.ports === 'any' ? null : profile.ports[0]!),
      fixedPorts: profile.ports === 'any' ? [] : profile.ports,
      note: profile.note,
    };
  }

  #provider(id: string): ProviderRecord {
    const provider = this.deps.accounts.provider(id);
    if (!provider) throw new AppError('not_found', 'That provider no longer exists.');
    return provider;
  }

  #account(id: string): AccountRecord {
    const account = this.deps.accounts.account(id);
    if (!account) throw new AppError('not_found', 'That linked account no longer exists.');
    return account;
  }

  /** An error as the user reads it; anything but an AppError is a bug, and is logged (scrubbed) so "in the log" is true. */
  #problemOf(error: unknown, doing: 'link' | 'refresh'): Problem {
    if (isAppError(error)) return error.toIpcError();
    this.deps.log.error(doing === 'link' ? 'linking failed' : 'refresh failed', {
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return {
      code: 'internal',
      message: `${doing === 'link' ? 'Linking' : 'Refreshing'} failed because of a bug in Agent Keyring; details are in the log.`,
    };
  }

  #flowEvent(event: LinkFlowEvent): void {
    this.deps.events.emit('accounts:flow', event);
  }

  #changed(): void {
    this.deps.events.emit('accounts:changed', {});
  }
}

/** Each kind's profile as the builder needs it before saving a provider of that kind. */
export function profileSummaries(): ProviderProfileSummary[] {
  const custom = customProfile({
    name: 'Custom',
    authorizeUrl: '',
    tokenUrl: '',
    revokeUrl: null,
    issuer: null,
    pkce: true,
    scopes: ['openid', 'offline_access'],
    port: null,
  });
  return providerKinds.map((kind) => {
    const profile = kind === 'custom' ? custom : builtInProfiles[kind];
    return {
      kind,
      displayName: profile.displayName,
      redirectUri: redirectUriFor(profile, profile.ports === 'any' ? null : profile.ports[0]!),
      fixedPorts: profile.ports === 'any' ? [] : profile.ports,
      clientSecretNeeded: profile.clientSecret,
      defaultScopes: profile.defaultScopes,
      pkce: profile.pkce,
      note: profile.note,
    };
  });
}

/** When an account is next refreshed: before it expires, or when a failed refresh is retried. */
export function nextRefreshAt(
  account: Pick<AccountRecord, 'status' | 'expiresAt' | 'issuedAt' | 'nextAttemptAt' | 'refreshTokenRef'>,
): number | null {
  if (account.status === 'needs_reconnect' || account.refreshTokenRef === null) return null;
  if (account.status === 'refresh_failing') return account.nextAttemptAt;
  if (account.expiresAt === null) return null;
  const lifetime = Math.max(0, account.expiresAt - account.issuedAt);
  // Never before half its life, or a token shorter-lived than the margin would refresh without end.
  return Math.max(account.issuedAt + lifetime / 2, account.expiresAt - Math.max(60_000, lifetime * 0.1));
}

function codeOf(error: unknown): string {
  return isAppError(error) ? error.code : 'internal';
}

function slug(label: string): string {
  return (
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'person'
  );
}
