import type { ElevenLabs, ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import {
  type ConnectionDefinition,
  type ConnectionUpdate,
  sensitiveValuesOf,
  sensitiveValuesOfUpdate,
} from '../../shared/schemas/connection-definitions';
import type { Dependant } from '../../shared/schemas/inventory';
import { AppError } from '../errors';
import { CursorGuard, MAX_LIST_PAGES } from './paging';
import { DependantNumbering, toSecretBatch, type SecretBatch } from './listed-secret';
import { credentialShape } from '../environment-variables/credential-shape';
import type {
  ApiSettings,
  DependencyResourceType,
  EnvironmentValueInput,
  EnvironmentVariableKind,
  Page,
  RemoteAuthConnection,
  RemoteEnvironmentVariable,
  RemoteSecret,
  RemoteUser,
  RemoteVariableValue,
} from './types';

/** Options for one SDK request: the operation's own signal and timeout; retries are the host's. */
export interface SdkRequestOptions {
  abortSignal: AbortSignal;
  timeoutInSeconds: number;
  maxRetries: 0;
}

/** What an operation's code gets besides the SDK client (see api-host/host.ts). */
export interface OperationContext<Event> {
  /** Sends one HTTP request with the operation's timeout, cancellation, retry policy and error mapping. */
  request<T>(send: (options: SdkRequestOptions) => Promise<T>): Promise<T>;
  /**
   * Hands a partial result (a page of a listing) to the caller before the result, scrubbed on the
   * way; resolves once it has left, so the next one is made while the caller takes this one.
   */
  emit(event: Event): Promise<void>;
  /** The API's host as configured, for messages. */
  host: string;
  settings: ApiSettings;
}

export interface OperationSpec<Request, Result, Event = never> {
  /**
   * Which failures are retried. A read is retried after a 429 or a 5xx. A write only after a
   * 429 (the server refused it before acting): after a 5xx or a timeout it may have landed, so
   * the caller reconciles before trying again (a create must never land twice).
   */
  retries: 'reads' | 'rate_limit_only';
  /** Values the request carries (a secret's value): scrubbed from whatever comes back, like the key. */
  secrets?: (request: Request) => string[];
  run(client: ElevenLabsClient, request: Request, context: OperationContext<Event>): Promise<Result>;
}

/** Secrets per event from one large reply: main writes one batch while the host shapes the next. */
const SECRETS_PER_BATCH = 1000;

/** Failures of an unpaged listing that pages may not have: too large, unparsable, slow, 5xx. */
const FALL_BACK_TO_PAGES = new Set(['unexpected_response', 'server_error', 'timeout']);

function operation<Request, Result, Event = never>(spec: OperationSpec<Request, Result, Event>): OperationSpec<Request, Result, Event> {
  return spec;
}

/**
 * Every ElevenLabs operation the app uses, declared once: its retry class and its SDK call. The
 * API host dispatches on this table; the main process derives its typed forwarders from it
 * (api-host/remote-gateway.ts), and WorkspaceAccess its reachability wrapper. Adding an
 * operation means adding an entry here. The SDK is only a type import: main never loads it.
 */
export const operations = {
  listSecrets: operation<{ pageSize: number; cursor?: string }, Page<RemoteSecret>>({
    retries: 'reads',
    run: async (client, request, { request: send, settings }) => {
      const page = await send((options) =>
        client.conversationalAi.secrets.list(
          { pageSize: request.pageSize, cursor: request.cursor, dependencyLimit: settings.dependencyLimit },
          options,
        ),
      );
      return { items: page.secrets.map(toRemoteSecret), nextCursor: page.nextCursor ?? null };
    },
  }),

  /**
   * Every secret, handed to the caller as it arrives. Without a page size it first asks for all
   * of them in one reply (the fewest round trips the API allows) and falls back to pages of 100
   * when that reply is too large or fails; with pages, the next is requested as soon as the
   * previous one is in. The cursor loop is bounded (paging.ts). Each page goes to main in
   * batches (listed-secret.ts), so main writes one while the host shapes the next.
   */
  streamSecrets: operation<{ pageSize?: number }, { pages: number; secrets: number; unpaged: boolean }, SecretBatch>({
    retries: 'reads',
    run: async (client, request, { request: send, emit, host, settings }) => {
      const list = (pageSize: number | undefined, cursor: string | undefined) =>
        send((options) => client.conversationalAi.secrets.list({ pageSize, cursor, dependencyLimit: settings.dependencyLimit }, options));
      let pages = 0;
      let secrets = 0;
      // One numbering for the whole listing: each distinct dependant crosses to main once.
      const numbering = new DependantNumbering();
      const hand = async (page: ElevenLabs.ConvAiWorkspaceStoredSecretConfig[]) => {
        pages += 1;
        secrets += page.length;
        let at = 0;
        // An empty page is handed over too: progress says it came. Each batch is on its way to
        // main, which writes it, while the next one is shaped here.
        do {
          await emit(toSecretBatch(page.slice(at, at + SECRETS_PER_BATCH).map(toRemoteSecret), pages, numbering));
          at += SECRETS_PER_BATCH;
        } while (at < page.length);
      };
      let first: Awaited<ReturnType<typeof list>> | undefined;
      if (request.pageSize === undefined) {
        try {
          first = await list(undefined, undefined);
        } catch (error) {
          if (!(error instanceof AppError) || !FALL_BACK_TO_PAGES.has(error.code)) throw error;
        }
        if (first) {
          await hand(first.secrets);
          // An API that pages anyway is followed from its cursor.
          if (!first.nextCursor) return { pages, secrets, unpaged: true };
        }
      }
      const pageSize = request.pageSize ?? 100;
      const guard = new CursorGuard('secrets', host, MAX_LIST_PAGES);
      const start = first?.nextCursor ?? undefined;
      if (start !== undefined) guard.follow(start);
      let pending: ReturnType<typeof list> | null = list(pageSize, start);
      while (pending) {
        const page: Awaited<ReturnType<typeof list>> = await pending;
        const next = page.nextCursor ?? null;
        if (next !== null) guard.follow(next);
        pending = next !== null ? list(pageSize, next) : null;
        // Observed here too, so a failure while this page is handled never goes unobserved.
        pending?.catch(() => undefined);
        await hand(page.secrets);
      }
      return { pages, secrets, unpaged: false };
    },
  }),

  listDependencies: operation<{ secretId: string; resourceType: DependencyResourceType; cursor?: string }, Page<Dependant>>({
    retries: 'reads',
    run: async (client, { secretId, resourceType, cursor }, { request: send }) => {
      const page = await send((options) =>
        client.conversationalAi.secrets.getDependencies(secretId, resourceType, { cursor, pageSize: 100 }, options),
      );
      const items = page.dependencies as unknown[];
      const mapped =
        resourceType === 'phone_numbers'
          ? (items as ElevenLabs.DependentPhoneNumberIdentifier[]).map(toPhoneDependant)
          : (items as AccessItem[]).map((item) => toAccessDependant(resourceType === 'tools' ? 'tool' : 'agent', item));
      return { items: mapped, nextCursor: page.nextCursor ?? null };
    },
  }),

  listAuthConnections: operation<Record<string, never>, RemoteAuthConnection[]>({
    retries: 'reads',
    run: async (client, _request, { request: send }) => {
      const reply = await send((options) => client.workspace.authConnections.list(options));
      return reply.authConnections.map((item) => toRemoteAuthConnection(item as unknown as Record<string, unknown>));
    },
  }),

  getUser: operation<Record<string, never>, RemoteUser>({
    retries: 'reads',
    run: async (client, _request, { request: send }) => {
      const user = await send((options) => client.user.get(options));
      return {
        workspaceId: user.workspaceId,
        firstName: user.firstName ?? null,
        planTier: user.subscription?.tier ?? null,
        seatType: user.seatType ?? null,
      };
    },
  }),

  createSecret: operation<{ name: string; value: string }, { secretId: string; name: string }>({
    retries: 'rate_limit_only',
    secrets: (request) => [request.value],
    run: async (client, { name, value }, { request: send }) => {
      const created = await send((options) => client.conversationalAi.secrets.create({ name, value }, options));
      return { secretId: created.secretId, name: created.name };
    },
  }),

  /** Replaces name and value together: the API's PATCH needs both, so a rename sends the value again. */
  updateSecret: operation<{ secretId: string; name: string; value: string }, { secretId: string; name: string }>({
    retries: 'rate_limit_only',
    secrets: (request) => [request.value],
    run: async (client, { secretId, name, value }, { request: send }) => {
      const updated = await send((options) => client.conversationalAi.secrets.update(secretId, { name, value }, options));
      return { secretId: updated.secretId, name: updated.name };
    },
  }),

  deleteSecret: operation<{ secretId: string }, { deleted: true }>({
    retries: 'rate_limit_only',
    run: async (client, { secretId }, { request: send }) => {
      await send((options) => client.conversationalAi.secrets.delete(secretId, options));
      return { deleted: true };
    },
  }),

  /**
   * Creates an auth connection from a definition kept here (its fields are the SDK's names). The
   * sensitive values are scrubbed from whatever comes back: a 422 echoes the body it refused.
   */
  createAuthConnection: operation<{ definition: ConnectionDefinition }, RemoteAuthConnection>({
    retries: 'rate_limit_only',
    secrets: ({ definition }) => Object.values(sensitiveValuesOf(definition)),
    run: async (client, { definition }, { request: send }) => {
      const created = await send((options) => client.workspace.authConnections.create(definition, options));
      return toRemoteAuthConnection(created as unknown as Record<string, unknown>);
    },
  }),

  /** Changes an updatable connection in place; `name` and `tokenUrl` are never sent (the API cannot change them). */
  updateAuthConnection: operation<{ connectionId: string; update: ConnectionUpdate }, RemoteAuthConnection>({
    retries: 'rate_limit_only',
    secrets: ({ update }) => sensitiveValuesOfUpdate(update),
    run: async (client, { connectionId, update }, { request: send }) => {
      const { name: _name, tokenUrl: _tokenUrl, ...body } = update as ConnectionUpdate & { name?: unknown; tokenUrl?: unknown };
      const updated = await send((options) =>
        client.workspace.authConnections.update(connectionId, body as ElevenLabs.workspace.AuthConnectionsUpdateRequestBody, options),
      );
      return toRemoteAuthConnection(updated as unknown as Record<string, unknown>);
    },
  }),

  /** Refused by the API while a tool or MCP server uses the connection; its answer is passed on. */
  deleteAuthConnection: operation<{ connectionId: string }, { deleted: true }>({
    retries: 'rate_limit_only',
    run: async (client, { connectionId }, { request: send }) => {
      await send((options) => client.workspace.authConnections.delete(connectionId, options));
      return { deleted: true };
    },
  }),

  /**
   * Remote connections with exactly this name: the API has no GET of one connection, and a
   * connection is matched by name (after an uncertain create, or to adopt one made in the dashboard).
   */
  findAuthConnectionsByName: operation<{ name: string }, RemoteAuthConnection[]>({
    retries: 'reads',
    run: async (client, { name }, { request: send }) => {
      const reply = await send((options) => client.workspace.authConnections.list(options));
      return reply.authConnections
        .filter((item) => item.name === name)
        .map((item) => toRemoteAuthConnection(item as unknown as Record<string, unknown>));
    },
  }),

  /** Remote secrets with exactly this name, to learn whether an uncertain create landed. */
  findSecretsByName: operation<{ name: string }, RemoteSecret[]>({
    retries: 'reads',
    run: async (client, { name }, { request: send, host }) => {
      const found: RemoteSecret[] = [];
      const guard = new CursorGuard(`secrets named ${name}`, host, MAX_LIST_PAGES);
      let cursor: string | undefined;
      do {
        const page = await send((options) => client.conversationalAi.secrets.list({ search: name, pageSize: 100, cursor }, options));
        found.push(...page.secrets.filter((secret) => secret.name === name).map(toRemoteSecret));
        cursor = page.nextCursor ?? undefined;
        if (cursor !== undefined) guard.follow(cursor);
      } while (cursor);
      return found;
    },
  }),

  /**
   * Every environment variable matching the filters (none: all of them), page after page with a
   * bounded cursor loop (paging.ts). `environment` keeps only variables that have it, each with
   * only that environment's value. String values that look like credentials are withheld here,
   * in the host, so they never reach main (types.ts RemoteVariableValue).
   */
  listEnvironmentVariables: operation<
    { pageSize?: number; label?: string; environment?: string; type?: EnvironmentVariableKind },
    { variables: RemoteEnvironmentVariable[]; pages: number },
    RemoteEnvironmentVariable[]
  >({
    retries: 'reads',
    run: async (client, request, { request: send, emit, host }) => {
      const variables: RemoteEnvironmentVariable[] = [];
      const guard = new CursorGuard('environment variables', host, MAX_LIST_PAGES);
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await send((options) =>
          client.environmentVariables.list(
            { pageSize: request.pageSize ?? 100, cursor, label: request.label, environment: request.environment, type: request.type },
            options,
          ),
        );
        pages += 1;
        const items = page.environmentVariables.map(toRemoteEnvironmentVariable);
        variables.push(...items);
        emit(items);
        cursor = page.nextCursor ?? undefined;
        if (cursor === undefined && page.hasMore) {
          throw new AppError(
            'unexpected_response',
            `${host} said more environment variables followed but sent no cursor to ask for them. Nothing was changed.`,
          );
        }
        if (cursor !== undefined) guard.follow(cursor);
      } while (cursor);
      return { variables, pages };
    },
  }),

  getEnvironmentVariable: operation<{ variableId: string }, RemoteEnvironmentVariable>({
    retries: 'reads',
    run: async (client, { variableId }, { request: send }) =>
      toRemoteEnvironmentVariable(await send((options) => client.environmentVariables.get(variableId, options))),
  }),

  /**
   * Creates a variable: `values` must hold `production`, and every value must be of `type`'s kind
   * (the API's body is discriminated by type). A duplicate label is refused (409).
   */
  createEnvironmentVariable: operation<
    { label: string; type: EnvironmentVariableKind; values: Record<string, EnvironmentValueInput> },
    RemoteEnvironmentVariable
  >({
    retries: 'rate_limit_only',
    secrets: ({ values }) => credentialLikeStrings(Object.values(values)),
    run: async (client, { label, type, values }, { request: send }) => {
      const body = createBody(label, type, values);
      return toRemoteEnvironmentVariable(await send((options) => client.environmentVariables.create(body, options)));
    },
  }),

  /**
   * Changes some environments of a variable: each key replaces that environment's value, null
   * removes the environment (never `production`: the API refuses). Others are left as they are.
   */
  updateEnvironmentVariable: operation<
    { variableId: string; values: Record<string, EnvironmentValueInput | null> },
    RemoteEnvironmentVariable
  >({
    retries: 'rate_limit_only',
    secrets: ({ values }) => credentialLikeStrings(Object.values(values)),
    run: async (client, { variableId, values }, { request: send }) => {
      const body = Object.fromEntries(Object.entries(values).map(([environment, value]) => [environment, toSdkValue(value)]));
      // The SDK's type has no null, but its serializer sends one (which removes the environment).
      const request = { values: body } as unknown as ElevenLabs.UpdateEnvironmentVariableRequest;
      return toRemoteEnvironmentVariable(await send((options) => client.environmentVariables.update(variableId, request, options)));
    },
  }),
};

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type OperationRequest<K extends OperationName> =
  Operations[K] extends OperationSpec<infer R, infer _Result, infer _Event> ? R : never;
export type OperationResult<K extends OperationName> =
  Operations[K] extends OperationSpec<infer _Request, infer R, infer _Event> ? R : never;
export type OperationEvent<K extends OperationName> =
  Operations[K] extends OperationSpec<infer _Request, infer _Result, infer E> ? E : never;
export const operationNames = Object.keys(operations) as OperationName[];

/** Tools, agents and MCP servers share this shape: available (named) or unknown (no access). */
interface AccessItem {
  type?: string;
  id: string;
  name?: string;
  createdAtUnixSecs?: number;
  accessLevel?: string;
  referencedResourceIds?: string[];
  /**
   * The SDK parses the dependencies route's untagged union with the tool schema first, so
   * agents from that route keep this field in its wire (snake_case) form.
   */
  referenced_resource_ids?: string[];
}

function toAccessDependant(kind: 'tool' | 'agent' | 'mcp_server', item: AccessItem): Dependant {
  const available = item.type !== 'unknown' && typeof item.name === 'string';
  return {
    kind,
    id: item.id,
    name: available ? (item.name ?? null) : null,
    access: available ? 'available' : 'unknown',
    accessLevel: item.accessLevel ?? null,
    createdAtUnix: item.createdAtUnixSecs ?? null,
    phoneNumber: null,
    provider: null,
    referencedResourceIds: item.referencedResourceIds ?? item.referenced_resource_ids ?? [],
  };
}

function toPhoneDependant(item: ElevenLabs.DependentPhoneNumberIdentifier): Dependant {
  return {
    kind: 'phone_number',
    id: item.phoneNumberId,
    name: item.label,
    access: 'available',
    accessLevel: null,
    createdAtUnix: null,
    phoneNumber: item.phoneNumber,
    provider: item.provider,
    referencedResourceIds: [],
  };
}

function toRemoteSecret(secret: ElevenLabs.ConvAiWorkspaceStoredSecretConfig): RemoteSecret {
  const usedBy = secret.usedBy;
  const dependants: Dependant[] = [
    ...usedBy.agents.map((a) => toAccessDependant('agent', a as AccessItem)),
    ...usedBy.tools.map((t) => toAccessDependant('tool', t as AccessItem)),
    ...(usedBy.phoneNumbers ?? []).map(toPhoneDependant),
    ...(usedBy.mcpServers ?? []).map((m) => toAccessDependant('mcp_server', m as AccessItem)),
    ...usedBy.others.map((other): Dependant => ({
      kind: 'other',
      id: String(other),
      name: String(other).replace(/_/g, ' '),
      access: 'available',
      accessLevel: null,
      createdAtUnix: null,
      phoneNumber: null,
      provider: null,
      referencedResourceIds: [],
    })),
  ];
  return {
    secretId: secret.secretId,
    name: secret.name,
    dependants,
    truncated: {
      tools: usedBy.toolsHasMore === true,
      agents: usedBy.agentsHasMore === true,
      phoneNumbers: usedBy.phoneNumbersHasMore === true,
    },
  };
}

/**
 * Settings worth reviewing offline, by SDK field name. Write-only fields (secrets, tokens,
 * passwords, keys, certificates) are never returned by the API and are not listed here either;
 * custom header values may hold credentials, so only their names are kept.
 */
const reviewableFields = [
  'clientId',
  'tokenUrl',
  'scopes',
  'basicAuthInHeader',
  'username',
  'headerName',
  'issuer',
  'audience',
  'subject',
  'algorithm',
  'keyId',
  'expirationSeconds',
  'tokenResponseField',
  'expiresAt',
  'integrationId',
  'credentialId',
  'scopeSeparator',
  'phoneNumberId',
] as const;

function toRemoteAuthConnection(item: Record<string, unknown>): RemoteAuthConnection {
  const details: RemoteAuthConnection['details'] = {};
  for (const field of reviewableFields) {
    const value = item[field];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') details[field] = value;
    else if (Array.isArray(value)) details[field] = value.map(String);
  }
  const extraParams = item.extraParams as Record<string, unknown> | undefined;
  if (extraParams && typeof extraParams === 'object') {
    details.extraParamNames = Object.keys(extraParams);
  }
  const customHeaders = item.customHeaders as Record<string, unknown> | undefined;
  if (customHeaders && typeof customHeaders === 'object') {
    details.customHeaderNames = Object.keys(customHeaders);
  }
  const usedBy = (item.usedBy ?? {}) as {
    tools?: AccessItem[];
    mcpServers?: AccessItem[];
    integrationConnections?: { id: string; name?: string }[];
  };
  const named = (list: { id: string; name?: string }[] | undefined) =>
    (list ?? []).map((entry) => ({ id: entry.id, name: entry.name ?? null }));
  const optionalString = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    connectionId: String(item.id),
    name: String(item.name),
    authType: String(item.authType),
    provider: optionalString(item.provider),
    status: optionalString(item.status),
    statusDetail: optionalString(item.statusDetail),
    details,
    usedBy: {
      tools: named(usedBy.tools),
      mcpServers: named(usedBy.mcpServers),
      integrationConnections: named(usedBy.integrationConnections),
    },
  };
}

type SdkVariableValue = string | { secretId: string } | { authConnectionId: string };

function toSdkValue(value: EnvironmentValueInput | null): SdkVariableValue | null {
  if (value === null) return null;
  if (value.kind === 'string') return value.value;
  if (value.kind === 'secret') return { secretId: value.secretId };
  return { authConnectionId: value.authConnectionId };
}

/** The API's create body is discriminated by type; a value of another kind is refused before sending. */
function createBody(
  label: string,
  type: EnvironmentVariableKind,
  values: Record<string, EnvironmentValueInput>,
): ElevenLabs.EnvironmentVariablesCreateRequestBody {
  const mismatch = Object.entries(values).find(([, value]) => value.kind !== type);
  if (mismatch) {
    throw new AppError(
      'invalid_request',
      `values.${mismatch[0]}: a ${type.replace('_', ' ')} variable's values are all of that kind, not ${mismatch[1].kind.replace('_', ' ')}.`,
      { field: `values.${mismatch[0]}` },
    );
  }
  const mapped = Object.fromEntries(Object.entries(values).map(([environment, value]) => [environment, toSdkValue(value)]));
  return { type, label, values: mapped } as ElevenLabs.EnvironmentVariablesCreateRequestBody;
}

/** String values sent that look like credentials: scrubbed from whatever comes back (a 422 echoes its input). */
function credentialLikeStrings(values: (EnvironmentValueInput | null)[]): string[] {
  return values.flatMap((value) => (value?.kind === 'string' && credentialShape(value.value) ? [value.value] : []));
}

function toRemoteVariableValue(raw: unknown): RemoteVariableValue | null {
  if (typeof raw === 'string') {
    const shape = credentialShape(raw);
    if (shape === null) return { kind: 'string', value: raw, withheld: null };
    const hint = shape.kind === 'key_prefix' ? shape.prefix : `${shape.bitsPerChar}/${shape.runLength}`;
    return { kind: 'string', value: null, withheld: { reason: shape.kind, hint, length: shape.length } };
  }
  if (raw === null || typeof raw !== 'object') return null;
  const item = raw as Record<string, unknown>;
  const secretId = item.secretId ?? item.secret_id;
  if (typeof secretId === 'string') return { kind: 'secret', secretId };
  const connectionId = item.authConnectionId ?? item.auth_connection_id;
  if (typeof connectionId === 'string') return { kind: 'auth_connection', authConnectionId: connectionId };
  return null;
}

function toRemoteEnvironmentVariable(variable: ElevenLabs.EnvironmentVariableResponse): RemoteEnvironmentVariable {
  const values: Record<string, RemoteVariableValue> = {};
  for (const [environment, raw] of Object.entries((variable.values ?? {}) as Record<string, unknown>)) {
    // A value of a shape this version does not know is left out rather than guessed at.
    const value = toRemoteVariableValue(raw);
    if (value !== null) values[environment] = value;
  }
  return {
    variableId: variable.id,
    label: variable.label,
    type: String(variable.type),
    createdAtUnix: typeof variable.createdAtUnixSecs === 'number' ? variable.createdAtUnixSecs : null,
    updatedAtUnix: typeof variable.updatedAtUnixSecs === 'number' ? variable.updatedAtUnixSecs : null,
    values,
  };
}
