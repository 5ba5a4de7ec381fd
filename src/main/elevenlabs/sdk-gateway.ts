import type { ElevenLabs, ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { Dependant } from '../../shared/schemas/inventory';
import { toApiProblem } from './api-problem';
import { hostOf } from './endpoints';
import type { ApiTarget, ElevenLabsGateway, Page, RemoteAuthConnection, RemoteSecret, RemoteUser, WorkspaceApi } from './types';

type Sdk = typeof import('@elevenlabs/elevenlabs-js');

export interface SdkGatewayOptions {
  /** Per attempt. The SDK's default (240 s) is far too long for someone waiting on a dialog. */
  timeoutSeconds: number;
  /** The SDK retries 408, 429 and 5xx with back-off (honouring Retry-After, capped at 60 s). */
  maxRetries: number;
  /**
   * Dependants per secret in list pages (the API's maximum is 100), so a secret used by
   * thousands of agents cannot bloat a page; the rest is paged from the dependencies route.
   */
  dependencyLimit?: number;
  now?: () => number;
}

/**
 * The official SDK, one client per workspace. The SDK takes over a second to load, so it is
 * imported on the first API call, never at start-up.
 */
export function createSdkGateway(options: SdkGatewayOptions): ElevenLabsGateway {
  let sdk: Promise<Sdk> | undefined;
  const loadSdk = () => (sdk ??= import('@elevenlabs/elevenlabs-js'));
  return {
    forWorkspace(target: ApiTarget): WorkspaceApi {
      const host = hostOf(target.baseUrl);
      let client: Promise<ElevenLabsClient> | undefined;
      const getClient = () =>
        (client ??= loadSdk().then(
          ({ ElevenLabsClient }) =>
            new ElevenLabsClient({
              // Always explicit, so ELEVENLABS_API_KEY from the environment is never used by accident.
              apiKey: target.apiKey,
              baseUrl: target.baseUrl,
              timeoutInSeconds: options.timeoutSeconds,
              maxRetries: options.maxRetries,
            }),
        ));
      const call = async <T>(run: (c: ElevenLabsClient) => Promise<T>): Promise<T> => {
        try {
          return await run(await getClient());
        } catch (error) {
          throw toApiProblem(error, host, options.now);
        }
      };
      // The SDK adds an abort listener per request and never removes it; give each request a
      // signal of its own so a 100-page sync does not pile listeners onto the sync's signal.
      const perRequest = <T>(signal: AbortSignal | undefined, run: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> => {
        if (!signal) return run(undefined);
        const controller = new AbortController();
        const forward = () => controller.abort(signal.reason);
        if (signal.aborted) forward();
        else signal.addEventListener('abort', forward, { once: true });
        return run(controller.signal).finally(() => signal.removeEventListener('abort', forward));
      };
      const listSecrets: WorkspaceApi['listSecrets'] = (request, signal) =>
        perRequest(signal, (abortSignal) =>
          call(async (c) => {
            const page = await c.conversationalAi.secrets.list(
              { pageSize: request.pageSize, cursor: request.cursor, dependencyLimit: options.dependencyLimit ?? 100 },
              { abortSignal },
            );
            return { items: page.secrets.map(toRemoteSecret), nextCursor: page.nextCursor ?? null };
          }),
        );
      return {
        listSecrets,
        async streamSecrets(request, onPage, signal) {
          let pending: Promise<Page<RemoteSecret>> | null = listSecrets({ pageSize: request.pageSize }, signal);
          while (pending) {
            const page: Page<RemoteSecret> = await pending;
            pending = page.nextCursor ? listSecrets({ pageSize: request.pageSize, cursor: page.nextCursor }, signal) : null;
            // Observed here too, so a failure while this page is handled never goes unobserved.
            pending?.catch(() => undefined);
            onPage(page.items);
          }
        },
        listDependencies: (secretId, resourceType, cursor, signal) =>
          perRequest(signal, (abortSignal) => call(async (c): Promise<Page<Dependant>> => {
            const page = await c.conversationalAi.secrets.getDependencies(
              secretId,
              resourceType,
              { cursor, pageSize: 100 },
              { abortSignal },
            );
            const items = page.dependencies as unknown[];
            const mapped =
              resourceType === 'phone_numbers'
                ? (items as ElevenLabs.DependentPhoneNumberIdentifier[]).map(toPhoneDependant)
                : (items as AccessItem[]).map((item) => toAccessDependant(resourceType === 'tools' ? 'tool' : 'agent', item));
            return { items: mapped, nextCursor: page.nextCursor ?? null };
          })),
        listAuthConnections: (signal) =>
          perRequest(signal, (abortSignal) =>
            call(async (c) => {
              const reply = await c.workspace.authConnections.list({ abortSignal });
              return reply.authConnections.map((item) => toRemoteAuthConnection(item as unknown as Record<string, unknown>));
            }),
          ),
        getUser: (signal) =>
          perRequest(signal, (abortSignal) => call(async (c): Promise<RemoteUser> => {
            const user = await c.user.get({ abortSignal });
            return {
              workspaceId: user.workspaceId,
              firstName: user.firstName ?? null,
              planTier: user.subscription?.tier ?? null,
              seatType: user.seatType ?? null,
            };
          })),
      };
    },
  };
}

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
    ...usedBy.others.map(
      (other): Dependant => ({
        kind: 'other',
        id: String(other),
        name: String(other).replace(/_/g, ' '),
        access: 'available',
        accessLevel: null,
        createdAtUnix: null,
        phoneNumber: null,
        provider: null,
        referencedResourceIds: [],
      }),
    ),
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
